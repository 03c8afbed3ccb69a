"""Field readers: host names and encoding labels, as tables."""

from __future__ import annotations

import pytest

from proxy.siterules.fields import host_problem
from proxy.siterules.file import parse_rule_text


@pytest.mark.parametrize(("host", "ok"), [
    ("www.example.gov.cn", True), ("*.example.gov.cn", True), ("127.0.0.1", True),
    ("localhost", True), ("xn--fiqs8s.cn", True),
    ("https://a.cn", False), ("a.cn/x", False), ("a.cn:80", False), ("*a.cn", False),
    ("a.*.cn", False), ("*.*.cn", False), ("-a.cn", False), ("a..cn", False),
])
def test_host_names(host: str, ok: bool) -> None:
    assert (host_problem(host) is None) is ok


@pytest.mark.parametrize(("label", "stored"), [
    ("auto", None), ("GBK", "gb18030"), ("gb2312", "gb18030"), ("UTF8", "utf-8"),
    ("iso-8859-1", "windows-1252"), ("big5", "big5"), ("Shift_JIS", "shift_jis"),
    ("x-sjis", "shift_jis"), ("euc-kr", "euc-kr"),
])
def test_encoding_labels_are_read_the_whatwg_way(label: str, stored: str | None) -> None:
    from proxy.siterules.file import merge_rules

    rule_file = parse_rule_text(f"encoding: {label}\n", "default.yaml")
    assert rule_file.problems == ()
    assert merge_rules(rule_file, None).encoding == stored
