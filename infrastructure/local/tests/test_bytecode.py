"""The launcher leaves a current byte-code cache for every workspace module the stack imports, even
with PYTHONDONTWRITEBYTECODE set, so its processes do not compile them again at each start."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from instapay_stack.bytecode import compile_workspace, workspace_packages
from instapay_stack.services import SERVICES


def cached_source_mtime(source: Path) -> int | None:
    """The source mtime recorded in the module's .pyc header (None: no cache file)."""
    pyc = Path(importlib.util.cache_from_source(str(source)))
    if not pyc.exists():
        return None
    return int.from_bytes(pyc.read_bytes()[8:12], "little")


def test_workspace_packages_cover_every_process_of_the_stack():
    dirs = {p.resolve() for p in workspace_packages()}
    names = {p.name for p in dirs}
    assert {"instapay_common", "instapay_stack"} <= names
    for svc in SERVICES:
        assert svc.path / svc.module.split(".", 1)[0] in dirs, svc.name
        if svc.migrates:
            assert svc.path / "migrations" in dirs, svc.name


def test_stale_and_missing_caches_are_written(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    module, nested = pkg / "mod.py", pkg / "sub" / "deep.py"
    module.write_text("VALUE = 1\n")
    nested.write_text("VALUE = 2\n")

    assert compile_workspace([pkg])
    assert cached_source_mtime(module) == int(module.stat().st_mtime)
    assert cached_source_mtime(nested) == int(nested.stat().st_mtime)

    module.write_text("VALUE = 3\n")
    os.utime(module, (module.stat().st_atime, module.stat().st_mtime + 10))  # an edit, seconds later
    assert compile_workspace([pkg])
    assert cached_source_mtime(module) == int(module.stat().st_mtime)


def test_a_process_with_pythondontwritebytecode_uses_the_cache(tmp_path):
    pkg = tmp_path / "cachedpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "mod.py").write_text("VALUE = 1\n")
    assert compile_workspace([pkg])
    code = "import cachedpkg.mod as m; print(m.__cached__, m.__spec__.loader.path)"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(tmp_path)}
    env.pop("PYTHONPYCACHEPREFIX", None)
    # -v reports where each module's code came from: "code object from '<...>.pyc'" when the cache is used
    out = subprocess.run([sys.executable, "-v", "-c", code], env=env, capture_output=True, text=True, check=True)
    pyc = importlib.util.cache_from_source(str(pkg / "mod.py"))
    assert f"code object from '{pyc}'" in out.stderr
