"""Static files of the demo origin, held in memory, with ETag/Last-Modified, 304 and Range."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.abc import Traversable

from aiohttp import hdrs, web

from proxy.demo.assets import REPORT_PDF, build_images
from proxy.demo.pages import encode_gbk

LAST_MODIFIED = datetime(2019, 9, 20, 8, 30, tzinfo=UTC)

CONTENT_TYPES = {
    "css": "text/css",
    "js": "application/javascript",
    "html": "text/html",
    "gif": "image/gif",
    "png": "image/png",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str

    @property
    def etag(self) -> str:
        return f'"{len(self.body):x}-{hashlib.sha1(self.body).hexdigest()[:12]}"'


def _walk(root: Traversable, prefix: str = "") -> dict[str, Traversable]:
    found: dict[str, Traversable] = {}
    for entry in root.iterdir():
        path = f"{prefix}/{entry.name}"
        if entry.is_dir():
            found.update(_walk(entry, path))
        else:
            found[path] = entry
    return found


def load_static_files() -> dict[str, StaticFile]:
    """URL path -> file: the UTF-8 text sources under site/static encoded as GBK, plus the
    generated images and the PDF attachment."""
    files: dict[str, StaticFile] = {}
    root = resources.files(__package__).joinpath("site/static")
    for path, entry in _walk(root).items():
        ext = path.rsplit(".", 1)[-1]
        files[path] = StaticFile(encode_gbk(entry.read_text("utf-8")), CONTENT_TYPES[ext])
    for path, data in build_images().items():
        files[path] = StaticFile(data, CONTENT_TYPES[path.rsplit(".", 1)[-1]])
    files["/files/report.pdf"] = StaticFile(REPORT_PDF, "application/pdf")
    return files


def _not_modified(request: web.Request, etag: str) -> bool:
    if_none_match = request.headers.get(hdrs.IF_NONE_MATCH)
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = request.if_modified_since
    return since is not None and since >= LAST_MODIFIED


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(start, end) inclusive for a single satisfiable range; None when the header should be
    ignored (malformed or several ranges); False when unsatisfiable."""
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or (not m.group(1) and not m.group(2)):
        return None
    if not m.group(1):
        length = int(m.group(2))
        return (max(size - length, 0), size - 1) if length and size else False
    start = int(m.group(1))
    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    if m.group(2) and int(m.group(2)) < start:
        return None
    return (start, end) if start < size else False


def serve(request: web.Request, file: StaticFile) -> web.Response:
    etag = file.etag
    headers = {
        hdrs.CONTENT_TYPE: file.content_type,
        hdrs.ETAG: etag,
        hdrs.LAST_MODIFIED: LAST_MODIFIED.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        hdrs.ACCEPT_RANGES: "bytes",
    }
    if _not_modified(request, etag):
        del headers[hdrs.CONTENT_TYPE]
        return web.Response(status=304, headers=headers)
    range_header = request.headers.get(hdrs.RANGE)
    if_range = request.headers.get(hdrs.IF_RANGE)
    validators = (etag, headers[hdrs.LAST_MODIFIED])
    if range_header and (if_range is None or if_range.strip() in validators):
        size = len(file.body)
        span = _byte_range(range_header, size)
        if span is False:
            headers[hdrs.CONTENT_RANGE] = f"bytes */{size}"
            return web.Response(status=416, headers=headers)
        if isinstance(span, tuple):
            start, end = span
            headers[hdrs.CONTENT_RANGE] = f"bytes {start}-{end}/{size}"
            return web.Response(status=206, body=file.body[start : end + 1], headers=headers)
    return web.Response(body=file.body, headers=headers)
