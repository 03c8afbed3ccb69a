"""Test factories that make each test a short story (mitmproxy's tflow/taddons analogue)."""

from __future__ import annotations

from proxy.page import Page, parse_html
from proxy.rulefile import load_rules_text as _load_rules_text
from proxy.rules import SiteRules

#: where a test page is said to come from
PAGE_URL = "http://www.example.gov.cn/"


def load_rules_text(yaml_text: str, name: str = "site", default: str | None = None) -> SiteRules:
    """SiteRules from a YAML string (with `default` as default.yaml's text, if given); raises
    ConfigError when the text has an error, so a test never runs on silently broken rules."""
    return _load_rules_text(yaml_text, name, default)


def page_from_body(body: str, url: str = PAGE_URL, **page_fields) -> Page:
    """A parsed page whose <body> is `body` (with a <title>), as a transform receives it."""
    return Page(url=url, tree=parse_html(
        f"<html><head><title>t</title></head><body>{body}</body></html>"), **page_fields)
