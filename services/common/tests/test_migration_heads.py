"""The Alembic-free head reader gives Alembic's own answer: on every service's migrations, on
branches and merges, and (through its fallback) on what it does not parse itself."""

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from instapay_common.db.migration_heads import _heads_from_files, migration_heads

SERVICES_DIR = Path(__file__).resolve().parents[2]
MIGRATION_DIRS = sorted(SERVICES_DIR.glob("*/migrations"))


def alembic_heads(migrations_dir: Path) -> set[str]:
    return set(ScriptDirectory(str(migrations_dir)).get_heads())


def write_revisions(tmp_path: Path, files: dict[str, str]) -> Path:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    for name, body in files.items():
        (versions / name).write_text(body + "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")
    return versions.parent


def test_every_service_has_migrations_to_check():
    assert {d.parent.name for d in MIGRATION_DIRS} >= {
        "auth-service",
        "user-service",
        "transaction-service",
        "reporting-service",
        "notification-service",
    }


@pytest.mark.parametrize("migrations_dir", MIGRATION_DIRS, ids=lambda d: d.parent.name)
def test_service_heads_equal_alembics(migrations_dir):
    # read by the file reader itself, not its fallback: the services' files must stay parseable
    assert _heads_from_files(migrations_dir / "versions") == alembic_heads(migrations_dir)


def test_branches_and_a_merge(tmp_path):
    migrations = write_revisions(
        tmp_path,
        {
            "a_base.py": 'revision = "a"\ndown_revision = None',
            "b_left.py": 'revision: str = "b"\ndown_revision: str | None = "a"',
            "c_right.py": 'revision = "c"\ndown_revision = "a"',
            "d_merge.py": 'revision = "d"\ndown_revision = ("b", "c")',
            "e_other_branch.py": 'revision = "e"\ndown_revision = "a"\ndepends_on = "d"',
            "__init__.py": "",
        },
    )
    assert migration_heads(migrations) == alembic_heads(migrations) == {"d", "e"}


def test_unparsed_forms_fall_back_to_alembic(tmp_path):
    # a revision id computed at import: only running the file (Alembic) tells it
    migrations = write_revisions(
        tmp_path,
        {
            "a_base.py": 'revision = "a"\ndown_revision = None',
            "b_computed.py": 'revision = "".join(["b", "1"])\ndown_revision = "a"',
        },
    )
    with pytest.raises(ValueError):
        _heads_from_files(migrations / "versions")
    assert migration_heads(migrations) == alembic_heads(migrations) == {"b1"}
