"""朗读: `/_a11y/listen?next=/path` (a page with the audio of a page's main content) and
`/_a11y/speak?path=/path[&part=N]` (the audio itself: the whole content, or its N-th paragraph).

The text is the page's main content as reading view finds it, fetched from the origin by the
server (same origin, bounded, like includes) and remembered for a while per path, so the audio
is keyed by the text's hash (proxy/reading/speech.py: the engine, bounds and disk cache). The
audio is WAV: cached, it is a file with Content-Length and Range (206); still being made, it is
streamed as it grows. Without espeak-ng both routes answer 503 with a page that says so, and
the toolbar has no link to them.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from html import escape
from urllib.parse import quote, urlencode

from aiohttp import web

from proxy.encoding.detect import decode_html
from proxy.http.headers import CSP
from proxy.http.upstream import fetcher
from proxy.keys import PIPELINE, ROUTER, RULES, SESSION, SETTINGS
from proxy.page import Page, parse_html
from proxy.reading import speech, speech_text
from proxy.visitor.errorpages import error_page
from proxy.visitor.pages import render_page
from proxy.visitor.prefs import Preferences, of_request

SPEAKER: web.AppKey[speech.Speaker] = web.AppKey("speaker", speech.Speaker)
#: where the audio cache lives (BFP_SPEECH_CACHE, else the system's temporary directory)
CACHE_ENV = "BFP_SPEECH_CACHE"
TEXTS_KEPT, TEXTS_SECONDS = 256, 300.0  #: paths whose text is remembered, and for how long
AUDIO_TYPE = "audio/wav"
AUDIO_HEADERS = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
NO_ENGINE = "本服务器没有安装语音合成引擎 espeak-ng，暂时不能朗读。" \
            " / Reading aloud needs the speech engine espeak-ng on this server."
_TEXTS: web.AppKey[OrderedDict] = web.AppKey("speech_texts", OrderedDict)


async def _speaker(app: web.Application) -> AsyncIterator[None]:
    default = os.path.join(tempfile.gettempdir(), f"bfp-speech-{os.getuid()}")
    bounds = app[SETTINGS].speech
    app[SPEAKER] = speech.Speaker(
        os.environ.get(CACHE_ENV) or default, cache_bytes=bounds.max_cache_bytes,
        concurrency=bounds.concurrency, max_chars=bounds.max_chars,
        queue_timeout=bounds.queue_timeout, per_client=bounds.per_client,
        per_seconds=bounds.per_seconds)
    app[_TEXTS] = OrderedDict()
    yield
    await app[SPEAKER].close()


def _safe_path(raw: str | None) -> str | None:
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw or \
            any(ord(c) < 0x21 for c in raw):
        return None
    return raw


async def page_texts(request: web.Request, path: str) -> tuple[str, str, list[str]] | None:
    """(title, lang, paragraph texts) of the page at `path` in reading view; None when the
    origin does not answer it with a page."""
    app = request.app
    origin = app[ROUTER].origin_for(request.host)
    if origin is None:
        return None
    kept = app[_TEXTS]
    key = (origin.url, path)
    if (hit := kept.get(key)) is not None and time.monotonic() - hit[0] < TEXTS_SECONDS:
        kept.move_to_end(key)
        return hit[1]
    fetched = await fetcher(app[SESSION], app[SETTINGS], origin)(path)
    if fetched is None or "html" not in (fetched[1] or "text/html").lower():
        return None
    rules = app[RULES].for_host(origin.host)
    decoded = decode_html(fetched[0], fetched[1], rules.encoding)
    page = Page(url=origin.url + path, tree=parse_html(decoded.text), host=origin.host,
                rules=rules, prefs=Preferences(view="reading"), prefix=app[SETTINGS].prefix)
    await asyncio.to_thread(app[PIPELINE].run, page)
    main = (page.tree.xpath("//main") or [page.body])[0]
    texts = [speech_text.spoken_text(p) for p in speech_text.paragraphs(main)]
    title = " ".join((page.tree.findtext(".//title") or path).split())
    found = (title, page.tree.get("lang") or "", texts)
    kept[key] = (time.monotonic(), found)
    while len(kept) > TEXTS_KEPT:
        kept.popitem(last=False)
    return found


def speak_url(prefix: str, path: str, part: int | None = None) -> str:
    query = {"path": path} if part is None else {"path": path, "part": str(part)}
    return f"{prefix}speak?{urlencode(query, quote_via=quote)}"


async def listen(request: web.Request) -> web.Response:
    if not speech.available():
        return error_page(503, detail=NO_ENGINE)
    prefix = request.app[SETTINGS].prefix
    path = _safe_path(request.query.get("next")) or "/"
    found = await page_texts(request, path)
    if found is None:
        return error_page(502)
    title, _, texts = found
    parts = "\n".join(
        f'<li><a href="{escape(speak_url(prefix, path, i))}">第 {i + 1} 段</a>：'
        f"{escape(text[:40])}{'…' if len(text) > 40 else ''}</li>" for i, text in enumerate(texts))
    content = (f"<h1>朗读本页</h1>\n<p>{escape(title)}</p>\n"
               f'<audio controls preload="none" src="{escape(speak_url(prefix, path))}">'
               f'<a href="{escape(speak_url(prefix, path))}">下载朗读音频</a></audio>\n'
               f'<p><a href="{escape(speak_url(prefix, path))}">打开朗读音频（WAV）</a> · '
               f'<a href="{escape(path)}">返回页面</a></p>\n'
               f"<h2>逐段朗读</h2>\n<ol>\n{parts}\n</ol>")
    html = render_page("朗读本页", content, of_request(request), prefix,
                       f"{prefix}listen?{urlencode({'next': path}, quote_via=quote)}")
    return web.Response(text=html, content_type="text/html", charset="utf-8", headers={
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-cache"})


def _busy(exc: speech.Busy, status: int = 503) -> web.Response:
    response = error_page(status, detail=str(exc))
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def speak(request: web.Request) -> web.StreamResponse:
    if not speech.available():
        return error_page(503, detail=NO_ENGINE)
    path = _safe_path(request.query.get("path"))
    part = request.query.get("part")
    if path is None or (part is not None and not part.isdigit()):
        return error_page(400)
    found = await page_texts(request, path)
    if found is None:
        return error_page(502)
    _, lang, texts = found
    chosen = texts if part is None else texts[int(part):int(part) + 1]
    text = "\n".join(speech_text.normalise(t) for t in chosen).strip()
    if not text:
        return error_page(404)
    speaker = request.app[SPEAKER]
    key = speaker.key(speaker_text := speech.cut(text, speaker.max_chars),
                      speech_text.voice(lang, text))
    if (cached := speaker.cached(key)) is not None:
        return _file(cached)
    try:
        job = speaker.start(key, speaker_text, speech_text.voice(lang, text),
                            request.remote or "?")
    except speech.Busy as exc:
        return _busy(exc, 429)
    ranged = request.headers.get("Range", "bytes=0-").replace(" ", "") != "bytes=0-"
    if ranged or request.method == "HEAD":  # a seek: answered from the finished file
        await asyncio.shield(job.task)  # type: ignore[arg-type]
        if (cached := speaker.cached(key)) is None:
            return _busy(speech.Busy(5))
        return _file(cached)
    response = web.StreamResponse(headers={"Content-Type": AUDIO_TYPE, **AUDIO_HEADERS})
    started = False
    try:
        async for chunk in speaker.follow(job):
            if not started:
                await response.prepare(request)
                started = True
            await response.write(chunk)
    except ConnectionError:  # the listener left; the synthesis goes on for the cache
        return response
    if not started:
        return _busy(speech.Busy(5))
    await response.write_eof()
    return response


def _file(path: os.PathLike) -> web.FileResponse:
    return web.FileResponse(path, headers={"Content-Type": AUDIO_TYPE, **AUDIO_HEADERS})


def add_listen_routes(app: web.Application) -> None:
    prefix = app[SETTINGS].prefix
    app.cleanup_ctx.append(_speaker)
    app.router.add_get(prefix + "listen", listen)
    app.router.add_get(prefix + "speak", speak)
