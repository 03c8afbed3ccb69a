"""Test factories that make each test a short story (mitmproxy's tflow/taddons analogue)."""

from __future__ import annotations

from proxy.rulefile import load_rules_text as _load_rules_text
from proxy.rules import SiteRules


def load_rules_text(yaml_text: str, name: str = "site", default: str | None = None) -> SiteRules:
    """SiteRules from a YAML string (with `default` as default.yaml's text, if given); raises
    ConfigError when the text has an error, so a test never runs on silently broken rules."""
    return _load_rules_text(yaml_text, name, default)
