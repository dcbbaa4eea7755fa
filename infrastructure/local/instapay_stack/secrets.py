"""Development secrets, generated once into `.data/secrets/` (git-ignored, never committed).

One internal secret per caller (INTERNAL_SECRET_GATEWAY, ..._RELAY: docs/INTERNAL_API.md). The local
stack hands every process the same environment; each service reads only its own secret and those
of the callers it accepts. Production reads the same settings from its secret store (Kubernetes
Secrets, compose environment), each service given only the ones it holds.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from instapay_common.security.internal import CALLERS, secret_env_name


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_bytes(data)


def ensure_dev_secrets(secrets_dir: Path) -> dict[str, str]:
    """Environment entries pointing services at the generated secrets."""
    key_path = secrets_dir / "jwt_ed25519.pem"
    if not key_path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_private(key_path, pem)
    values: dict[str, str] = {}
    for name in (
        "pin_pepper",
        "payment_link_secret",
        *(f"internal_secret_{caller}" for caller in CALLERS),
        "simulator_api_key",
        "simulator_webhook_secret",
        "simulator_control_token",
    ):
        path = secrets_dir / name
        if not path.exists():
            _write_private(path, secrets.token_urlsafe(32).encode())
        values[name] = path.read_text().strip()
    return {
        "JWT_PRIVATE_KEY_FILE": str(key_path),
        "PIN_PEPPER": values["pin_pepper"],
        "PAYMENT_LINK_SECRETS": values["payment_link_secret"],
        **{secret_env_name(caller): values[f"internal_secret_{caller}"] for caller in CALLERS},
        # The provider simulator's credentials; the transaction service gets the same values as
        # FUNDING_API_KEY / FUNDING_WEBHOOK_SECRETS (instapay_stack.services.funding_env).
        "SIMULATOR_API_KEY": values["simulator_api_key"],
        "SIMULATOR_WEBHOOK_SECRET": values["simulator_webhook_secret"],
        "SIMULATOR_CONTROL_TOKEN": values["simulator_control_token"],
    }


def ensure_db_passwords(secrets_dir: Path, roles: list[str]) -> dict[str, str]:
    """A generated password per database role (`db_<role>`), kept for the next run."""
    passwords: dict[str, str] = {}
    for role in roles:
        path = secrets_dir / f"db_{role}"
        if not path.exists():
            _write_private(path, secrets.token_urlsafe(32).encode())
        passwords[role] = path.read_text().strip()
    return passwords
