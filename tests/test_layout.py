"""The package's shape, enforced.

- Tests mirror sources (mitmproxy's filename_matching): `proxy/a/b.py` is tested by
  `tests/a/test_b.py`, or `COVERED_BY` names the test file that covers it and why.
- The import graph has no cycle and never points up a layer (`LAYERS`), read with `ast`.
- Only the entry points live directly in `proxy/`; no module grows past `MAX_LINES`.
- Comments and docstrings say why, not how fast: no timing figures under `proxy/`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "proxy"
#: modules whose behaviour is tested through another module's tests (a part of a split module,
#: or glue with no behaviour of its own): (the test file, a name that file must use)
COVERED_BY = {
    "proxy/__main__.py": ("tests/test_main.py", "run_cli"),
    "proxy/keys.py": ("tests/http/test_resources.py", "make_proxy"),
    "proxy/rewrite.py": ("tests/http/test_forward.py", "make_proxy"),
    "proxy/siterules/model.py": ("tests/siterules/test_file.py", "load_rules_text"),
    "proxy/ops/__init__.py": ("tests/ops/test_metrics.py", "metrics"),
    "proxy/http/guards.py": ("tests/security/test_only_origin.py", "CONNECT"),
    "proxy/http/limits.py": ("tests/security/test_limits.py", "limits"),
    "proxy/workers.py": ("tests/test_server.py", "--workers"),
    "proxy/config/load.py": ("tests/test_settings.py", "load_settings"),
    "proxy/css/valid.py": ("tests/css/test_fonts.py", "rewrite_stylesheet"),
    "proxy/cache/policy.py": ("tests/cache/test_middleware.py", "Cache-Control"),
    "proxy/cache/store.py": ("tests/cache/test_middleware.py", "redis"),
    "proxy/encoding/plausibility.py": ("tests/encoding/test_detect.py", "Big5"),
    "proxy/transforms/landmarks/cover.py": ("tests/transforms/landmarks/test_mark.py",
                                            "Landmarks"),
    "proxy/transforms/landmarks/dom.py": ("tests/transforms/landmarks/test_mark.py",
                                          "Landmarks"),
    "proxy/transforms/landmarks/find.py": ("tests/transforms/landmarks/test_mark.py",
                                           "Landmarks"),
    "proxy/transforms/semantics/tables.py": ("tests/transforms/semantics/test_document.py",
                                             "run_semantics"),
    # parts split out of the document-level and image/link repairs; their tests stayed whole
    "proxy/transforms/semantics/headings.py": ("tests/transforms/semantics/test_document.py",
                                               "headings"),
    "proxy/transforms/semantics/language.py": ("tests/transforms/semantics/test_document.py",
                                               "language"),
    "proxy/transforms/semantics/titles.py": ("tests/transforms/semantics/test_document.py",
                                             "semantics_titles"),
    "proxy/transforms/semantics/shared.py": ("tests/transforms/semantics/test_document.py",
                                             "run_semantics"),
    "proxy/transforms/semantics/image_text.py": ("tests/transforms/semantics/test_images.py",
                                                 "image_text"),
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py")
                 if (p.name != "__init__.py" or p.stat().st_size > 0)
                 and p != PACKAGE / "__init__.py" and "demo" not in p.relative_to(REPO).parts[1:-1])

#: the entry points and the core every layer shares; everything else lives in a package
TOP_LEVEL = {"__init__", "__main__", "app", "server", "workers", "settings", "keys", "errors",
             "page", "pipeline", "rewrite", "routing"}
MAX_LINES = 400  #: a module longer than this does more than one job
#: layers, lowest first; a module may import its own layer or a lower one, never a higher one.
#: The longest matching prefix decides a module's layer.
LAYERS = {
    # what every layer builds on: errors, charsets, rules, page-reading heuristics, preferences
    "proxy.errors": 0, "proxy.encoding": 0, "proxy.heuristics": 0, "proxy.siterules": 0,
    "proxy.visitor.prefs": 0, "proxy.visitor.schemes": 0,
    "proxy.css": 1, "proxy.settings": 1, "proxy.config": 1, "proxy.visitor.style": 1,
    "proxy.reading": 1,
    "proxy.routing": 2, "proxy.visitor.toolbar": 2, "proxy.visitor.splice": 2,
    # one page and the steps run on it
    "proxy.page": 3, "proxy.pipeline": 3, "proxy.keys": 3,
    "proxy.transforms": 4,
    # the HTTP edge: origin client, our own pages, the rewrite, cache and operations
    "proxy.visitor": 5, "proxy.http": 5, "proxy.render": 5,
    "proxy.rewrite": 6, "proxy.cache": 6, "proxy.ops": 6,
    "proxy.http.forward": 7, "proxy.cli": 7, "proxy.app": 7, "proxy.demo": 7,
    "proxy.server": 8, "proxy.report": 8, "proxy.workers": 9, "proxy.__main__": 10,
}
#: figures of speed in comments ("~50 -> ~30 ms", "2.3x faster"): history for bench/README.md
TIMING = re.compile(r"#.*\d\s*(ms|µs|us|ns)\b|#.*\b\d+(\.\d+)?\s*x (faster|slower)|"
                    r"#.*\d\s*->\s*~?\d+(\.\d+)?\s*(ms|%)", re.I)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def _imports(path: Path) -> set[str]:
    """The proxy modules `path` imports (at any depth, TYPE_CHECKING blocks left out)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            submodules = {f"{base}.{a.name}" for a in node.names} & KNOWN
            # `from pkg import submodule` depends on the submodule; `from m import name` on m
            found |= submodules or {base}
    return {m for m in found if m in KNOWN and m != module}


KNOWN = {_module_name(p) for p in PACKAGE.rglob("*.py")}
GRAPH = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_module_has_its_tests(module):
    relative = module.relative_to(REPO)
    mirror = REPO / "tests" / relative.parent.relative_to("proxy") / f"test_{module.stem}.py"
    if module.name == "__init__.py":
        mirror = REPO / "tests" / relative.parent.relative_to("proxy") / \
            f"test_{relative.parent.name}.py"
    if mirror.exists():
        return
    assert str(relative) in COVERED_BY, \
        f"{relative}: add {mirror.relative_to(REPO)} (or name it in COVERED_BY)"
    covering, used = COVERED_BY[str(relative)]
    assert (REPO / covering).exists(), f"{relative}: {covering} does not exist"
    assert used in (REPO / covering).read_text(encoding="utf-8"), f"{covering} never uses {used}"


def test_the_demo_origin_has_its_tests():
    assert (REPO / "tests/demo/test_demo_origin.py").exists()


def test_only_entry_points_live_at_the_top():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL, f"move into a package: {sorted(top - TOP_LEVEL)}"


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_is_too_long(module):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.relative_to(REPO)}: {lines} lines; split it by job"


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(GRAPH.get(module, ())):
            if state.get(dep) == 1:
                cycle = path[path.index(dep):] + [dep] if dep in path else [module, dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep, path + [dep])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


def test_no_import_points_up_a_layer():
    upward = sorted(f"{m} ({_layer(m)}) imports {d} ({_layer(d)})"
                    for m, deps in GRAPH.items() for d in deps
                    if _layer(d) > _layer(m) and not d.startswith(m + "."))
    assert not upward, "\n".join(upward)


def test_the_graph_is_read():
    """The checks above would pass on an empty graph: make sure imports are really found."""
    assert "proxy.page" in GRAPH["proxy.pipeline"]
    assert "proxy.pipeline" in GRAPH["proxy.transforms"]


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_timing_figures_in_comments(module):
    found = [f"{module.relative_to(REPO)}:{n}: {line.strip()}"
             for n, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1)
             if TIMING.search(line)]
    assert not found, "timing history belongs in bench/README.md:\n" + "\n".join(found)


def test_timing_pattern_finds_lab_notes():
    assert TIMING.search("# (H1S and MAIN: 0.26 -> 0.15 ms per page)")
    assert TIMING.search("x = 1  # ~50 -> ~30 ms per round")
    assert not TIMING.search("MAX = 8  #: seconds a render may take")
