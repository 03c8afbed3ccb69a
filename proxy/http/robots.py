"""`X-Robots-Tag: noindex` on proxied copies, so search engines keep listing the origin.

A copy of every page of a site under a second host name would compete with the site itself in
search results (and a search engine would send visitors who never asked for the barrier-free
mode to it). `config.yaml` decides (`robots.noindex`, default on) and, separately, whether our
own pages under the prefix (help, settings, statement) carry it too (`robots.noindex_own_pages`,
default off: a statement page is meant to be found).

Set in `on_response_prepare`, so streamed files, cached pages and error pages get it as well.
"""

from __future__ import annotations

from aiohttp import web

from proxy.keys import SETTINGS

HEADER = "X-Robots-Tag"
VALUE = "noindex"


def wants_noindex(path: str, prefix: str, noindex: bool, noindex_own_pages: bool) -> bool:
    """Whether the answer for `path` carries the header: ours under `prefix`, else a copy."""
    own = path.startswith(prefix) or path == prefix.rstrip("/")
    return noindex_own_pages if own else noindex


async def _add_header(request: web.Request, response: web.StreamResponse) -> None:
    settings = request.app[SETTINGS]
    robots = settings.robots
    if wants_noindex(request.path, settings.prefix, robots.noindex, robots.noindex_own_pages):
        # keep what the origin said (noarchive ...) and add ours
        said = response.headers.get(HEADER, "")
        if VALUE not in said.lower():
            response.headers[HEADER] = f"{said}, {VALUE}" if said else VALUE


def install(app: web.Application) -> None:
    app.on_response_prepare.append(_add_header)
