"""instapay_sdk/generated must be what `make sdk` generates from the code today."""

from pathlib import Path

from generate import TARGET, files_of, generate


def test_generated_client_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "generated"
    generate(fresh)
    expected, current = files_of(fresh), files_of(TARGET)
    stale = sorted(name for name in expected.keys() | current.keys() if expected.get(name) != current.get(name))
    assert not stale, f"sdk/python/instapay_sdk/generated is stale ({stale[:5]}...): run `make sdk`"
