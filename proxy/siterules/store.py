"""RuleStore: the origin host -> SiteRules lookup, reloaded live with the last good rules kept.

Traefik's routing half: rules are watched and hot-reloaded, and a broken edit never takes a site
down. Each reload reads every `*.yaml`, keeps the last good version of any file that has an error,
builds a new immutable snapshot and swaps it in with one attribute assignment, so a request in
flight keeps the snapshot it started with and none is ever dropped or sees half a reload.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from proxy.errors import ConfigProblem
from proxy.siterules.file import DEFAULT_NAME, RuleFile, merge_rules, read_rule_file
from proxy.siterules.model import SiteRules

log = logging.getLogger(__name__)

DEFAULT_FILE = f"{DEFAULT_NAME}.yaml"
WATCH_DEBOUNCE_MS = 200  #: groups an editor's write+rename into one reload, well within 2 s
WATCH_STEP_MS = 50  #: how often watchfiles checks for the end of a burst of changes
#: pause before watching again after the watcher failed, or looking again for a removed directory
WATCH_RETRY_S = 1.0


@dataclass(frozen=True)
class _Snapshot:
    exact: Mapping[str, SiteRules]  #: "www.example.org" -> rules
    globs: Mapping[str, SiteRules]  #: ".example.org" (from "*.example.org") -> rules
    default: SiteRules
    sites: tuple[SiteRules, ...]


def scan(directory: Path) -> dict[str, RuleFile]:
    """Read and check every rule file in a directory, by file name, in name order."""
    return {path.name: read_rule_file(path) for path in sorted(directory.glob("*.yaml"))
            if path.is_file()}


def host_conflicts(files: Mapping[str, RuleFile],
                   first: tuple[str, ...] = ()) -> tuple[dict[str, str], list[ConfigProblem]]:
    """Who owns each host, and an error for every later file claiming an owned host. Files in
    `first` (unchanged ones, on reload) claim before the others, so an edit cannot steal a host."""
    owner: dict[str, str] = {}
    problems = []
    for name in sorted(files, key=lambda n: (n not in first, n)):
        for host in files[name].hosts:
            if host in owner and owner[host] != name:
                line, col = files[name].host_marks.get(host, (1, 1))
                problems.append(ConfigProblem(
                    files[name].source, line, col, "hosts",
                    f"{host!r} is already claimed by {files[owner[host]].source}; "
                    "a host belongs to one rule file"))
            else:
                owner.setdefault(host, name)
    return owner, problems


class RuleStore:
    """The current rules for every origin host; `for_host` is cheap and never blocks."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.problems: tuple[ConfigProblem, ...] = ()  #: problems of the files as they are now
        self.generation = 0  #: incremented each time a changed rule set is applied
        self._good: dict[str, RuleFile] = {}  #: file name -> the version in force
        self._snapshot = _build({}, {})
        self._lock = threading.Lock()  # reload may run in a worker thread (watch)

    @classmethod
    def from_directory(cls, path: str | Path) -> RuleStore:
        store = cls(path)
        store.reload()
        return store

    @classmethod
    def empty(cls) -> RuleStore:
        return cls(None)

    @property
    def errors(self) -> tuple[ConfigProblem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def default(self) -> SiteRules:
        return self._snapshot.default

    @property
    def sites(self) -> tuple[SiteRules, ...]:
        return self._snapshot.sites

    def for_host(self, host: str) -> SiteRules:
        """Rules for an origin host (a port is ignored): exact name, longest glob, default."""
        snapshot = self._snapshot  # one read: a concurrent reload cannot mix two rule sets
        name = hostname(host)
        found = snapshot.exact.get(name)
        dot = name.find(".")
        while found is None and dot != -1:  # ".a.example.org" before ".example.org"
            found = snapshot.globs.get(name[dot:])
            dot = name.find(".", dot + 1)
        return found or snapshot.default

    @property
    def fingerprint(self) -> str:
        """A digest of the rule files in force: the same on every replica with the same files
        (unlike `generation`, which counts this process's reloads), so a shared page cache can
        key on it and an edit never serves pages rewritten with the old rules."""
        digests = "\0".join(f"{n}={f.digest}" for n, f in sorted(self._good.items()))
        return hashlib.sha256(digests.encode()).hexdigest()[:16]

    def reload(self) -> bool:
        """Re-read the directory; apply what is valid. True if the rules in force changed."""
        if self.directory is None:
            return False
        with self._lock:
            if not self.directory.is_dir():
                self._report([ConfigProblem(str(self.directory), 1, 1, "", "rules directory "
                                            "not found; keeping the rules in force",
                                            "warning")])
                return False
            latest = scan(self.directory)
            chosen, owner, problems = self._choose(latest)
            self._report(problems + [p for f in latest.values() for p in f.problems])
            if {n: f.digest for n, f in chosen.items()} == \
                    {n: f.digest for n, f in self._good.items()} and self.generation:
                return False
            self._snapshot = _build(chosen, owner)
            self._good = chosen
            self.generation += 1
            log.info("rules applied: generation=%d files=%d", self.generation, len(chosen))
            return True

    def _choose(self, latest: dict[str, RuleFile]) -> tuple[dict[str, RuleFile], dict, list]:
        """Per file, the new version if valid, else the last good one (if any); a new version
        that claims a host another file owns is not applied either."""
        chosen = {n: f if not f.errors else self._good[n] for n, f in latest.items()
                  if not f.errors or n in self._good}
        unchanged = tuple(n for n, f in chosen.items()
                          if n in self._good and self._good[n].digest == f.digest)
        _, problems = host_conflicts(chosen, unchanged)
        for _ in range(len(chosen) + 1):  # each round reverts >= 1 file, or stops
            owner, clash = host_conflicts(chosen, unchanged)
            losers = {n for n in chosen for p in clash if p.file == chosen[n].source
                      and n in self._good and chosen[n] is not self._good[n]}
            if not losers:
                break
            chosen.update({n: self._good[n] for n in losers})
        return chosen, owner, problems

    def _report(self, problems: list[ConfigProblem]) -> None:
        current = tuple(sorted(set(problems)))
        if current != self.problems:
            for problem in current:
                log.log(logging.ERROR if problem.is_error else logging.WARNING, "%s", problem)
            if any(p.is_error for p in current):
                log.error("rules with errors are not applied; the last good version stays")
        self.problems = current


def _build(files: Mapping[str, RuleFile], owner: Mapping[str, str]) -> _Snapshot:
    default = files.get(DEFAULT_FILE)
    exact: dict[str, SiteRules] = {}
    globs: dict[str, SiteRules] = {}
    sites = []
    for name, rule_file in files.items():
        if name == DEFAULT_FILE:
            continue
        rules = merge_rules(default, rule_file)
        sites.append(rules)
        for host in rule_file.hosts:
            if owner.get(host) == name:
                if host.startswith("*."):
                    globs[host[1:]] = rules
                else:
                    exact[host] = rules
    return _Snapshot(exact, globs, merge_rules(default, None), tuple(sites))


def hostname(host: str) -> str:
    """'WWW.Example.org:8080' -> 'www.example.org'; '[::1]:80' -> '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host[1:]
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and ":" not in name:
        host = name
    return host.rstrip(".")


def _is_rule_file(_change: object, path: str) -> bool:
    name = Path(path).name
    return name.endswith(".yaml") and not name.startswith(".")  # not editor swap files


async def watch(store: RuleStore, stop_event: asyncio.Event) -> None:
    """Reload `store` whenever a rule file changes, until `stop_event` is set. Run it as a task
    next to the server; a failure here is logged (once while it repeats) and retried, never
    fatal to the proxy. A directory that disappears keeps the rules in force with one warning
    (from `reload`) and is looked for again until it is back."""
    from watchfiles import awatch

    if store.directory is None:
        return
    await asyncio.to_thread(store.reload)  # catch an edit made between loading and watching
    failure = ""
    while not stop_event.is_set():
        if store.directory.is_dir():
            try:
                async for _changes in awatch(store.directory, stop_event=stop_event,
                                             watch_filter=_is_rule_file,
                                             debounce=WATCH_DEBOUNCE_MS, step=WATCH_STEP_MS,
                                             recursive=False):
                    await asyncio.to_thread(store.reload)
                    if not store.directory.is_dir():
                        break  # a removed directory reports nothing more: wait for a new one
                failure = ""
            except Exception as exc:
                if store.directory.is_dir() and repr(exc) != failure:
                    log.exception("watching %s failed; retrying", store.directory)
                failure = repr(exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop_event.wait(), WATCH_RETRY_S)
        if not stop_event.is_set():
            await asyncio.to_thread(store.reload)  # gone (warned once), or back: applied
