"""Text resources other than HTML (stylesheets, plain text): decoded, filtered, served as UTF-8.

A legacy GBK stylesheet without `@charset` is decoded by browsers with the referring page's
charset; once our pages are UTF-8 it would break, so such resources pass through here too.
Each filter is `(text, ctx) -> text`; the order lives in `FILTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from proxy.css.fonts import scale_stylesheet
from proxy.css.urls import rewrite_css_urls
from proxy.encoding.detect import decode_text_resource
from proxy.routing import UrlMapper
from proxy.siterules.model import DEFAULT_RULES, SiteRules
from proxy.visitor.prefs import Preferences
from proxy.visitor.schemes import colours

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
    """The `FILTERS` step: a linked stylesheet scaled to the visitor's text step, with
    the contrast floor in the default colour scheme (the others override every colour).
    Its bytes depend on our cookie at every step (100 included), so no shared cache may keep
    one visitor's version for another."""
    if ctx.media_type != "text/css":
        return text
    ctx.response_headers["Vary"] = "Cookie"
    ctx.response_headers["Cache-Control"] = "private"
    return scale_stylesheet(text, ctx.prefs.text / 100,
                            floor=colours(ctx.prefs.scheme) is None)


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
