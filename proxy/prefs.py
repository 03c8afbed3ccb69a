"""The visitor's reading preferences, read from our first-party cookie.

(Extended by the toolbar; the pipeline only needs a hashable value object.)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

COOKIE_NAME = "a11y_prefs"


@dataclass(frozen=True)
class Preferences:
    text: int = 100  #: text size in percent

    @classmethod
    def from_cookie(cls, value: str | None) -> Preferences:
        if not value:
            return cls()
        fields = dict(parse_qsl(value))
        text = fields.get("text", "")
        return cls(text=int(text) if text.isdigit() and 50 <= int(text) <= 400 else 100)
