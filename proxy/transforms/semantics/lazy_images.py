"""Lazy-loaded images get their real address, as the page's (removed) script would have done.

A lazy loader keeps an image's address in `data-src`, `data-original`, `original` ... and shows
nothing or a placeholder (a data: URI, a spacer, grey.gif, image-lazy.png) until the image
scrolls into view. Scripts are removed, so the swap is done here: the picture is then shown,
and the image is named (or not) like any other. An origin address goes through the proxy.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from proxy.heuristics.hints import words
from proxy.page import Page

#: attributes of lazy-loading scripts that hold the real address of an image
LAZY_SOURCES = ("data-src", "data-original", "original", "data-lazy-src", "data-echo",
                "lazy-src", "data-actualsrc")
_LAZY_SOURCE_SET = frozenset(LAZY_SOURCES)
#: file-name words of the picture a lazy loader shows until it swaps the real one in
PLACEHOLDER_WORDS = frozenset({"loading", "lazy", "lazyload", "placeholder", "blank", "grey",
                               "gray", "transparent"})


def load_lazy_images(page: Page, spacers: tuple[str, ...], images: Iterable[Any]) -> None:
    """`spacers`: file names (lower case) that are placeholders too (SPACER_IMAGES).
    `images`: the body's images (the caller walks them anyway); those with a lazy loader's
    attribute are looked at, in this order."""
    lazy = [img for img in images if not _LAZY_SOURCE_SET.isdisjoint(img.keys())]
    for img in lazy:
        _load_lazy(img, page, spacers)


def _load_lazy(img: Any, page: Page, spacers: tuple[str, ...]) -> None:
    """Put the lazy loader's real address in `src` when `src` is missing or a placeholder."""
    src = (img.get("src") or "").strip()
    if src and not _is_placeholder(src, spacers):
        return
    for attr in LAZY_SOURCES:
        real = (img.get(attr) or "").strip()
        if real and real != src and _is_image_address(real):
            if page.mapper is not None and "//" in real:
                real = page.mapper.to_proxy(real) or real
            img.set("src", real)
            return


@lru_cache(maxsize=4096)
def _is_placeholder(src: str, spacers: tuple[str, ...]) -> bool:
    """A data: URI, a spacer or a lazy loader's stand-in (a pure function of its arguments,
    and a page's lazy images share one placeholder: memoised)."""
    stem = urlsplit(src).path.rsplit("/", 1)[-1].lower()
    return src.lower().startswith("data:") or stem in spacers \
        or bool(set(words(stem.rsplit(".", 1)[0])) & PLACEHOLDER_WORDS)


def _is_image_address(value: str) -> bool:
    """A relative or http(s) address (not "true", not script, not a data: placeholder)."""
    if " " in value or ("/" not in value and "." not in value):
        return False
    scheme = urlsplit(value).scheme.lower()
    return scheme in ("", "http", "https")
