"""Every typed `web.AppKey` in one place, so app.py and handler.py share them without cycles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import ClientSession, web

if TYPE_CHECKING:
    from proxy.pipeline import Pipeline
    from proxy.render.service import Renderer
    from proxy.routing import Router
    from proxy.settings import Settings
    from proxy.siterules.store import RuleStore

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
SESSION: web.AppKey[ClientSession] = web.AppKey("session", ClientSession)
ROUTER: web.AppKey[Router] = web.AppKey("router")
RULES: web.AppKey[RuleStore] = web.AppKey("rules")
PIPELINE: web.AppKey[Pipeline] = web.AppKey("pipeline")
#: the server-side renderer, or None when rendering is off or impossible (proxy/render/)
RENDERER: web.AppKey[Renderer | None] = web.AppKey("renderer")
#: origin host -> charset of its last rewritten page (unlabelled CSS/text is decoded with it)
PAGE_CHARSETS: web.AppKey[dict[str, str]] = web.AppKey("page_charsets", dict)
