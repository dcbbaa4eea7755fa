"""The builder stage of each Dockerfile, replayed on the host: its COPY set is enough for
`uv sync --locked` (every workspace manifest present, lock file current), it installs only the
service's locked runtime dependencies, and the prod layout (venv plus two source trees at the same
paths) imports the service. No Docker needed; `pip install uv` is the pinned uv the Makefile uses.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import infra_lint as lint
import pytest
from dockerfile_spec import parse_stages

from instapay_stack.services import RELAY_DIRECTORY, SERVICES

ROOT = lint.ROOT
UV = ROOT / ".tools" / "bin" / "uv"


def workspace_members() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    members = set()
    for pattern in config["tool"]["uv"]["workspace"]["members"]:
        members |= {
            str(Path(p).relative_to(ROOT))
            for p in glob.glob(str(ROOT / pattern))
            if (Path(p) / "pyproject.toml").is_file()
        }
    return members


def replay_builder(dockerfile: Path, app: Path) -> dict[str, str]:
    """Runs the builder stage's COPY and RUN steps with /app mapped to `app`; returns its ENV."""
    stage = parse_stages(dockerfile)["builder"]
    # The host's environment (proxy and certificate settings for the package index), then the stage's.
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update({k: v.replace("/app", str(app)) for k, v in stage.env.items()})
    env.update({"PATH": f"{UV.parent}:{os.environ['PATH']}", "UV_LINK_MODE": "hardlink"})
    for word, args in stage.steps:
        if word == "COPY":
            *sources, dest = args.split()
            for src in sources:
                target = app / dest
                if (ROOT / src).is_dir():
                    shutil.copytree(
                        ROOT / src,
                        target / "" if dest.endswith("/") else target,
                        dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "tests", ".venv"),
                    )
                else:
                    target = target / Path(src).name if dest.endswith("/") else target
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / src, target)
        elif args.startswith("pip install"):
            # The image installs the uv version the Makefile pins; the host uses that same binary.
            pinned = re.search(r"uv==([\d.]+)", args).group(1)
            assert f"UV_VERSION := {pinned}" in (ROOT / "Makefile").read_text()
        else:
            done = subprocess.run(
                args, shell=True, cwd=app, env=env, capture_output=True, text=True, timeout=600, check=False
            )
            assert done.returncode == 0, f"{dockerfile}: `{args}` failed:\n{done.stdout}\n{done.stderr}"
    return env


# Every image's directory under services/ and the import that proves its prod layout works.
IMAGES = {s.directory: f"import {s.module.split(':')[0]} as m; print(m.app.title)" for s in SERVICES}
IMAGES[RELAY_DIRECTORY] = "import outbox_relay.main as m; print(m.__name__)"


def test_builder_copies_every_workspace_manifest():
    for directory in IMAGES:
        stage = parse_stages(ROOT / "services" / directory / "Dockerfile")["builder"]
        copied = {
            args.split()[0].removesuffix("/pyproject.toml")
            for word, args in stage.steps
            if word == "COPY" and args.split()[0].endswith("/pyproject.toml")
        }
        assert copied == workspace_members(), directory


# The Dockerfiles come from one template (a test checks), so three images stand for all: auth
# (argon2, the most native dependencies), the gateway (Redis client, no database) and the relay
# (no web app of its own).
@pytest.mark.timeout(900)
@pytest.mark.parametrize("directory", ["auth-service", "api-gateway", RELAY_DIRECTORY])
def test_builder_installs_the_locked_runtime_and_the_prod_layout_imports_the_service(directory, tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    dockerfile = ROOT / "services" / directory / "Dockerfile"
    replay_builder(dockerfile, app)
    python = app / ".venv" / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, check=False)
    assert installed.returncode != 0, "pip must not be in the runtime venv"
    site = next((app / ".venv" / "lib").glob("python3*/site-packages"))
    names = {p.name.split("-")[0].lower() for p in site.glob("*.dist-info")}
    assert {"uvicorn", "fastapi", "sqlalchemy", "asyncpg", "alembic"} <= names
    # Nothing from the dev/test tooling or other services.
    assert not names & {"pytest", "ruff", "playwright", "hypothesis", "schemathesis", "pgserver"}
    others = {d.replace("-", "_") for d in IMAGES if d != directory}
    assert not names & others
    # The prod stage keeps only the venv and these two trees, at the same paths.
    prod = parse_stages(dockerfile)["prod"]
    kept = [args.split()[-1] for word, args in prod.steps if word == "COPY" and args.startswith("--from=builder")]
    assert kept == ["/app/.venv", "/app/services/common", f"/app/services/{directory}"]
    for entry in app.iterdir():
        if entry.name != ".venv" and entry.name != "services":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for entry in (app / "services").iterdir():
        if entry.name not in ("common", directory):
            shutil.rmtree(entry)
    check = subprocess.run(
        [str(python), "-c", IMAGES[directory]],
        cwd=app / "services" / directory,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "ENVIRONMENT": "development", "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip()
