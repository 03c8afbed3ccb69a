"""YAML loading for admin-edited files: line/column marks on every node, duplicate keys caught.

PyYAML's SafeLoader silently keeps the last of two duplicate keys and forgets positions once the
document is turned into plain dicts. Admins need `file:line:col` for every problem, so this
loader returns `MarkedDict`/`MarkedList` (plain dict/list subclasses) that remember where each
key and item stood, and it reports duplicate keys instead of overwriting them.
"""

from __future__ import annotations

from typing import Any

import yaml

from proxy.errors import ConfigProblem

Mark = tuple[int, int]  # 1-based (line, col)


class MarkedDict(dict):
    """A mapping that knows the position of itself, of each key and of each value."""

    mark: Mark = (1, 1)
    key_marks: dict[Any, Mark]
    value_marks: dict[Any, Mark]


class MarkedList(list):
    """A sequence that knows the position of itself and of each item."""

    mark: Mark = (1, 1)
    item_marks: list[Mark]


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _MarkingLoader(yaml.SafeLoader):
    """SafeLoader that builds Marked containers and collects duplicate-key problems."""

    def __init__(self, stream: str, filename: str) -> None:
        super().__init__(stream)
        self.filename = filename
        self.problems: list[ConfigProblem] = []

    def construct_marked_mapping(self, node: yaml.MappingNode) -> MarkedDict:
        result = MarkedDict()
        result.mark = _mark(node)
        result.key_marks, result.value_marks = {}, {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                line, col = _mark(key_node)
                self.problems.append(
                    ConfigProblem(self.filename, line, col, "", "keys must be text"))
                continue
            if key in result:
                first = result.key_marks[key]
                line, col = _mark(key_node)
                self.problems.append(ConfigProblem(
                    self.filename, line, col, str(key),
                    f"duplicate key {key!r} (first defined at line {first[0]})"))
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_marks[key] = _mark(key_node)
            result.value_marks[key] = _mark(value_node)
        return result

    def construct_marked_sequence(self, node: yaml.SequenceNode) -> MarkedList:
        result = MarkedList(self.construct_object(child, deep=True) for child in node.value)
        result.mark = _mark(node)
        result.item_marks = [_mark(child) for child in node.value]
        return result


_MarkingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _MarkingLoader.construct_marked_mapping)
_MarkingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _MarkingLoader.construct_marked_sequence)


def load_marked(text: str, filename: str) -> tuple[Any, list[ConfigProblem]]:
    """Parse one YAML document; return (data or None, problems). Never raises on bad input."""
    try:
        loader = _MarkingLoader(text, filename)
    except yaml.YAMLError as exc:  # the reader rejects control characters before parsing
        return None, [ConfigProblem(filename, 1, 1, "", f"YAML error: {exc}")]
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        return None, [ConfigProblem(filename, line, col, "", f"YAML syntax error: {message}")]
    except yaml.YAMLError as exc:
        return None, [ConfigProblem(filename, 1, 1, "", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return data, loader.problems


def value_mark(container: Any, key: Any, default: Mark = (1, 1)) -> Mark:
    """Where the value under `key` (a dict key or list index) stands, for error messages."""
    if isinstance(container, MarkedDict):
        return container.value_marks.get(key, container.mark)
    if isinstance(container, MarkedList) and isinstance(key, int) and key < len(container):
        return container.item_marks[key]
    return getattr(container, "mark", default)


def key_mark(container: Any, key: Any) -> Mark:
    """Where a mapping key stands (for unknown-key messages)."""
    if isinstance(container, MarkedDict):
        return container.key_marks.get(key, container.mark)
    return getattr(container, "mark", (1, 1))
