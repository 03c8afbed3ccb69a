"""proxy/heuristics/hints.py: remembered roles are the computed ones; one-pass page index."""

from __future__ import annotations

import lxml.html
import pytest

from proxy.heuristics.hints import DEFAULTS, HINT_STOPWORDS, Hints, _as_tuple, _matches, words
from proxy.siterules.model import DEFAULT_RULES, SiteRules
from proxy.siterules.store import RuleStore
from tests.conftest import REPO

VALUES = ["topNav", "nav2", "dh1", "dh", "zwcon", "container", "main_con", "footer copyright",
          "banner", "menuitem", "foot", "searchBox", "x y", "mainContent", "dibu-wrap", "NAV",
          "headline", "logo top", "contentinfo", "ss"]


def _computed(hints: Hints, value: str) -> frozenset[str]:
    """The definition, without any memo."""
    tokens = words(value)
    return frozenset(role for role, found in hints.role_words.items()
                     if any(_matches(token, found) for token in tokens))


def _element(value: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(f'<div class="{value}"></div>')


@pytest.mark.parametrize("value", VALUES, ids=VALUES)
def test_remembered_roles_equal_the_computed_ones(value: str) -> None:
    hints = Hints.of(DEFAULT_RULES)
    for other in VALUES:  # fill the memos with the other values and their words first
        hints.roles_of(_element(other))
    assert hints.roles_of(_element(value)) == _computed(hints, value)


def test_a_value_and_a_word_with_the_same_text_are_remembered_apart() -> None:
    hints = Hints.of(DEFAULT_RULES)
    # the word "dh1" hints at nothing ("dh" is too short to match as a prefix), but the value
    # "dh1" splits into "dh" + "1", and "dh" is a navigation hint
    assert hints.roles_of(_element("nav dh1")) == {"navigation"}
    assert hints.roles_of(_element("dh1")) == {"navigation"}
    assert "container" in HINT_STOPWORDS and hints.roles_of(_element("container")) == set()


PAGE = """<html><body><div id="top">t</div><div class="nav"><a class="nav">x</a></div>
<div class="main_con"><div class="content">c</div></div><div class="footer">f</div>
<form class="search"></form></body></html>"""


@pytest.mark.parametrize("role", ["banner", "navigation", "main", "contentinfo", "search"],
                         ids=str)
def test_page_hints_find_what_a_walk_per_role_finds(role: str) -> None:
    root = lxml.html.document_fromstring(PAGE)
    hints = Hints.of(DEFAULT_RULES)
    skip = frozenset({"a"})
    expected = hints.hinted(root, role, skip)
    assert expected  # every role is on the page
    assert hints.on(root).hinted(root, role, skip) == expected


def test_page_hints_walk_the_page_once_for_every_role(monkeypatch) -> None:
    """The page-bound hints answer each role from one walk (a walk costs as much as lxml's
    parse of a small page): a fallback to a walk per call would pass the test above."""
    from proxy.heuristics import hints as hints_module

    root = lxml.html.document_fromstring(PAGE)
    roles = ("banner", "navigation", "main", "contentinfo", "search")
    every_tag = {role: Hints.of(DEFAULT_RULES).hinted(root, role) for role in roles}
    walks = []
    query = hints_module.HINTED
    monkeypatch.setattr(hints_module, "HINTED", lambda root: walks.append(root) or query(root))
    page_hints = Hints.of(DEFAULT_RULES).on(root, frozenset({"top"}), frozenset({"nav"}))
    assert len(page_hints.named()) == 3  # asked first
    for role in roles:
        assert page_hints.hinted(root, role, frozenset({"a"}))
        assert page_hints.hinted(root, role) == every_tag[role]
    assert walks == [root]


NAMED_PAGE = """<html><body id="skip"><div id="skip">id</div><p id="skip x">not this id</p>
<a class="x skip y">token</a><span class="skipped">longer name</span><i class="\tskip\n">tabs</i>
<b class="skip\u00a0x">no-break space: one name</b><div class="menu"><a class="SKIP">case</a>
<em id="other" class="other">other</em></div></body></html>"""


@pytest.mark.parametrize("skip", [frozenset(), frozenset({"a", "i"})], ids=["all", "skip-a-i"])
def test_named_elements_are_the_ones_the_xpath_selects(skip) -> None:
    root = lxml.html.document_fromstring(NAMED_PAGE)
    expected = root.xpath("//body//*[@id='skip' or @id='other' or contains(concat(' ', "
                          "normalize-space(@class), ' '), ' skip ')]")
    assert [el.text for el in expected] == ["id", "token", "tabs", "other"]
    page_hints = Hints.of(DEFAULT_RULES).on(root, frozenset({"skip", "other"}),
                                             frozenset({"skip"}))
    page_hints.hinted(root, "navigation", skip)  # the walk that also finds them
    assert page_hints.named() == expected
    fresh = Hints.of(DEFAULT_RULES).on(root, frozenset({"skip", "other"}), frozenset({"skip"}))
    assert fresh.named() == expected  # asked first: walks for it


def test_a_derived_form_is_built_once_per_rule_set():
    built = []
    hints = Hints.of(SiteRules(name="site"))
    for _ in range(3):
        assert hints.derived("lower", lambda h: built.append(1) or h.texts("SPACER_IMAGES")) \
            == DEFAULTS["SPACER_IMAGES"]
    assert built == [1]
    other = Hints.of(SiteRules(name="other"))
    other.derived("lower", lambda h: built.append(2) or ())
    assert built == [1, 2]


def test_the_fallbacks_are_the_shipped_tunables():
    """hints.DEFAULTS stand in for rules/default.yaml's `tunables:` when a rule set has none;
    the two must say the same, or a page's heuristics depend on which one it got."""
    shipped = RuleStore.from_directory(REPO / "rules").default.tunables
    assert {k: _as_tuple(v) if not isinstance(v, int) else v for k, v in shipped.items()} == \
        {k: _as_tuple(v) if not isinstance(v, int) else v for k, v in DEFAULTS.items()}
