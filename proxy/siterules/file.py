"""Read one `rules/<site>.yaml` into checked, compiled values, and merge default.yaml under it.

`parse_rule_text` never raises on bad input: it returns a `RuleFile` with every problem found
(YAML syntax, duplicate and unknown keys, wrong types, bad selectors ...) and the values that
were valid. `merge_rules(default, site)` builds the immutable `SiteRules` the transforms use,
combining each option the way its schema row (`ruleschema.py`) says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from proxy.errors import ConfigError, ConfigProblem
from proxy.siterules.model import RenderRules, SiteRules, ToolbarRules
from proxy.siterules.reader import RuleReader
from proxy.siterules.schema import TOOLBAR_BY_KEY, TOP, TOP_BY_KEY, Option, read_group
from proxy.siterules.yamlload import MarkedDict, load_marked

DEFAULT_NAME = "default"  #: the file stem whose rules are merged under every site


@dataclass(frozen=True)
class RuleFile:
    """One rule file as read: the valid values by key, and everything wrong with it."""

    name: str  #: file stem ("default", "demo", "example.gov.cn")
    source: str  #: the path as given, used in every problem and Selector.source
    digest: str = ""  #: sha256 of the text, to tell a changed file from an untouched one
    values: Mapping[str, Any] = field(default_factory=dict)
    problems: tuple[ConfigProblem, ...] = ()
    host_marks: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def hosts(self) -> tuple[str, ...]:
        return self.values.get("hosts", ())

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT_NAME


def parse_rule_text(text: str, filename: str, name: str | None = None) -> RuleFile:
    """Check and compile one rule file's text; problems are collected, never raised."""
    name = name if name is not None else Path(filename).stem
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    data, problems = load_marked(text, filename)
    reader = RuleReader(filename)
    reader.problems.extend(problems)
    values: dict[str, Any] = {}
    marks: dict[str, tuple[int, int]] = {}
    if data is None and not problems:  # an empty file: valid, and means "nothing to change"
        data = MarkedDict()
        data.key_marks, data.value_marks = {}, {}
    if isinstance(data, MarkedDict):
        values = read_group(reader, data, TOP, "") or {}
        _check_scope(reader, data, name == DEFAULT_NAME, values)
        marks = _host_marks(data, values.get("hosts", ()))
    elif data is not None:
        reader.at(data, 0, "", "expected a mapping of rule keys (hosts:, remove:, ...)")
    return RuleFile(name, filename, digest, MappingProxyType(values),
                    tuple(sorted(reader.problems)), MappingProxyType(marks))


def read_rule_file(path: str | Path) -> RuleFile:
    """Read and check a rule file from disk; an unreadable file is a problem, not an exception."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        problem = ConfigProblem(str(path), 1, 1, "", f"cannot read the file: {why}")
        return RuleFile(path.stem, str(path), "", {}, (problem,))
    return parse_rule_text(text, str(path))


def _check_scope(reader: RuleReader, data: MarkedDict, is_default: bool, values: dict) -> None:
    if is_default and "hosts" in data:
        reader.at(data, "hosts", "hosts", "default.yaml applies to every host; its 'hosts' are "
                  "ignored", "warning", on_key=True)
        values.pop("hosts", None)
    if not is_default and "tunables" in data:
        reader.at(data, "tunables", "tunables", "tunables are only read from default.yaml "
                  "(they tune heuristics for every site)", on_key=True)
        values.pop("tunables", None)
    if not is_default and not data.get("hosts"):
        reader.at(data, "hosts" if "hosts" in data else None, "hosts",
                  "no 'hosts': this file applies to no site", "warning")


def _host_marks(data: MarkedDict, hosts: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    raw = data.get("hosts")
    if not isinstance(raw, list):
        return dict.fromkeys(hosts, data.value_marks.get("hosts", data.mark))
    by_name = {str(h).strip().lower().rstrip("."): m for h, m in zip(raw, raw.item_marks,
                                                                      strict=True)}
    return {h: by_name.get(h, raw.mark) for h in hosts}


def merge_rules(default: RuleFile | None, site: RuleFile | None) -> SiteRules:
    """The effective rules for a site: default.yaml's values merged with the site file's."""
    base = default.values if default else {}
    values = _merge(TOP_BY_KEY, base, site.values if site else {})
    owner = site or default
    return _build(values, owner.name if owner else DEFAULT_NAME,
                  site.source if site else (default.source if default else ""))


def _merge(table: Mapping[str, Option], base: Mapping, over: Mapping) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if key not in base:
            merged[key] = value
            continue
        mode = table[key].merge
        if mode == "concat" and isinstance(value, str):
            merged[key] = "\n".join(filter(None, (base[key], value)))
        elif mode == "concat":
            merged[key] = tuple(base[key]) + tuple(value)
        elif mode == "union":
            merged[key] = base[key] | value
        elif mode == "by_role":
            merged[key] = {**base[key], **value}
        elif mode == "group":
            merged[key] = _merge(TOOLBAR_BY_KEY, base[key], value)
        else:
            merged[key] = value
    return merged


def _build(values: dict[str, Any], name: str, source: str) -> SiteRules:
    entries = values.get("landmarks", {})
    landmarks = {role: tuple(sel for sel, _ in found) for role, found in entries.items()}
    # One labelled selector per role can label the role; with several, each label belongs to its
    # own element, so those go (only) to `labels`, which is per selector.
    role_labels = {role: found[0][1] for role, found in entries.items()
                   if len(found) == 1 and found[0][1]}
    entry_labels = tuple((sel, label) for found in entries.values() for sel, label in found
                         if label)
    encoding = values.get("encoding")
    return SiteRules(
        name=name, source=source, hosts=tuple(values.get("hosts", ())),
        encoding=None if encoding in (None, "auto") else encoding,
        remove=tuple(values.get("remove", ())),
        landmarks=MappingProxyType(landmarks), landmark_labels=MappingProxyType(role_labels),
        heading=values.get("heading"), alt=tuple(values.get("alt", ())),
        labels=tuple(values.get("labels", ())) + entry_labels,
        include=tuple(values.get("include", ())), actions=tuple(values.get("actions", ())),
        toolbar=ToolbarRules(**{k: tuple(v) if isinstance(v, list | tuple) else v
                                for k, v in values.get("toolbar", {}).items()}),
        reading_mode=values.get("reading_mode"), css=values.get("css", ""),
        render=RenderRules(**{k: tuple(v) if isinstance(v, list | tuple) else v
                              for k, v in values.get("render", {}).items()}),
        disable=frozenset(values.get("disable", ())),
        tunables=MappingProxyType(dict(values.get("tunables", {}))),
    )


def load_rules_text(text: str, name: str = "site", default: str | None = None) -> SiteRules:
    """Rules from YAML text (tests, tools); raises ConfigError if the text has errors."""
    site = parse_rule_text(text, f"{name}.yaml", name)
    base = parse_rule_text(default, f"{DEFAULT_NAME}.yaml") if default is not None else None
    errors = site.errors + (base.errors if base else ())
    if errors:
        raise ConfigError(list(errors))
    return merge_rules(base, site)
