"""简 / 繁: the page's Chinese text in Simplified or Traditional (the `script` preference).

Converted with OpenCC (proxy/reading/script_convert.py): text nodes, the `<title>`, and the
attributes people read (`alt`, `title`, `placeholder`, `aria-label`). Never converted: URLs and
data attributes, scripts and styles, and anything sent back to the origin: `input` values,
`textarea` text, and an `<option>`'s value (an option without a `value` gets its original text
as its value before its label is converted, so the form still submits the origin's characters).
`lang` says the result: `zh-Hans`, `zh-Hant` (`zh-Hant-TW`, `zh-Hant-HK`) where it said Chinese.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from proxy.page import Page
from proxy.pipeline import Transform
from proxy.reading import script_convert, textnodes

READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
#: elements whose attributes above may be converted (inputs' placeholders; not their values)
WITH_READ_ATTRIBUTES = etree.XPath("//*[@alt or @title or @placeholder or @aria-label]")
OPTIONS = etree.XPath("//option")
LANGS = etree.XPath("//*[@lang]")
#: besides textnodes.NOT_TEXT; options are converted apart (their text may be their value)
SKIP = ("option",)


class ChineseScript(Transform):
    name = "chinese_script"

    def finish(self, page: Page) -> None:
        target = page.prefs.script
        if target not in script_convert.TARGETS:
            return
        slots = textnodes.slots(page.tree, SKIP)
        options = [o for o in OPTIONS(page.tree) if o.text]
        for option in options:
            if option.get("value") is None:
                option.set("value", " ".join(option.text_content().split()))
        attributes = [(el, name) for el in WITH_READ_ATTRIBUTES(page.tree)
                      if el.tag not in ("script", "style")
                      for name in READ_ATTRIBUTES if el.get(name)]
        texts = [textnodes.get(s) for s in slots] + [o.text for o in options] + \
            [el.get(name) for el, name in attributes]
        converted = iter(script_convert.convert(texts, target))
        for slot in slots:
            textnodes.put(slot, next(converted))
        for option in options:
            option.text = next(converted)
        for el, name in attributes:
            el.set(name, next(converted))
        _set_lang(page.tree, script_convert.lang_tag(target))
        page.notes.append(f"chinese_script: {len(texts)} texts to {target}")


def _set_lang(root: Any, tag: str) -> None:
    """Every Chinese `lang` (and the page's, when it has none) says the converted script."""
    if not (root.get("lang") or "").strip():
        root.set("lang", tag)
    for el in LANGS(root):
        if el.get("lang", "").lower().startswith("zh"):
            el.set("lang", tag)
            if el.get("xml:lang") is not None:
                el.set("xml:lang", tag)
