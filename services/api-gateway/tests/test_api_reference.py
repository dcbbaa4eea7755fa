"""docs/API_REFERENCE.md must be what `make api-reference` generates from the code today."""

from api_gateway.api_reference import merged_spec, render
from instapay_stack.paths import REPO_ROOT


def test_api_reference_is_current():
    current = (REPO_ROOT / "docs" / "API_REFERENCE.md").read_text()
    assert current == render(merged_spec()), "docs/API_REFERENCE.md is stale: run `make api-reference`"


def test_merged_spec_has_no_internal_paths():
    paths = merged_spec()["paths"]
    assert all(p.startswith(("/api/v1/", "/.well-known/")) for p in paths), sorted(paths)
