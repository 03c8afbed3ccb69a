"""Property fuzzing (hypothesis) of what hostile input reaches first: the HTML pipeline, the
charset decoder and the rules loader. No exception escapes (the pipeline may only abort with
RewriteAborted, which the handler turns into a safe page), and the output invariants hold."""

from __future__ import annotations

import lxml.html
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.encoding.detect import decode_html
from proxy.page import Page, parse_html, serialize
from proxy.pipeline import RewriteAborted
from proxy.siterules.file import parse_rule_text
from proxy.siterules.schema import TOP_BY_KEY
from proxy.transforms import default_pipeline

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PIPELINE = default_pipeline()
TAGS = ["html", "head", "body", "div", "p", "a", "script", "style", "iframe", "frame",
        "frameset", "table", "td", "tr", "form", "input", "img", "svg", "math", "noscript",
        "meta", "base", "link", "object", "embed", "template", "title", "font", "marquee"]
ATTRS = ["href", "src", "onclick", "onload", "style", "class", "id", "action", "srcdoc",
         "http-equiv", "content", "charset", "xlink:href", "formaction", "data", "background"]
VALUES = ["javascript:alert(1)", "JaVaScRiPt:x", "jav&#x09;ascript:x", "//evil.example/x",
          "http://evil.example/", "/local", "data:text/html,<script>x</script>", "vbscript:x",
          "refresh", "0;url=javascript:x", "x\" onmouseover=\"alert(1)", "font-size:9px",
          "expression(alert(1))", "utf-8", "gbk", ""]


@st.composite
def markup(draw, depth: int = 0) -> str:
    """Random, often broken, HTML built from the tags and attributes attackers use."""
    parts = []
    for _ in range(draw(st.integers(0, 6 if depth < 3 else 1))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            parts.append(draw(st.text(max_size=20)))
        elif kind == 1:
            parts.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "</", "<",
                                               "&#0;", "&#x110000;", "<?xml ?>", "<!DOCTYPE"])))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(f' {draw(st.sampled_from(ATTRS))}="{draw(st.sampled_from(VALUES))}"'
                            for _ in range(draw(st.integers(0, 3))))
            inner = draw(markup(depth + 1)) if depth < 4 else ""
            close = draw(st.booleans())
            parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


def _run_pipeline(text: str) -> bytes | None:
    page = Page(url="http://origin.example/a/b.html", tree=parse_html(text))
    try:
        PIPELINE.run(page)
    except RewriteAborted:
        return None
    return serialize(page.tree)


def _assert_safe(out: bytes) -> None:
    assert out.startswith(b"<!DOCTYPE html>")
    tree = lxml.html.document_fromstring(out.decode("utf-8"))
    assert tree.tag == "html"
    assert not tree.xpath("//script"), "a script survived the pipeline"
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name} survived"
            squashed = "".join(value.split()).lower()
            if name.lower() in ("href", "src", "action", "formaction"):
                assert not squashed.startswith(("javascript:", "vbscript:")), value


@FUZZ
@given(markup())
def test_pipeline_on_random_markup(text):
    out = _run_pipeline(text)
    if out is not None:
        _assert_safe(out)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["text/html", "text/html; charset=gbk",
                                                   "text/html; charset=utf-16", None]))
def test_pipeline_on_random_bytes(body, content_type):
    decoded = decode_html(body, content_type)
    out = _run_pipeline(decoded.text)
    if out is not None:
        _assert_safe(out)


LABELS = st.one_of(st.none(), st.text(max_size=30),
                   st.sampled_from(["gbk", "gb2312", "GB18030", "utf-8", "utf-16", "utf-7",
                                    "big5", "x-user-defined", "iso-2022-jp", "rot13", "hex",
                                    "base64", "zlib", "bz2", "uu", "auto", "idna", "punycode",
                                    "unicode_escape", "raw_unicode_escape", "undefined",
                                    "\x00", "gbk\x00", "utf-8\x00x"]))


@FUZZ
@given(st.binary(max_size=3000), LABELS, LABELS, LABELS)
def test_decoder_never_raises(body, header_label, override, meta_label):
    if meta_label is not None:
        body = f'<meta charset="{meta_label}">'.encode("utf-8", "replace") + body
    content_type = None if header_label is None else f"text/html; charset={header_label}"
    decoded = decode_html(body, content_type, override)
    assert isinstance(decoded.text, str)
    assert isinstance(decoded.encoding, str)


RULE_KEYS = sorted(TOP_BY_KEY) + ["unknown", "toolbar.remove"]
YAML_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                         st.text(max_size=30),
                         st.sampled_from(["div#main", "a[href^=javascript]", ":has(", "*",
                                          "body", "html > body", "::before", "p:nth-child(",
                                          "www.example.gov.cn", "main", "navigation"]))
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(RULE_KEYS + [
                                "selector", "url", "position", "role", "label", "do"]),
                                st.text(max_size=10)), inner, max_size=4)),
    max_leaves=12)


@FUZZ
@given(st.text(max_size=500))
def test_rules_loader_on_random_text(text):
    result = parse_rule_text(text, "fuzz.yaml")
    assert all(problem.message for problem in result.problems)


@FUZZ
@given(st.dictionaries(st.sampled_from(RULE_KEYS), YAML_VALUES, max_size=6))
def test_rules_loader_on_random_rule_documents(document):
    text = yaml.safe_dump(document, allow_unicode=True)
    result = parse_rule_text(text, "fuzz.yaml")
    assert all(problem.message for problem in result.problems)
