"""Text resources other than HTML (stylesheets, plain text): decoded, filtered, served as UTF-8.

A legacy GBK stylesheet without `@charset` is decoded by browsers with the referring page's
charset; once our pages are UTF-8 it would break, so such resources pass through here too.
Each filter is `(text, ctx) -> text`; the order lives in `FILTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from proxy.css.fonts import rewrite_stylesheet
from proxy.css.urls import rewrite_css_urls
from proxy.encoding.detect import decode_text_resource
from proxy.routing import UrlMapper
from proxy.siterules.model import DEFAULT_RULES, SiteRules
from proxy.visitor.prefs import Preferences

#: media types buffered and rewritten (everything else streams through untouched)
REWRITTEN_TYPES = ("text/css", "text/plain")


@dataclass
class ResourceContext:
    url: str
    media_type: str
    mapper: UrlMapper
    rules: SiteRules = DEFAULT_RULES
    prefs: Preferences = field(default_factory=Preferences)
    #: headers our answer needs because of a filter (e.g. Vary: Cookie)
    response_headers: dict[str, str] = field(default_factory=dict)
    #: the charset of the origin's last page, used for unlabelled resources as browsers do
    referrer_charset: str | None = None


def _css_urls(text: str, ctx: ResourceContext) -> str:
    return rewrite_css_urls(text, ctx.mapper.to_proxy) if ctx.media_type == "text/css" else text


def scale_css_resource(text: str, ctx: ResourceContext) -> str:
    """The `FILTERS` step: a linked stylesheet's sizes switched by the text step and the
    contrast floor applied, as EnlargeFonts and ContrastFloor do to a page's `<style>` (when the
    site's rules run them). The same bytes for every visitor: the page's base style sets the
    switches (proxy/visitor/splice.py), so shared caches may keep it."""
    if ctx.media_type != "text/css":
        return text
    return rewrite_stylesheet(text, scale=ctx.rules.enabled("enlarge_fonts"),
                              floor=ctx.rules.enabled("contrast_floor"))


FILTERS: list[Callable[[str, ResourceContext], str]] = [_css_urls, scale_css_resource]


def decode_resource(body: bytes, content_type: str | None, rules: SiteRules,
                    referrer_charset: str | None = None) -> str:
    """BOM > rule override > header > `@charset` > the referring pages' charset > the bytes,
    verified like pages; served as UTF-8 without `@charset`."""
    return decode_text_resource(body, content_type, rules.encoding, referrer_charset).text


def rewrite_resource(body: bytes, content_type: str | None, ctx: ResourceContext) -> bytes:
    text = decode_resource(body, content_type, ctx.rules, ctx.referrer_charset)
    for text_filter in FILTERS:
        text = text_filter(text, ctx)
    return text.encode("utf-8")
