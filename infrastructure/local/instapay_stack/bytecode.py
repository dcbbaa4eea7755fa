"""Byte-compiles the workspace's own packages before the stack starts.

Third-party packages are compiled once at install (`UV_COMPILE_BYTECODE=1` in the Makefile), but the
workspace is installed editable, so its modules are compiled from source on every import unless a
`__pycache__` exists. Python writes those files itself on import, except when PYTHONDONTWRITEBYTECODE
is set (as in many CI images and sandboxes): then each process of the stack compiles every module
again at each start. compileall writes the cache regardless of that variable and
skips files whose cache is current, so this costs a few milliseconds when nothing changed.
"""

from __future__ import annotations

import compileall
import importlib.util
from collections.abc import Iterable
from pathlib import Path

from instapay_stack.services import LOCAL_SERVICES


def workspace_packages() -> list[Path]:
    """Directories of the packages the stack's processes import from the workspace, and the
    migration scripts (Alembic and every service's readiness check load them to find the heads)."""
    names = ["instapay_common", "instapay_stack", *(s.module.split(".", 1)[0] for s in LOCAL_SERVICES)]
    dirs: list[Path] = []
    for name in names:
        spec = importlib.util.find_spec(name)  # finds the package without importing it
        if spec is not None and spec.submodule_search_locations:
            dirs.extend(Path(p) for p in spec.submodule_search_locations)
    dirs.extend(s.path / "migrations" for s in LOCAL_SERVICES if s.migrates)
    return dirs


def compile_workspace(dirs: Iterable[Path] | None = None) -> bool:
    """Writes missing or stale `.pyc` files; False if some could not be written (read-only tree).

    A failure only costs start-up time, never correctness: the interpreter falls back to the source.
    """
    ok = True
    for directory in dirs if dirs is not None else workspace_packages():
        # quiet=2: nothing on the console (a read-only checkout must still start)
        ok = compileall.compile_dir(str(directory), quiet=2) and ok
    return ok
