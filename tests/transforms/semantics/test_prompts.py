"""semantics_prompts: a prompt written as a field's value becomes its placeholder."""

from __future__ import annotations

import pytest

from proxy.page import parse_html
from proxy.pipeline import Pipeline
from proxy.transforms import default_transforms
from proxy.transforms.semantics import prompts as semantics_prompts
from tests.factories import page_from_body

#: text that trails off like a prompt but is longer than one: content, kept
LONG_TEXT = "这是一段已经写好的很长的意见内容，不是提示语，而是访客或网站写入的正文……"
assert len(LONG_TEXT) > semantics_prompts.MAX_PROMPT


def field(body: str) -> object:
    page = page_from_body(f"<form>{body}</form>")
    semantics_prompts.repair(page)
    return page.tree.xpath("//input | //textarea")[0]


@pytest.mark.parametrize(("body", "placeholder", "value"), [
    ('<input type="text" value="请输入您要搜索的关键字" onfocus="this.value=\'\'">',
     "请输入您要搜索的关键字", None),
    ('<input value="请输入关键词">', "请输入关键词", None),
    ('<input type="search" value="搜索本站...">', "搜索本站...", None),
    ("<textarea>有事没事说两句...</textarea>", "有事没事说两句...", None),
    ('<input value="统战工作">', None, "统战工作"),
    ('<input value="请输入关键词" placeholder="关键词">', "关键词", "请输入关键词"),
    ('<input value="请输入关键词" readonly>', None, "请输入关键词"),
    ('<input type="hidden" value="请输入">', None, "请输入"),
    (f"<textarea>{LONG_TEXT}</textarea>", None, LONG_TEXT),
], ids=["onfocus-cleared-prompt", "prompt-phrase", "trailing-dots", "textarea-prompt",
        "a-real-value-stays", "own-placeholder-wins", "read-only-stays", "hidden-is-data",
        "long-text-is-content"])
def test_a_prompt_value_becomes_the_placeholder(body, placeholder, value):
    el = field(body)
    assert el.get("placeholder") == placeholder
    assert (el.get("value") if el.tag == "input" else el.text) == value


def test_the_field_is_then_named_by_its_prompt_in_the_pipeline():
    page = page_from_body('<div class="comment">'
                          "<textarea class=\"textarea-fw\">有事没事说两句...</textarea></div>")
    Pipeline(default_transforms()).run(page)
    area = page.tree.find(".//textarea")
    assert (area.text, area.get("placeholder"), area.get("aria-label")) == \
        (None, "有事没事说两句...", "有事没事说两句...")


@pytest.mark.parametrize("body", [
    '<input value="x">', '<input>', '<input value="x" placeholder="p">',
    '<input value="x" readonly>', '<input value="x" disabled>', '<input type="TEXT" value="x">',
    '<input type="radio" value="x">', "<textarea>x</textarea>", "<textarea> </textarea>",
    '<textarea readonly>x</textarea>', '<textarea placeholder="p">x</textarea>'])
def test_the_python_field_test_lets_every_field_by(body):
    # the attribute test before the XPath may only turn away what the XPath turns away
    el = parse_html(f"<html><body>{body}</body></html>").xpath("//input | //textarea")[0]
    assert semantics_prompts._may_be_field(el) or not semantics_prompts.IS_FIELD(el)
