"""The schema table: every option documented with its type, default and merge rule."""

from __future__ import annotations

import pytest

from proxy.siterules.model import SiteRules, ToolbarRules
from proxy.siterules.schema import _MERGE_DOC, TOOLBAR, TOP, rules_reference

ALL = [(o.key, o) for o in TOP] + [(f"toolbar.{o.key}", o) for o in TOOLBAR]


@pytest.mark.parametrize(("name", "option"), ALL, ids=[name for name, _ in ALL])
def test_every_option_is_documented(name: str, option) -> None:
    assert option.doc and option.kind and option.default and option.merge in _MERGE_DOC
    assert f"## `{name}`" in rules_reference()


def test_every_toolbar_option_is_a_model_field() -> None:
    assert {o.key for o in TOOLBAR} == set(ToolbarRules.__dataclass_fields__)


def test_every_site_field_comes_from_an_option() -> None:
    derived = {"name", "source", "landmark_labels"}  # file name, path, and from `landmarks`
    assert {o.key for o in TOP} - {"version"} == set(SiteRules.__dataclass_fields__) - derived
