"""Regenerates instapay_sdk/generated/ from the gateway's merged OpenAPI (`make sdk`).

Offline and deterministic: the document comes from the code (api_gateway.api_reference.merged_spec,
no server), the generator is the locked openapi-python-client, and its output is formatted by the
locked ruff with fixed settings (--isolated: the repository's ruff configuration cannot change it).
The freshness test (tests/test_generated_is_current.py) calls `generate` into a temporary
directory and compares.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from api_gateway.api_reference import merged_spec

HERE = Path(__file__).resolve().parent
TARGET = HERE / "instapay_sdk" / "generated"

# `package_name_override` names the subpackage; no post hooks: formatting is done below with
# `python -m ruff`, which needs no ruff on PATH.
CONFIG = """\
project_name_override: instapay-sdk
package_name_override: generated
post_hooks: []
# PDF receipts and statements: the generator knows binary answers as octet-stream (a `File`).
content_type_overrides:
  application/pdf: application/octet-stream
"""
RUFF_SETTINGS = ["--isolated", "--line-length", "120", "--target-version", "py311"]


def generate(dest: Path) -> None:
    """Writes the generated package into `dest` (which must not exist yet)."""
    with tempfile.TemporaryDirectory(prefix="instapay-sdk-") as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(json.dumps(merged_spec(), indent=1, sort_keys=True))
        config = Path(tmp) / "config.yaml"
        config.write_text(CONFIG)
        generator = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
        options = ["--meta", "none", "--config", str(config), "--output-path", str(dest), "--fail-on-warning"]
        run = subprocess.run([*generator, *options], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"openapi-python-client failed:\n{run.stdout}{run.stderr}")
    ruff = [sys.executable, "-m", "ruff"]
    # Import order and unused imports only: the templates leave both untidy.
    fix = ["check", "--fix-only", "--quiet", "--select", "I,F401"]
    subprocess.run([*ruff, *fix, *RUFF_SETTINGS, str(dest)], check=True)
    subprocess.run([*ruff, "format", "--quiet", *RUFF_SETTINGS, str(dest)], check=True)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path (what the freshness test compares)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="instapay-sdk-out-") as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh)
        shutil.rmtree(TARGET, ignore_errors=True)
        shutil.copytree(fresh, TARGET)
    print(f"wrote {TARGET.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main()
