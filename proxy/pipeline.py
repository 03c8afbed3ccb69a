"""Run the ordered transforms over one page: prepare, one shared tree walk, finish.

Speed by design: lxml's parse + serialize is the floor, so transforms do not each walk the tree.
A transform may implement `visit(el, page)`; the pipeline walks the tree once and hands every
element to every visitor (lol-html's selector handlers, done over an lxml tree).

Failure isolation (mitmproxy's safecall): a failing transform is logged with its name and host
and the page goes on without it. A `critical` transform (script removal: a security boundary)
is never skipped: its failure aborts the rewrite and the handler serves a safe page instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from proxy.page import Page

log = logging.getLogger(__name__)


class Transform:
    """One job on the tree. Override any of `prepare`, `visit`, `finish`."""

    name: ClassVar[str] = "transform"  #: in logs and metrics; unique in the pipeline
    critical: ClassVar[bool] = False  #: True: failure must not let the page through
    switchable: ClassVar[bool] = True  #: a site rule may turn it off with `disable:`
    #: the name `disable:` uses, when several steps are switched as one (every semantic repair
    #: is `semantics`); None: the step's own name
    switch: ClassVar[str | None] = None

    @property
    def switch_name(self) -> str:
        return self.switch or self.name

    def prepare(self, page: Page) -> None:
        """Before the shared walk (whole-document work, inserting content to be walked)."""

    def visit(self, el: Any, page: Page) -> None:
        """Called once for every element (and comment) of the tree, in document order."""

    def finish(self, page: Page) -> None:
        """After the shared walk (work that needs the whole tree seen)."""

    async def gather(self, page: Page, fetch: Any) -> None:
        """Before `prepare`, on the event loop: fetch what the page needs from the origin
        (`await fetch(path)` -> (bytes, content type) or None; same-origin and bounded)."""


class RewriteAborted(Exception):
    """A critical transform failed: the page must not be served as rewritten."""

    def __init__(self, transform: str) -> None:
        super().__init__(f"critical transform {transform!r} failed")
        self.transform = transform


def _overrides(transform: Transform, method: str) -> bool:
    return getattr(type(transform), method) is not getattr(Transform, method)


class Pipeline:
    """The transforms in their one order; `run` applies them to a page."""

    def __init__(self, transforms: Iterable[Transform]) -> None:
        self.transforms = tuple(transforms)
        self.timings: dict[str, float] = {}  # cumulative seconds per transform (for metrics)
        self.on_timing = None  # optional callback(name, seconds), set by metrics

    def _active(self, page: Page) -> list[Transform]:
        return [t for t in self.transforms
                if not t.switchable or page.rules.enabled(t.switch_name)]

    def _failed(self, transform: Transform, page: Page, phase: str) -> None:
        log.exception("transform=%s host=%s phase=%s failed; page goes on without it",
                      transform.name, page.host, phase)
        if transform.critical:
            raise RewriteAborted(transform.name)

    async def gather(self, page: Page, fetch: Any) -> None:
        for transform in self._active(page):
            if _overrides(transform, "gather"):
                try:
                    await transform.gather(page, fetch)
                except Exception:
                    log.exception("transform=%s host=%s phase=gather failed",
                                  transform.name, page.host)

    def run(self, page: Page) -> None:
        active = self._active(page)
        spent = dict.fromkeys((t.name for t in active), 0.0)
        failed: set[str] = set()
        for transform in active:
            started = time.perf_counter()
            try:
                transform.prepare(page)
            except Exception:
                failed.add(transform.name)
                self._failed(transform, page, "prepare")
            spent[transform.name] += time.perf_counter() - started
        visitors = [t for t in active if t.name not in failed and _overrides(t, "visit")]
        if visitors:
            self._walk(page, visitors, failed, spent)
        for transform in active:
            if transform.name in failed:
                continue
            started = time.perf_counter()
            try:
                transform.finish(page)
            except Exception:
                self._failed(transform, page, "finish")
            spent[transform.name] += time.perf_counter() - started
        for name, seconds in spent.items():
            self.timings[name] = self.timings.get(name, 0.0) + seconds
            if self.on_timing:
                self.on_timing(name, seconds)

    def _walk(self, page: Page, visitors: list[Transform], failed: set[str],
              spent: dict[str, float]) -> None:
        # A snapshot of the elements, so visitors may remove or insert nodes safely; content a
        # visitor inserts is not walked (it is ours, or a later `finish` handles it).
        started = time.perf_counter()
        elements = list(page.tree.iter())
        calls = [(t, t.visit) for t in visitors]
        for el in elements:
            for transform, visit in calls:
                try:
                    visit(el, page)
                except Exception:
                    failed.add(transform.name)
                    calls = [c for c in calls if c[0] is not transform]
                    self._failed(transform, page, "visit")
        # the walk's cost is shared; book it on the visitors evenly
        share = (time.perf_counter() - started) / len(visitors)
        for transform in visitors:
            spent[transform.name] += share

