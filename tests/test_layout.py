"""Tests mirror sources (mitmproxy's filename_matching): every module of the package has its
`tests/**/test_<module>.py`, or names here the test file that covers it and why."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: modules whose behaviour is tested through another module's tests (a part of a split module,
#: or glue with no behaviour of its own): (the test file, a name that file must use)
COVERED_BY = {
    "proxy/__main__.py": ("tests/test_main.py", "run_cli"),
    "proxy/keys.py": ("tests/test_resources.py", "make_proxy"),
    "proxy/rewrite.py": ("tests/test_handler.py", "make_proxy"),
    "proxy/rules.py": ("tests/test_rulefile.py", "load_rules_text"),
    "proxy/ops.py": ("tests/test_metrics.py", "metrics"),
    "proxy/guards.py": ("tests/security/test_only_origin.py", "CONNECT"),
    "proxy/workers.py": ("tests/test_server.py", "--workers"),
    "proxy/cachepolicy.py": ("tests/test_cache.py", "Cache-Control"),
    "proxy/cachestore.py": ("tests/test_cache.py", "redis"),
    "proxy/plausibility.py": ("tests/test_encoding.py", "Big5"),
    "proxy/transforms/hints.py": ("tests/transforms/test_landmarks.py", "Landmarks"),
    "proxy/transforms/landmark_cover.py": ("tests/transforms/test_landmarks.py", "Landmarks"),
    "proxy/transforms/landmark_dom.py": ("tests/transforms/test_landmarks.py", "Landmarks"),
    "proxy/transforms/landmark_find.py": ("tests/transforms/test_landmarks.py", "Landmarks"),
    "proxy/transforms/semantics_tables.py": ("tests/transforms/test_semantics.py", "Semantics"),
}
MODULES = sorted(p for p in (REPO / "proxy").rglob("*.py")
                 if p.name != "__init__.py" and "demo" not in p.relative_to(REPO).parts[1:-1])
TEST_NAMES = {p.name for p in (REPO / "tests").rglob("test_*.py")}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_module_has_its_tests(module):
    relative = str(module.relative_to(REPO))
    if f"test_{module.stem}.py" in TEST_NAMES:
        return
    assert relative in COVERED_BY, \
        f"{relative}: add tests/.../test_{module.stem}.py (or name it in COVERED_BY)"
    covering, used = COVERED_BY[relative]
    assert (REPO / covering).exists(), f"{relative}: {covering} does not exist"
    assert used in (REPO / covering).read_text(encoding="utf-8"), f"{covering} never uses {used}"


def test_the_demo_origin_has_its_tests():
    assert (REPO / "tests/demo/test_demo_origin.py").exists()
