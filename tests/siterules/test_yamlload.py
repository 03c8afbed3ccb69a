"""The marked YAML loader: positions for every node, duplicates reported, never raises."""

from __future__ import annotations

from proxy.siterules.yamlload import key_mark, load_marked, value_mark


def test_marks_of_keys_values_and_items():
    data, problems = load_marked("a: 1\nb:\n  - x\n  - y\n", "f.yaml")
    assert problems == []
    assert key_mark(data, "b") == (2, 1)
    assert value_mark(data, "a") == (1, 4)
    assert value_mark(data["b"], 1) == (4, 5)


def test_duplicate_key_keeps_the_first_and_reports_the_second():
    data, problems = load_marked("a: 1\na: 2\n", "f.yaml")
    assert data == {"a": 1}
    assert [str(p) for p in problems] == [
        "f.yaml:2:1: a: duplicate key 'a' (first defined at line 1) (error)"]


def test_syntax_error_is_a_problem_not_an_exception():
    data, problems = load_marked("a: [1,\n", "f.yaml")
    assert data is None and problems[0].line == 2


def test_unsafe_tags_are_refused():
    data, problems = load_marked("a: !!python/object:os.system {}\n", "f.yaml")
    assert data is None and "python/object" in problems[0].message
