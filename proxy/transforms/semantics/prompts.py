"""A prompt written as a field's value becomes its placeholder.

Legacy forms put the prompt in the field itself (`<input value="请输入关键词"
onfocus="this.value=''">`, `<textarea>有事没事说两句...</textarea>`) and let a script clear it
on focus. With the scripts gone the prompt is a real value: a visitor must delete it before
typing, and a search sent as it is searches for "请输入关键词". Moved to `placeholder`, the
browser shows the same words greyed while the field is empty and sends nothing of them, and
the labelling step (semantics_forms) names the field by it when nothing else does.

A value counts as a prompt only when it reads like one: it starts with a prompt phrase
(PROMPT_STARTS in rules/default.yaml: 请输入, 请填写, …) or trails off ("…", "..."), and is
short. Read-only and disabled fields keep their values.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from proxy.heuristics.hints import Hints
from proxy.page import Page
from proxy.pipeline import Transform
from proxy.transforms.semantics.forms import TEXT_BOX_TEST

#: an editable text field with a value and no placeholder of its own
IS_FIELD = etree.XPath(
    f"boolean(self::input[@value][not(@placeholder)][not(@readonly)][not(@disabled)]"
    f"[{TEXT_BOX_TEST}] | self::textarea[normalize-space()][not(*)][not(@placeholder)]"
    "[not(@readonly)][not(@disabled)])")
#: a prompt that trails off invites typing ("有事没事说两句...")
TRAILING = ("...", "…")
#: longer than this it is content, not a prompt
MAX_PROMPT = 30


def prompt_of(field: Any, starts: tuple[str, ...]) -> str | None:
    raw = field.get("value") if field.tag == "input" else field.text
    prompt = " ".join((raw or "").split())
    if not prompt or len(prompt) > MAX_PROMPT:
        return None
    return prompt if prompt.startswith(starts) or prompt.endswith(TRAILING) else None


class Prompts(Transform):
    name = "semantics.prompts"
    switch = "semantics"  #: `disable: [semantics]` turns every semantic repair off

    def finish(self, page: Page) -> None:
        repair(page)


def repair(page: Page) -> None:
    body = page.tree.find("body")
    if body is None:
        return
    # the body's fields from one C-level pass (lxml's iter by tag) instead of two whole-tree
    # queries; the attributes most fields fail on are read in Python before the exact test
    fields = [el for el in body.iter("input", "textarea") if _may_be_field(el) and IS_FIELD(el)]
    if not fields:
        return
    starts = Hints.of(page.rules).texts("PROMPT_STARTS")
    for field in fields:
        prompt = prompt_of(field, starts)
        if prompt is None:
            continue
        field.set("placeholder", prompt)
        if field.tag == "input":
            del field.attrib["value"]
        else:
            field.text = None


def _may_be_field(el: Any) -> bool:
    """`IS_FIELD`'s attribute tests that need no XPath: a value (an input's), no placeholder,
    not read-only or disabled."""
    return (el.tag == "textarea" or el.get("value") is not None) and \
        el.get("placeholder") is None and el.get("readonly") is None and \
        el.get("disabled") is None
