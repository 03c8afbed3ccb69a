"""Rule files: golden broken files (one per problem kind), the compiled model, and the merge."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from proxy.errors import ConfigError
from proxy.siterules.file import merge_rules, parse_rule_text
from tests.factories import load_rules_text

INVALID = Path(__file__).parents[1] / "rules_invalid"
CASES = sorted(INVALID.glob("*.yaml"))


def _problem_lines(path: Path) -> list[str]:
    rule_file = parse_rule_text(path.read_text(encoding="utf-8"), path.name)
    return [str(p).removeprefix(f"{path.name}:") for p in rule_file.problems]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_rule_file_reports_exact_problems(case: Path) -> None:
    expected_file = case.with_suffix(".expected")
    found = _problem_lines(case)
    if os.environ.get("UPDATE_GOLDEN"):  # regenerate, then review the diff (Readability's way)
        expected_file.write_text("".join(f"{line}\n" for line in found), encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert found == expected


def test_every_golden_case_has_an_expected_file() -> None:
    assert CASES and all(c.with_suffix(".expected").exists() for c in CASES)


def test_a_full_file_compiles_into_the_model() -> None:
    rules = load_rules_text("""
hosts: [www.example.gov.cn]
encoding: GBK
remove: ["#ad"]
landmarks:
  main: "#content"
  navigation: ["#nav", {selector: "#side", label: 栏目导航}]
heading: h2.title
alt: {"img.spacer": ""}
include: [{selector: "#top", url: /top.html}]
actions: [{set_attribute: "#q", name: placeholder, value: 搜索}]
toolbar: {enabled: false, remove: "#wza"}
disable: [enlarge_fonts]
""")
    assert rules.encoding == "gb18030"  # WHATWG: gbk is read as its superset
    assert [s.text for s in rules.landmarks["navigation"]] == ["#nav", "#side"]
    assert [(s.text, t) for s, t in rules.labels] == [("#side", "栏目导航")]
    assert rules.include[0].url == "/top.html" and rules.include[0].position == "inner"
    assert rules.actions[0].name == "placeholder" and rules.actions[0].content_type == "text"
    assert rules.toolbar.enabled is False and rules.toolbar.remove[0].text == "#wza"
    assert not rules.enabled("enlarge_fonts") and rules.enabled("landmarks")
    assert rules.remove[0].source == "site.yaml:4:10"


def test_a_single_labelled_selector_labels_its_role() -> None:
    rules = load_rules_text('landmarks: {navigation: {selector: "#nav", label: 主菜单}}')
    assert rules.landmark_labels == {"navigation": "主菜单"}


def test_load_rules_text_raises_on_errors_but_not_on_warnings() -> None:
    assert load_rules_text('remove: ["a:hover"]').remove  # a warning only
    with pytest.raises(ConfigError, match=r"site.yaml:1:10: remove\[0\]: invalid selector"):
        load_rules_text('remove: ["div >"]')


def test_an_empty_file_is_valid_and_means_nothing() -> None:
    rule_file = parse_rule_text("", "default.yaml")
    assert rule_file.problems == () and merge_rules(rule_file, None).remove == ()


def test_default_yaml_hosts_are_ignored_with_a_warning() -> None:
    rule_file = parse_rule_text("hosts: [a.org]\n", "default.yaml")
    assert [p.level for p in rule_file.problems] == ["warning"]
    assert rule_file.hosts == ()


DEFAULT = """
remove: ["#d"]
heading: h1
landmarks: {main: "#dmain", banner: "#dtop"}
alt: {"img.d": ""}
toolbar: {remove: ["#dwza"], link_texts: [无障碍], position: append}
css: "a {}"
disable: [landmarks]
tunables: {NAV_HINTS: [nav, menu]}
"""


def test_merge_concatenates_lists_and_lets_site_values_win() -> None:
    rules = load_rules_text("""
remove: ["#s"]
heading: h2
landmarks: {main: "#smain"}
toolbar: {remove: ["#swza"], link_texts: [长者模式]}
css: "b {}"
disable: [semantics]
""", default=DEFAULT)
    assert [s.text for s in rules.remove] == ["#d", "#s"]
    assert rules.heading.text == "h2"
    assert {r: [s.text for s in v] for r, v in rules.landmarks.items()} == {
        "main": ["#smain"], "banner": ["#dtop"]}
    assert [s.text for s in rules.toolbar.remove] == ["#dwza", "#swza"]
    assert rules.toolbar.link_texts == ("无障碍", "长者模式")
    assert rules.toolbar.position == "append"  # not set by the site: default.yaml's
    assert rules.css == "a {}\nb {}" and rules.disable == {"landmarks", "semantics"}
    assert rules.tunables["NAV_HINTS"] == ("nav", "menu")
    assert rules.name == "site" and rules.source == "site.yaml"


def test_default_alone_gives_the_default_rules() -> None:
    default = parse_rule_text(DEFAULT, "default.yaml")
    rules = merge_rules(default, None)
    assert rules.name == "default" and rules.heading.text == "h1"


def test_updated_is_a_date_either_way_it_is_written() -> None:
    assert load_rules_text("updated: 2024-03-01\n").updated == "2024-03-01"
    assert load_rules_text("updated: '2024-03-01'\n").updated == "2024-03-01"
    assert load_rules_text("hosts: [a.cn]\n").updated is None
