"""Where cached pages live: an in-memory LRU bounded by bytes, and an optional Redis level
shared by every replica (so scaling out does not multiply the load on a small origin).

An entry is our final answer (status, headers, body already compressed for one coding) plus the
origin's validators for revalidation. In Redis it is a JSON header line and the raw body: never
pickle, since anything that can write to the Redis could otherwise run code in the proxy.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field

log = logging.getLogger(__name__)

REDIS_PREFIX = "bfp:page:"
#: how long Redis keeps a stale entry that can still be revalidated (then it is refetched)
STALE_KEEP_SECONDS = 24 * 3600
REDIS_TIMEOUT = 0.5  #: seconds: a slow shared cache must not make pages slow
ENTRY_OVERHEAD = 512  #: bytes charged per entry for its headers and bookkeeping


@dataclass
class Entry:
    status: int
    headers: list[tuple[str, str]]  #: our answer's headers (no Date, no request id)
    body: bytes
    fresh_until: float  #: epoch seconds
    etag: str  #: our ETag for this body (visitors revalidate with us)
    origin_etag: str | None = None
    origin_last_modified: str | None = None
    origin_cache_control: str | None = None
    stored_at: float = field(default_factory=time.time)

    @property
    def size(self) -> int:
        return len(self.body) + ENTRY_OVERHEAD

    def remaining(self, now: float | None = None) -> float:
        return self.fresh_until - (time.time() if now is None else now)

    @property
    def can_revalidate(self) -> bool:
        return bool(self.origin_etag or self.origin_last_modified)

    def to_bytes(self) -> bytes:
        meta = {k: v for k, v in asdict(self).items() if k != "body"}
        return json.dumps(meta, ensure_ascii=False).encode() + b"\n" + self.body

    @classmethod
    def from_bytes(cls, data: bytes) -> Entry:
        meta, _, body = data.partition(b"\n")
        fields = json.loads(meta)
        fields["headers"] = [tuple(pair) for pair in fields["headers"]]
        return cls(body=body, **fields)


class MemoryStore:
    """Least recently used entries go first once the bodies exceed `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self.discard(key)
        if entry.size > self.max_bytes:
            return  # one page larger than the whole cache: not worth evicting everything
        self._entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self.size -= old.size

    def discard(self, key: str) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old.size


class RedisStore:
    """The shared level. Every failure is logged and treated as a miss: the cache is an
    optimisation, never a reason to fail a page."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis  # optional dependency: pip install .[redis]

        self.url = url
        self.client = redis.from_url(url, socket_timeout=REDIS_TIMEOUT,
                                     socket_connect_timeout=REDIS_TIMEOUT)
        self._warned = False

    async def get(self, key: str) -> Entry | None:
        try:
            data = await self.client.get(REDIS_PREFIX + key)
            return Entry.from_bytes(data) if data else None
        except Exception as exc:  # noqa: BLE001 - redis, network or a foreign value
            self._warn("get", exc)
            return None

    async def put(self, key: str, entry: Entry) -> None:
        keep = max(1, int(entry.remaining())) + (STALE_KEEP_SECONDS if entry.can_revalidate else 0)
        try:
            await self.client.set(REDIS_PREFIX + key, entry.to_bytes(), ex=keep)
        except Exception as exc:  # noqa: BLE001
            self._warn("set", exc)

    def _warn(self, operation: str, exc: Exception) -> None:
        level = logging.DEBUG if self._warned else logging.WARNING
        log.log(level, "redis cache %s failed (%s): %r; serving without it", operation,
                self.url, exc)
        self._warned = True

    async def close(self) -> None:
        await self.client.aclose()
