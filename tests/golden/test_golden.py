"""Golden cases: the full pipeline on real-shaped pages, compared as normalized DOMs, each case
multiplied across encodings (lol-html's harness idea): the same UTF-8 output is expected
whatever legacy encoding the origin used."""

from __future__ import annotations

import re

import pytest

from tests.golden.runner import CASES, REPO, Case, first_difference, normalize, pretty, run_case

ALL = sorted(p for p in CASES.iterdir() if (p / "source.html").exists())
#: re-encodings every case is tried in (skipped when the text cannot be represented)
ENCODINGS = ("gb18030", "big5", "utf-8")
META_CHARSET = re.compile(rb"charset\s*=\s*['\"]?[\w-]+", re.I)


def test_every_shipped_rule_file_has_a_golden_case():
    covered = {Case.load(case_dir).meta.get("rules") for case_dir in ALL}
    shipped = {path.name for path in (REPO / "rules").glob("*.yaml")}
    assert shipped <= covered, f"rule files without a golden case: {sorted(shipped - covered)}"


@pytest.mark.parametrize("case_dir", ALL, ids=[p.name for p in ALL])
async def test_golden(case_dir, update_golden):
    case = Case.load(case_dir)
    actual = await run_case(case)
    if update_golden or not case.expected_file.exists():
        case.expected_file.write_text(pretty(actual), encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{case.expected_file} was missing and has been written: review it")
    expected = case.expected_file.read_bytes()
    diff = first_difference(normalize(expected), normalize(actual))
    assert diff is None, f"{case_dir.name}: first difference at {diff}"


def _charset_neutral(html: bytes):
    """The way back legitimately differs by origin charset (forms submit in the origin's
    charset), so `accept-charset` is left out of the cross-encoding comparison."""
    root = normalize(html)
    for form in root.iter("form"):
        form.attrib.pop("accept-charset", None)
    return root


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("case_dir", ALL, ids=[p.name for p in ALL])
async def test_golden_in_other_encodings(case_dir, encoding):
    case = Case.load(case_dir)
    if not case.meta.get("multiply_encodings", True):
        pytest.skip("case is about one specific encoding")
    baseline = await run_case(case)
    text = case.source.decode(case.meta.get("source_encoding", "gb18030"))
    try:
        body = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{case_dir.name} cannot be represented in {encoding}")
    label = f"charset={encoding}".encode()
    body = META_CHARSET.sub(label, body, count=1)
    actual = await run_case(case, body=body, content_type=f"text/html; charset={encoding}")
    diff = first_difference(_charset_neutral(baseline), _charset_neutral(actual))
    assert diff is None, f"{case_dir.name} as {encoding}: first difference at {diff}"


@pytest.mark.parametrize("case_dir", ALL, ids=[p.name for p in ALL])
async def test_proxying_twice_changes_nothing(case_dir):
    """A page proxied twice (a proxy in front of a proxy, or a cached copy re-served) gets no
    second toolbar, no doubled roles, no re-encoded forms."""
    case = Case.load(case_dir)
    once = await run_case(case)
    twice = await run_case(case, body=once, content_type="text/html; charset=utf-8")
    diff = first_difference(_charset_neutral(once), _charset_neutral(twice))
    assert diff is None, f"{case_dir.name}: second pass differs at {diff}"
