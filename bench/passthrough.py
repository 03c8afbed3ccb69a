"""The baseline: a minimal aiohttp pass-through reverse proxy (what any proxy costs at least).

It forwards method, path, query, headers and body, and streams the answer back in 64 KiB chunks
without looking at it: no rewriting, no cache, no metrics, no logs. Our proxy is measured
against it in bench_proxy.py.

    python bench/passthrough.py --listen 127.0.0.1:8090 --upstream http://127.0.0.1:8081
"""

from __future__ import annotations

import argparse

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}
CHUNK = 64 * 1024
SESSION = web.AppKey("session", ClientSession)
UPSTREAM = web.AppKey("upstream", str)


async def forward(request: web.Request) -> web.StreamResponse:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    data = request.content if request.body_exists else None
    async with request.app[SESSION].request(
            request.method, request.app[UPSTREAM] + request.raw_path, headers=headers, data=data,
            allow_redirects=False) as upstream:
        out = web.StreamResponse(status=upstream.status, headers={
            k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP})
        if upstream.content_length is not None:
            out.content_length = upstream.content_length
        await out.prepare(request)
        async for chunk in upstream.content.iter_chunked(CHUNK):
            await out.write(chunk)
        await out.write_eof()
        return out


def create_app(upstream: str) -> web.Application:
    async def session(app: web.Application):
        async with ClientSession(connector=TCPConnector(limit=0), auto_decompress=False,
                                 timeout=ClientTimeout(total=None)) as s:
            app[SESSION] = s
            yield

    app = web.Application()
    app[UPSTREAM] = upstream.rstrip("/")
    app.cleanup_ctx.append(session)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:8090")
    parser.add_argument("--upstream", required=True)
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    web.run_app(create_app(args.upstream), host=host, port=int(port), access_log=None,
                print=None)


if __name__ == "__main__":
    main()
