"""Pipeline: order, one shared walk, failure isolation, critical transforms never skipped."""

from __future__ import annotations

import logging

import pytest

from proxy.page import Page, parse_html
from proxy.pipeline import Pipeline, RewriteAborted, Transform
from proxy.siterules.model import SiteRules
from proxy.transforms import default_pipeline


def make_page(html: str = "<p>a</p><p>b</p>", **kw) -> Page:
    return Page(url="http://origin.test/", tree=parse_html(html), host="origin.test", **kw)


class Recorder(Transform):
    def __init__(self, name: str, log: list) -> None:
        self.name, self.log = name, log

    def prepare(self, page):
        self.log.append((self.name, "prepare"))

    def visit(self, el, page):
        if el.tag == "p":
            self.log.append((self.name, el.text))

    def finish(self, page):
        self.log.append((self.name, "finish"))


class Broken(Transform):
    name = "broken"

    def visit(self, el, page):
        raise RuntimeError("boom")


class BrokenCritical(Broken):
    name = "critical"
    critical = True
    switchable = False


def test_order_and_one_shared_walk():
    log: list = []
    Pipeline([Recorder("one", log), Recorder("two", log)]).run(make_page())
    assert log == [("one", "prepare"), ("two", "prepare"), ("one", "a"), ("two", "a"),
                   ("one", "b"), ("two", "b"), ("one", "finish"), ("two", "finish")]


def test_failing_transform_is_logged_and_skipped(caplog):
    log: list = []
    with caplog.at_level(logging.ERROR):
        Pipeline([Broken(), Recorder("ok", log)]).run(make_page())
    assert ("ok", "finish") in log
    assert "transform=broken host=origin.test" in caplog.text


class BreaksAtB(Recorder):
    def visit(self, el, page):
        super().visit(el, page)
        if el.text == "b":
            raise RuntimeError("boom")


def test_a_lone_visitor_that_fails_stops_visiting_and_gets_no_finish(caplog):
    """A visitor that fails is called for no later element, and its finish is skipped."""
    log: list = []
    with caplog.at_level(logging.ERROR):
        Pipeline([BreaksAtB("lone", log)]).run(make_page("<p>a</p><p>b</p><p>c</p>"))
    assert log == [("lone", "prepare"), ("lone", "a"), ("lone", "b")]
    assert "transform=lone host=origin.test phase=visit" in caplog.text


def test_critical_failure_aborts_the_rewrite():
    with pytest.raises(RewriteAborted):
        Pipeline([BrokenCritical()]).run(make_page())


def test_rules_switch_a_transform_off_but_never_a_critical_one():
    log: list = []
    recorder = Recorder("landmarks", log)
    page = make_page(rules=SiteRules(disable=frozenset({"landmarks", "critical"})))
    Pipeline([recorder]).run(page)
    assert log == []
    with pytest.raises(RewriteAborted):
        Pipeline([BrokenCritical()]).run(page)


def test_timings_are_reported_per_transform():
    seen = []
    pipeline = Pipeline([Recorder("one", [])])
    pipeline.on_timing = lambda name, seconds: seen.append(name)
    pipeline.run(make_page())
    assert seen == ["one"] and pipeline.timings["one"] >= 0


def test_elements_a_transform_inserts_are_html_elements(caplog):
    """An element made with `etree.Element` is a plain one, without `text_content()`, for as
    long as its maker holds it: here Semantics' inserted <h1> sits before the comment box whose
    label the forms step reads next to it. Made with `lxml.html.Element`, the page is repaired
    whole; before, the step failed and the rest of Semantics was skipped for the page."""
    page = make_page('<html><head><title>t</title></head><body><div class="comment">'
                     "<textarea>有事没事说两句...</textarea></div></body></html>")
    with caplog.at_level(logging.ERROR):
        default_pipeline().run(page)
    assert not [r for r in caplog.records if "failed" in r.getMessage()]
    assert page.tree.find(".//textarea").get("placeholder") == "有事没事说两句..."
