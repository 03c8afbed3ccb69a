"""What charset does a site use? Learned from its pages, shared by every worker and replica.

A browser decodes an unlabelled stylesheet with the referring page's charset and submits a form
in the page's charset; once our pages are UTF-8, the proxy has to supply that knowledge itself,
for a stylesheet fetched on its own (a new worker, a cache miss, a direct link) and for a
client that posts UTF-8 to a GBK origin. The answer, in order:

1. the site rules' `encoding` override;
2. the charset of the site's last rewritten page, remembered in this process and written to
   the shared level: the optional Redis (`cache.redis_url`, shared by replicas) or, for the
   workers of one machine, one small file per site in a directory they share;
3. nothing: the caller falls back on the bytes (text resources prefer a plausible CJK reading,
   proxy.encoding.detect) or leaves a form body as it is.

Only configured origins are ever asked about, so the memory is bounded by the configuration.
A shared level that fails is logged once and treated as empty: it only adds knowledge.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Protocol

from proxy.encoding.detect import normalize_label

log = logging.getLogger(__name__)

REDIS_PREFIX = "bfp:charset:"
#: a site that stopped being visited is forgotten by Redis after this many seconds
REDIS_KEEP_SECONDS = 30 * 24 * 3600
ASK_AGAIN_SECONDS = 10.0  #: a site the shared level did not know is asked again after this
REDIS_TIMEOUT = 0.5  #: seconds: a slow shared level must not make a stylesheet slow
FILE_PREFIX = "site-charset-"
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")
_CODEC = re.compile(r"[A-Za-z0-9_-]{1,40}")  #: what a stored value may look like


class SharedLevel(Protocol):
    async def get(self, host: str) -> str | None: ...
    async def put(self, host: str, codec: str) -> None: ...
    async def close(self) -> None: ...


class SiteCharsets:
    """host -> Python codec of its pages; memory first, then the shared level."""

    def __init__(self, shared: SharedLevel | None = None) -> None:
        self.shared = shared
        self._known: dict[str, str] = {}
        self._asked: dict[str, float] = {}  #: host -> when the shared level may be asked again

    async def for_site(self, host: str, override: str | None = None) -> str | None:
        """The site's charset: the rules' override (not "auto"), else what its pages said."""
        if override and override.lower() != "auto" and (codec := normalize_label(override)):
            return codec
        return await self.lookup(host)

    async def lookup(self, host: str) -> str | None:
        codec = self._known.get(host)
        if codec is None and self.shared is not None \
                and self._asked.get(host, 0.0) <= time.monotonic():
            # a foreign value in the shared level is no charset of ours: normalize_label -> None
            codec = normalize_label(await self.shared.get(host))
            if codec is not None:
                self._known[host] = codec
            else:  # not known yet: the next stylesheets do not each wait for the same answer
                self._asked[host] = time.monotonic() + ASK_AGAIN_SECONDS
        return codec

    async def learn(self, host: str, codec: str) -> None:
        """A page of `host` was decoded as `codec`; the shared level is written on change."""
        if self._known.get(host) == codec:
            return
        self._known[host] = codec
        if self.shared is not None:
            await self.shared.put(host, codec)

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.close()


class _Warner:
    def __init__(self, where: str) -> None:
        self.where = where
        self.warned = False

    def warn(self, operation: str, exc: BaseException) -> None:
        level = logging.DEBUG if self.warned else logging.WARNING
        log.log(level, "site charsets: %s on %s failed: %r; going on without it", operation,
                self.where, exc)
        self.warned = True


class RedisLevel:
    """`bfp:charset:<host>` in the page cache's Redis: every replica learns from the others."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis  # optional dependency: pip install .[redis]

        self.client = redis.from_url(url, socket_timeout=REDIS_TIMEOUT,
                                     socket_connect_timeout=REDIS_TIMEOUT)
        self._warner = _Warner(url)

    async def get(self, host: str) -> str | None:
        try:
            value = await self.client.get(REDIS_PREFIX + host)
        except Exception as exc:  # noqa: BLE001 - redis or network: the level is optional
            self._warner.warn("get", exc)
            return None
        return _stored_codec(value)

    async def put(self, host: str, codec: str) -> None:
        try:
            await self.client.set(REDIS_PREFIX + host, codec, ex=REDIS_KEEP_SECONDS)
        except Exception as exc:  # noqa: BLE001
            self._warner.warn("set", exc)

    async def close(self) -> None:
        await self.client.aclose()


class DirectoryLevel:
    """One file per site in a directory the workers of one machine share (written whole,
    by rename, so a reader never sees half a value)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._warner = _Warner(str(self.path))

    def _file(self, host: str) -> Path:
        return self.path / (FILE_PREFIX + _UNSAFE.sub("_", host))

    async def get(self, host: str) -> str | None:
        try:
            return _stored_codec(self._file(host).read_bytes())
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._warner.warn("read", exc)
            return None

    async def put(self, host: str, codec: str) -> None:
        try:
            fd, temporary = tempfile.mkstemp(dir=self.path, prefix=".charset-")
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(codec)
            os.replace(temporary, self._file(host))
        except OSError as exc:
            self._warner.warn("write", exc)

    async def close(self) -> None:
        return None


def _stored_codec(value: bytes | None) -> str | None:
    if not value:
        return None
    text = value.decode("ascii", "replace").strip()
    return text if _CODEC.fullmatch(text) else None


def shared_level(redis_url: str | None, directory: str | None) -> SharedLevel | None:
    """Redis when the deployment has one (replicas), else the workers' shared directory."""
    if redis_url:
        try:
            return RedisLevel(redis_url)
        except ImportError:
            log.warning("site charsets: redis is not installed; using %s",
                        directory or "this process's memory")
    return DirectoryLevel(directory) if directory else None
