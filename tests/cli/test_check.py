"""`python -m proxy check`: every problem printed, exit codes, summary line; and --explain."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html

from proxy.cli.check import explain, main, run_check
from tests.factories import load_rules_text


def check(directory: Path | str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_check(str(directory), out)
    return code, out.getvalue().splitlines()


def test_clean_directory_passes_with_a_summary(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("remove: ['#ad']\n", encoding="utf-8")
    code, lines = check(f"{tmp_path}/")
    assert code == 0 and lines == [f"{tmp_path}/: 1 file, 0 errors, 0 warnings"]


def test_warnings_alone_pass(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("hosts: [a.org]\nremove: ['a:hover']\n", encoding="utf-8")
    code, lines = check(tmp_path)
    assert code == 0
    assert lines[0].startswith(f"{tmp_path / 'a.yaml'}:2:10: remove[0]: ':hover' never matches")
    assert lines[-1] == f"{tmp_path}/: 1 file, 0 errors, 1 warning"


def test_every_error_in_every_file_is_printed_and_exit_is_1(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("hosts: [a.org]\nremvoe: []\nheading: 'div >'\n",
                                     encoding="utf-8")
    (tmp_path / "b.yaml").write_text("hosts: [a.org]\n", encoding="utf-8")
    code, lines = check(tmp_path)
    assert code == 1
    assert [line.split(": ")[1] for line in lines[:-1]] == ["remvoe", "heading", "hosts"]
    assert lines[-1] == f"{tmp_path}/: 2 files, 3 errors, 0 warnings"


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    code, lines = check(tmp_path / "nope")
    assert code == 1 and "rules directory not found" in lines[0]


def test_docs_entry_point_prints_the_reference(capsys) -> None:
    assert main(["--docs"]) == 0
    assert "## `toolbar.font_functions`" in capsys.readouterr().out


def test_explain_names_matches_and_rules_that_matched_nothing() -> None:
    rules = load_rules_text("""
hosts: [a.org]
remove: ["#ad", ".gone"]
landmarks: {main: "#content"}
heading: h2
""")
    tree = lxml.html.document_fromstring(
        "<html><body><div id=ad class='x y z'></div><div id=content><h2>t</h2><h2>u</h2>"
        "</div></body></html>")
    lines = explain(rules, tree.getroottree())
    assert lines == [
        "site rules: site (site.yaml)",
        "site.yaml:3:10: remove[0] '#ad': 1 element: <div#ad.x.y> (line 1)",
        "site.yaml:4:19: landmarks.main '#content': 1 element: <div#content> (line 1)",
        "site.yaml:5:10: heading 'h2': 2 elements: <h2> (line 1), <h2> (line 1)",
        "site.yaml:3:17: remove[1] '.gone': matched nothing",
    ]
