"""The benchmark origin: the embedded demo site plus corpus pages, a 1 MB page and a cacheable
copy of the demo article, in its own process (so it does not share an event loop with a proxy).

    python bench/origin.py --listen 127.0.0.1:8081
Routes added to the demo: /bench/corpus/<file> (corpus bytes as text/html, no charset, like a
legacy server), /bench/huge.html (about 1 MB of GBK article), /bench/cached.html (the demo article
with Cache-Control: max-age=3600).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from aiohttp import web

from proxy.demo import create_demo_app
from proxy.demo.pages import article_page, find_article

#: next to the checkout (/work/main -> /work/shared), or the shared folder itself (a worktree)
CORPUS = next((p / "corpus" / "pages" for p in (
    Path(__file__).resolve().parent.parent.parent / "shared", Path("/work/shared"))
    if (p / "corpus" / "pages").is_dir()), Path("/work/shared/corpus/pages"))
HUGE_BYTES = 1_000_000


def huge_page() -> bytes:
    """The demo article with its content block repeated up to about 1 MB (still GBK)."""
    page = article_page(find_article(5678))
    match = re.search(rb"<p[ >].*</p>", page, re.S)
    block = match.group(0) if match else b"<p>x</p>"
    repeats = max(1, (HUGE_BYTES - len(page)) // len(block))
    return page[:match.end()] + block * repeats + page[match.end():] if match else page


def create_bench_origin() -> web.Application:
    app = create_demo_app()
    article = article_page(find_article(5678))
    huge = huge_page()

    async def corpus(request: web.Request) -> web.Response:
        path = CORPUS / request.match_info["name"]
        if not path.is_file() or path.parent != CORPUS:
            raise web.HTTPNotFound()
        return web.Response(body=path.read_bytes(), headers={"Content-Type": "text/html"})

    async def big_html(request: web.Request) -> web.Response:
        return web.Response(body=huge, headers={"Content-Type": "text/html"})

    async def cached(request: web.Request) -> web.Response:
        return web.Response(body=article, headers={"Content-Type": "text/html",
                                                   "Cache-Control": "max-age=3600"})

    app.router.add_get("/bench/corpus/{name}", corpus)
    app.router.add_get("/bench/huge.html", big_html)
    app.router.add_get("/bench/cached.html", cached)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:8081")
    host, _, port = parser.parse_args().listen.rpartition(":")
    web.run_app(create_bench_origin(), host=host, port=int(port), access_log=None, print=None)


if __name__ == "__main__":
    main()
