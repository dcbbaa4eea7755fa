"""Reads what a Dockerfile stage declares (ENV, WORKDIR, USER, EXPOSE, HEALTHCHECK, CMD), so tests
can run exactly that command with exactly that environment outside a container.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

IMAGE_ROOT = "/app"  # where the Dockerfiles put the repository's files inside the image


@dataclass
class Stage:
    name: str
    base: str
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str | None = None
    expose: list[int] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (COPY|RUN, arguments) in order


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _expand(value: str, env: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), value)


def parse_stages(path: Path) -> dict[str, Stage]:
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for word, args in _instructions(path.read_text()):
        if word == "FROM":
            parts = args.split()
            base = parts[0]
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(stages))
            parent = stages.get(base)
            current = Stage(name=name, base=base)
            if parent:  # FROM an earlier stage inherits its configuration
                current.env, current.workdir, current.user = dict(parent.env), parent.workdir, parent.user
                current.expose, current.cmd = list(parent.expose), list(parent.cmd)
            stages[name] = current
        elif current is None:
            continue
        elif word == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                current.env[key] = _expand(value, current.env)
        elif word == "WORKDIR":
            current.workdir = args
        elif word == "USER":
            current.user = args
        elif word == "EXPOSE":
            current.expose += [int(p.split("/")[0]) for p in args.split()]
        elif word == "CMD":
            current.cmd = json.loads(args)
        elif word in ("COPY", "RUN"):
            current.steps.append((word, args))
        elif word == "HEALTHCHECK":
            current.healthcheck = json.loads(args[args.index("CMD") + 3 :].strip())
    return stages


def to_host_path(image_path: str, repo_root: Path) -> str:
    """An image path under /app is the same path under the checkout."""
    if image_path == IMAGE_ROOT or image_path.startswith(IMAGE_ROOT + "/"):
        return str(repo_root) + image_path[len(IMAGE_ROOT) :]
    return image_path


def host_env(stage: Stage, repo_root: Path, base_path: str) -> dict[str, str]:
    """The stage's ENV with image paths mapped onto the checkout (PATH's `$PATH` = the host's)."""
    env = {}
    for key, value in stage.env.items():
        if key == "PATH":
            parts = [to_host_path(p, repo_root) for p in value.split(":") if p]
            env[key] = ":".join([*parts, base_path])
        else:
            env[key] = to_host_path(value, repo_root)
    return env
