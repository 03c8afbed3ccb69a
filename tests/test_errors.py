"""The exception set: problems print the yamllint way, sorted by position."""

from __future__ import annotations

from proxy.errors import ConfigError, ConfigProblem


def test_problem_format_and_level():
    problem = ConfigProblem("rules/a.yaml", 10, 20, "landmarks.main", "bad selector", "warning")
    assert str(problem) == "rules/a.yaml:10:20: landmarks.main: bad selector (warning)"
    assert not problem.is_error


def test_config_error_lists_problems_in_file_order():
    later = ConfigProblem("c.yaml", 9, 1, "b", "second")
    first = ConfigProblem("c.yaml", 2, 5, "a", "first")
    error = ConfigError([later, first])
    assert str(error).splitlines() == ["c.yaml:2:5: a: first (error)",
                                       "c.yaml:9:1: b: second (error)"]
