"""Issue 18: one rewrite per page for every visitor renders as one rewrite per preference set did.

For every preference set (tests/browser/prefstyles.py PREF_SETS: default, text 125/150/200, each
scheme, spacing, underline, cursor, the elder preset), on the demo article and front page and a
sample of shared/corpus/pages, the computed font size, colour, background colour and visibility
of every element of <body> in Chromium must match what the per-preference rewrite gave (the
fixture, recorded from main at c953509 with `python -m tests.browser.prefstyles`).
"""

from __future__ import annotations

from proxy.visitor.prefs import COOKIE_NAME
from tests.browser import requires_chromium
from tests.browser.prefstyles import PREF_SETS, collect, differences, load_fixture

pytestmark = requires_chromium


async def test_every_preference_set_renders_as_its_own_rewrite_did():
    expected = load_fixture()
    got = await collect()
    assert set(got) == set(expected)
    failures = []
    for page, sets in expected.items():
        for name in PREF_SETS:
            diff = differences(sets[name], got[page][name])
            if diff:
                failures.append(f"{page} [{name}]: {len(diff)} elements differ, e.g. "
                                + "; ".join(diff[:3]))
    assert not failures, "\n".join(failures)


def test_differences_sees_a_changed_size_colour_or_visibility():
    row = ["p", "12px", "rgb(0, 0, 0)", "rgba(0, 0, 0, 0)", "visible"]
    assert differences([row], [row]) == []
    assert differences([row], [["p", "12.01px", *row[2:]]]) == []  # calc() keeps more digits
    assert differences([row], [["p", "13px", *row[2:]]])
    assert differences([row], [[*row[:2], "rgb(1, 0, 0)", *row[3:]]])
    assert differences([row], [[*row[:4], "hidden"]])
    assert differences([row], [row, row])  # elements must line up
    assert COOKIE_NAME  # the fixture's pages were loaded with our cookie
