"""Read `config.yaml` into `Settings` (proxy/settings.py), and apply flags and environment.

Every problem is reported as `config.yaml:LINE:COL: key.path: message`, all of them at once,
and a start with problems stops before the port is bound.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from proxy.errors import ConfigError, ConfigProblem
from proxy.settings import (
    DEMO,
    WEB_OR_MAIL,
    Cache,
    Limits,
    Origin,
    Render,
    Robots,
    Settings,
    Speech,
    Statement,
    Timeouts,
)
from proxy.siterules.yamlload import MarkedDict, key_mark, load_marked, value_mark

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.I)
_SIZE_UNITS = {None: 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 10**6, "mib": 2**20,
               "gb": 10**9, "gib": 2**30}

_TOP_KEYS = {f for f in Settings.__dataclass_fields__}
_TOP_KEYS.add("listen")
_TOP_KEYS -= {"listen_host", "listen_port"}
_SITE_KEYS = {"host", "hosts", "upstream", "aliases", "verify_tls", "ca_bundle", "name"}


class _Reader:
    """Collects problems while reading a MarkedDict, so every mistake is reported at once."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[ConfigProblem] = []

    def problem(self, container: Any, key: Any, path: str, message: str) -> None:
        line, col = value_mark(container, key)
        self.problems.append(ConfigProblem(self.filename, line, col, path, message))

    def unknown_keys(self, data: MarkedDict, allowed: set[str], path: str) -> None:
        import difflib

        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                line, col = key_mark(data, key)
                self.problems.append(ConfigProblem(
                    self.filename, line, col, f"{path}{key}", f"unknown key{hint}"))

    def number(self, data: dict, key: str, path: str, default: float, *, integer: bool = False,
               size: bool = False) -> Any:
        if key not in data:
            return default
        value = data[key]
        if size and isinstance(value, str):
            match = _SIZE_RE.match(value)
            if match:
                value = float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "").lower() or None]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            kind = "a size like 8MiB" if size else "a positive number"
            self.problem(data, key, f"{path}{key}", f"expected {kind}, got {value!r}")
            return default
        return int(value) if integer or size else float(value)

    def text(self, data: dict, key: str, path: str, default: Any) -> Any:
        if key not in data:
            return default
        if not isinstance(data[key], str) or not data[key].strip():
            self.problem(data, key, f"{path}{key}", f"expected text, got {data[key]!r}")
            return default
        return data[key].strip()

    def flag(self, data: dict, key: str, path: str, default: bool) -> bool:
        if key not in data:
            return default
        if not isinstance(data[key], bool):
            self.problem(data, key, f"{path}{key}", f"expected true or false, got {data[key]!r}")
            return default
        return data[key]

    def names(self, data: dict, key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(data, key, f"{path}{key}", "expected a list of host names")
            return ()
        return tuple(v.strip().lower() for v in value)


def check_upstream_url(url: str) -> str | None:
    """Return why `url` is not a usable origin URL, or None."""
    if url == DEMO:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected 'demo' or an http(s) URL like https://www.example.gov.cn, got {url!r}"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "an origin URL has no path, query or fragment (the proxy serves the whole site)"
    return None


def parse_listen(value: str) -> tuple[str, int] | None:
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        return None
    return (host.strip("[]") or "0.0.0.0", int(port))


def _read_site(reader: _Reader, sites: list, index: int) -> Origin | None:
    entry, path = sites[index], f"sites[{index}]."
    if not isinstance(entry, MarkedDict):
        reader.problem(sites, index, f"sites[{index}]", "expected a mapping with host and upstream")
        return None
    reader.unknown_keys(entry, _SITE_KEYS, path)
    hosts = reader.names(entry, "hosts", path) + reader.names(entry, "host", path)
    upstream = reader.text(entry, "upstream", path, None)
    if not hosts:
        reader.problem(sites, index, f"sites[{index}]", "missing 'host' (the proxy's host name)")
    if upstream is None or (why := check_upstream_url(upstream)) or upstream == DEMO:
        why = "missing 'upstream'" if upstream is None else (why or "'demo' only as top upstream")
        reader.problem(entry, "upstream", f"{path}upstream", why)
        return None
    return Origin(upstream.rstrip("/"), hosts, reader.names(entry, "aliases", path),
                  reader.flag(entry, "verify_tls", path, True),
                  reader.text(entry, "ca_bundle", path, None),
                  reader.text(entry, "name", path, None))


def settings_from_data(data: Any, filename: str) -> tuple[Settings, list[ConfigProblem]]:
    """Build Settings from loaded YAML; unknown keys and wrong types are problems, not crashes."""
    reader = _Reader(filename)
    if data is None:
        data = MarkedDict()
    if not isinstance(data, MarkedDict):
        return Settings(), [ConfigProblem(filename, 1, 1, "", "expected a mapping of settings")]
    reader.unknown_keys(data, _TOP_KEYS, "")
    base = Settings()
    listen = (base.listen_host, base.listen_port)
    if "listen" in data:
        parsed = parse_listen(str(data["listen"]))
        if parsed is None:
            reader.problem(data, "listen", "listen", "expected HOST:PORT like 127.0.0.1:8080")
        listen = parsed or listen
    upstream = data.get("upstream", base.upstream)
    if upstream is not None and (why := check_upstream_url(str(upstream))):
        reader.problem(data, "upstream", "upstream", why)
        upstream = base.upstream
    prefix = reader.text(data, "prefix", "", base.prefix)
    if not (prefix.startswith("/") and prefix.endswith("/") and len(prefix) > 2):
        reader.problem(data, "prefix", "prefix", "expected a path like /_a11y/")
        prefix = base.prefix
    sites_raw = data.get("sites", [])
    if not isinstance(sites_raw, list):
        reader.problem(data, "sites", "sites", "expected a list of {host, upstream}")
        sites_raw = []
    sites = tuple(s for i in range(len(sites_raw)) if (s := _read_site(reader, sites_raw, i)))
    settings = Settings(
        listen_host=listen[0], listen_port=listen[1], upstream=upstream,
        upstream_aliases=reader.names(data, "upstream_aliases", ""),
        verify_tls=reader.flag(data, "verify_tls", "", True),
        ca_bundle=reader.text(data, "ca_bundle", "", None), sites=sites, prefix=prefix,
        rules_dir=reader.text(data, "rules_dir", "", base.rules_dir),
        timeouts=_read_group(reader, data, "timeouts", Timeouts()),
        limits=_read_group(reader, data, "limits", Limits()),
        render=_read_group(reader, data, "render", Render()),
        workers=reader.number(data, "workers", "", base.workers, integer=True),
        log_format=reader.text(data, "log_format", "", base.log_format),
        metrics_allow=reader.names(data, "metrics_allow", "") or base.metrics_allow,
        watch_rules=reader.flag(data, "watch_rules", "", True),
        cache=_read_cache(reader, data),
        speech=_read_group(reader, data, "speech", Speech()),
        robots=_read_plain(reader, data, "robots", Robots()),
        statement=_read_plain(reader, data, "statement", Statement()),
    )
    if (contact := settings.statement.contact) and not contact.startswith(WEB_OR_MAIL):
        reader.problem(data["statement"], "contact", "statement.contact", "expected mailto: or URL")
    if settings.log_format not in ("text", "json"):
        reader.problem(data, "log_format", "log_format", "expected 'text' or 'json'")
    if settings.upstream is None and not settings.sites:
        reader.problem(data, "upstream", "upstream", "no origin: set 'upstream' or 'sites'")
    return settings, reader.problems


def _read_group(reader: _Reader, data: MarkedDict, key: str, default: Any) -> Any:
    group = data.get(key)
    if group is None:
        return default
    if not isinstance(group, MarkedDict):
        reader.problem(data, key, key, "expected a mapping")
        return default
    reader.unknown_keys(group, set(default.__dataclass_fields__), f"{key}.")
    values = {}
    for name in default.__dataclass_fields__:
        current = getattr(default, name)
        is_size = name.startswith("max_") and name.endswith("bytes") or name in (
            "max_request_body", "offload_bytes")
        values[name] = reader.number(group, name, f"{key}.", current,
                                     integer=isinstance(current, int), size=is_size)
    return replace(default, **values)


def _read_plain(reader: _Reader, data: MarkedDict, key: str, default: Any) -> Any:
    """A group of flags and texts: each field's type is its default's (a bool or text)."""
    group = data.get(key)
    if group is None:
        return default
    if not isinstance(group, MarkedDict):
        reader.problem(data, key, key, "expected a mapping")
        return default
    reader.unknown_keys(group, set(default.__dataclass_fields__), f"{key}.")
    return replace(default, **{
        name: reader.flag(group, name, f"{key}.", value) if isinstance(value, bool)
        else reader.text(group, name, f"{key}.", value)
        for name, value in vars(default).items()})


def _read_cache(reader: _Reader, data: MarkedDict) -> Cache:
    group, base = data.get("cache"), Cache()
    if group is None:
        return base
    if not isinstance(group, MarkedDict):
        reader.problem(data, "cache", "cache", "expected a mapping")
        return base
    reader.unknown_keys(group, set(Cache.__dataclass_fields__), "cache.")
    return Cache(enabled=reader.flag(group, "enabled", "cache.", base.enabled),
                 max_bytes=reader.number(group, "max_bytes", "cache.", base.max_bytes, size=True),
                 redis_url=reader.text(group, "redis_url", "cache.", None),
                 default_ttl=reader.number(group, "default_ttl", "cache.", base.default_ttl))


def load_settings(path: str | Path, *, required: bool = False) -> Settings:
    """Read config.yaml; raise ConfigError listing every problem. A missing file gives defaults
    unless `required` (the operator named it explicitly)."""
    path = Path(path)
    if not path.exists():
        if required:
            raise ConfigError([ConfigProblem(str(path), 1, 1, "", "file not found")])
        return Settings()
    data, problems = load_marked(path.read_text(encoding="utf-8"), str(path))
    settings, more = settings_from_data(data, str(path)) if data is not None or not problems \
        else (Settings(), [])
    problems += more
    if problems:
        raise ConfigError(problems)
    return settings


ENV_OVERRIDES = {  #: environment variables an operator (or a container) can set
    "BFP_UPSTREAM": "upstream", "BFP_LISTEN": "listen", "BFP_WORKERS": "workers",
    "BFP_LOG_FORMAT": "log_format", "BFP_RULES": "rules_dir",
}


def apply_overrides(settings: Settings, *, listen: str | None = None, upstream: str | None = None,
                    rules_dir: str | None = None, workers: int | None = None,
                    log_format: str | None = None, environ: dict | None = None) -> Settings:
    """Flags beat environment variables, which beat the file. Raises ConfigError on bad values."""
    env = os.environ if environ is None else environ
    listen = listen or env.get("BFP_LISTEN")
    upstream = upstream or env.get("BFP_UPSTREAM")
    rules_dir = rules_dir or env.get("BFP_RULES")
    log_format = log_format or env.get("BFP_LOG_FORMAT")
    if workers is None and env.get("BFP_WORKERS", "").isdigit():
        workers = int(env["BFP_WORKERS"])
    problems = []
    changes: dict[str, Any] = {}
    if listen:
        parsed = parse_listen(listen)
        if parsed is None:
            problems.append(ConfigProblem("--listen", 1, 1, "", "expected HOST:PORT"))
        else:
            changes.update(listen_host=parsed[0], listen_port=parsed[1])
    if upstream:
        if why := check_upstream_url(upstream):
            problems.append(ConfigProblem("--upstream", 1, 1, "", why))
        changes["upstream"] = upstream
    if rules_dir:
        changes["rules_dir"] = rules_dir
    if workers is not None:
        changes["workers"] = max(0, workers)  # 0: one per core
    if log_format:
        if log_format not in ("text", "json"):
            problems.append(ConfigProblem("--log-format", 1, 1, "", "expected text or json"))
        changes["log_format"] = log_format
    if problems:
        raise ConfigError(problems)
    return replace(settings, **changes)
