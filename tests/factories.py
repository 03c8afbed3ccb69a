"""Test factories that make each test a short story (mitmproxy's tflow/taddons analogue)."""

from __future__ import annotations

from proxy.page import Page, parse_html
from proxy.siterules.file import load_rules_text as _load_rules_text
from proxy.siterules.model import SiteRules

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


def run_semantics(page: Page) -> Page:
    """Every semantic repair step, in the pipeline's order (they run one after another there)."""
    from proxy.transforms import default_transforms

    for step in default_transforms():
        if step.switch_name == "semantics":
            step.finish(page)
    return page
