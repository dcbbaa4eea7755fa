"""The head revisions of a service's Alembic migrations, read without importing Alembic.

Every service's readiness check and the local launcher need the heads at start-up, and importing
`alembic.script` for that costs each process about 0.2-0.5 s of CPU (Alembic, Mako and most of
SQLAlchemy), ten processes at once on `make up`. The revision files declare `revision` and
`down_revision` as literals, so the heads are the revisions no other file names as its
down_revision: exactly Alembic's rule. Anything this reader does not understand (a computed id, a
down_revision naming a branch label or a missing revision, a duplicate) is left to Alembic itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

# The files Alembic reads as revisions (alembic.script.base._only_source_rev_file).
_REVISION_FILE = re.compile(r"(?!\.\#|__init__)(.*\.py)$")


class _NotLiteral(ValueError):
    pass


def _declared(path: Path) -> tuple[str, tuple[str, ...]]:
    values: dict[str, object] = {}
    for node in ast.parse(path.read_bytes(), filename=str(path)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        if name in ("revision", "down_revision"):
            values[name] = ast.literal_eval(value)  # ValueError when not a literal
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str):
        raise _NotLiteral(f"{path.name}: no literal revision")
    if down is None:
        return revision, ()
    downs = (down,) if isinstance(down, str) else down
    if not isinstance(downs, tuple | list) or not all(isinstance(d, str) for d in downs):
        raise _NotLiteral(f"{path.name}: down_revision is not a revision id or a sequence of them")
    return revision, tuple(downs)


def _heads_from_files(versions_dir: Path) -> set[str]:
    declared = [_declared(p) for p in sorted(versions_dir.iterdir()) if p.is_file() and _REVISION_FILE.match(p.name)]
    revisions = [rev for rev, _ in declared]
    if len(set(revisions)) != len(revisions):
        raise _NotLiteral("a revision id is declared twice")
    referenced = {down for _, downs in declared for down in downs}
    if not referenced <= set(revisions):
        raise _NotLiteral("a down_revision names no revision file (branch label or missing file)")
    return set(revisions) - referenced


def migration_heads(migrations_dir: Path) -> set[str]:
    """Head revision ids of `<migrations_dir>/versions`, as Alembic's `ScriptDirectory.get_heads()`."""
    try:
        return _heads_from_files(Path(migrations_dir) / "versions")
    except (ValueError, SyntaxError):  # _NotLiteral is a ValueError
        from alembic.script import ScriptDirectory  # the full rules for anything unusual

        return set(ScriptDirectory(str(migrations_dir)).get_heads())
