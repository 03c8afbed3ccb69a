"""Install configuration (`config.yaml`): what it holds, with every default.

Kept apart from the per-site rules in `rules/` (Traefik's install vs routing split): a change here
needs a restart, a change in `rules/` is picked up live. Read and validated by
proxy/config/load.py before the port is bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEMO = "demo"  #: the embedded demo origin, started in-process on a loopback port
#: host names the demo's pages use for themselves (absolute and protocol-relative links)
DEMO_ALIASES = ("www.xiuzhiben.com", "xiuzhiben.com")
DEFAULT_PREFIX = "/_a11y/"
WEB_OR_MAIL = ("mailto:", "http://", "https://")  #: what a feedback link may start with


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0  #: seconds to open a connection to the origin
    read: float = 20.0  #: seconds between two reads of the origin's answer
    total: float = 60.0  #: seconds for a whole HTML answer (streams are bounded by `read` only)


@dataclass(frozen=True)
class Limits:
    max_html_bytes: int = 8 * 2**20  #: largest HTML body rewritten (beyond: a safe notice page)
    max_decompressed_bytes: int = 32 * 2**20  #: cap on an HTML body after gunzip/brotli
    max_decompress_ratio: int = 200  #: decompressed/compressed beyond this is a bomb
    max_request_body: int = 64 * 2**20  #: visitor uploads beyond this get 413
    max_include_bytes: int = 512 * 2**10  #: a server-side include fragment
    include_timeout: float = 5.0  #: seconds for one server-side include
    max_concurrency: int = 256  #: requests handled at once per worker before 503
    max_field_size: int = 16 * 2**10  #: one request header line
    max_header_bytes: int = 32 * 2**10  #: all request header lines together (431 beyond)
    offload_bytes: int = 256 * 2**10  #: HTML bodies larger than this are rewritten in a thread
    busy_wait: float = 1.0  #: seconds a request may wait for a free slot before 503 Retry-After
    client_header_timeout: float = 15.0  #: seconds to send a request head; also keep-alive idle
    client_body_timeout: float = 20.0  #: seconds between two chunks of an upload before 408
    client_send_timeout: float = 30.0  #: seconds a visitor may leave our answer unread before a cut
    max_client_connections: int = 32  #: open connections per client IP (raise behind a LB)


@dataclass(frozen=True)
class Cache:
    """The cache of rewritten pages (proxy/cache/); Redis makes it shared between replicas."""

    enabled: bool = True
    max_bytes: int = 64 * 2**20  #: in-memory LRU bound per worker process
    redis_url: str | None = None  #: e.g. redis://cache:6379/0 — optional shared second level
    default_ttl: float = 0.0  #: seconds to keep pages whose origin sends no caching headers


@dataclass(frozen=True)
class Speech:
    """朗读 (proxy/reading/speech.py): bounds on the local speech engine."""

    max_cache_bytes: int = 512 * 2**20  #: disk cache of audio (least recently used go first)
    concurrency: int = 2  #: syntheses at once per worker (each keeps a core busy)
    max_chars: int = 20000  #: longest text read in one request (cut at a sentence end)
    queue_timeout: float = 30.0  #: seconds a synthesis may wait for its turn before 503
    per_client: int = 12  #: syntheses one client address may start ...
    per_seconds: float = 60.0  #: ... in this many seconds (answers from the cache are free)


@dataclass(frozen=True)
class Render:
    """Rendering pages in a headless browser on the server (proxy/render/), per worker."""

    pool_size: int = 0  #: renders at once per worker; 0 = no server rendering
    timeout: float = 8.0  #: seconds one render may take before the static page is served
    max_renders: int = 200  #: renders before the browser is recycled
    max_rss_bytes: int = 1536 * 2**20  #: the browser's memory before it is recycled


@dataclass(frozen=True)
class Robots:
    """`X-Robots-Tag: noindex`, so search engines keep listing the origin, not our copies."""

    noindex: bool = True  #: on every proxied answer (pages, files, our vendor-toolbar stand-in)
    noindex_own_pages: bool = False  #: also on our pages under the prefix (help, statement ...)


@dataclass(frozen=True)
class Statement:
    """Who stands behind the barrier-free mode, for `/_a11y/statement` (proxy/visitor/)."""

    site_name: str | None = None  #: the default site's name (else its host name)
    operator: str | None = None  #: who runs the barrier-free mode
    contact: str | None = None  #: feedback link: mailto:address or an http(s) URL


@dataclass(frozen=True)
class Origin:
    """One origin site and the proxy host names that serve it."""

    url: str  #: scheme://host[:port], no path
    proxy_hosts: tuple[str, ...] = ()  #: Host names visitors use for it (empty: the default site)
    aliases: tuple[str, ...] = ()  #: other names the origin's pages use for themselves
    verify_tls: bool = True
    ca_bundle: str | None = None
    name: str | None = None  #: the site's name for the statement page

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def names(self) -> frozenset[str]:
        """Every host name that means this origin in the origin's own markup."""
        return frozenset({self.host, *self.aliases})


@dataclass(frozen=True)
class Settings:
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    upstream: str | None = DEMO
    upstream_aliases: tuple[str, ...] = ()
    verify_tls: bool = True
    ca_bundle: str | None = None
    sites: tuple[Origin, ...] = ()
    prefix: str = DEFAULT_PREFIX
    rules_dir: str = "rules"
    timeouts: Timeouts = field(default_factory=Timeouts)
    limits: Limits = field(default_factory=Limits)
    speech: Speech = field(default_factory=Speech)
    workers: int = 0  #: worker processes on one port; 0 = one per CPU core
    cache: Cache = field(default_factory=Cache)
    render: Render = field(default_factory=Render)
    log_format: str = "text"  # "text" or "json"
    metrics_allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    watch_rules: bool = True
    robots: Robots = field(default_factory=Robots)
    statement: Statement = field(default_factory=Statement)

    def origins(self, demo_url: str | None = None) -> tuple[Origin, ...]:
        """All origins, the default one (from `upstream`) last; `demo` resolved to `demo_url`."""
        found = list(self.sites)
        if self.upstream:
            is_demo = self.upstream == DEMO
            url = demo_url if is_demo else self.upstream
            if url:
                aliases = self.upstream_aliases + (DEMO_ALIASES if is_demo else ())
                found.append(Origin(url.rstrip("/"), (), aliases, self.verify_tls, self.ca_bundle,
                                    self.statement.site_name))
        return tuple(found)
