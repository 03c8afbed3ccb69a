"""Helpers for bench_proxy.py: server processes, wrk runs, downloads, RSS sampling."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

READY_TIMEOUT = 60.0
RSS_SAMPLE_SECONDS = 0.02
SETTLED_SECONDS = 0.05  #: a health check this fast means nothing is queued any more
_BYTE_UNITS = {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1.0, "GB": 1024.0}
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server in its own process, or (existing) another name for one."""

    def __init__(self, name: str, cmd: list[str] | None, cwd: Path | None = None) -> None:
        self.name = name
        self.process = None
        if cmd is not None:
            self.url = "http://" + cmd[cmd.index("--listen") + 1]
            self.process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL,
                                            env={**os.environ, "PYTHONPATH": str(
                                                Path(__file__).resolve().parent.parent)})

    @classmethod
    def existing(cls, name: str, other: Server) -> Server:
        server = cls(name, None)
        server.url, server.process = other.url, other.process
        return server

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is None or self.process.poll() is None, f"{self.name} exited"
            try:
                self.get(path)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start")

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=60) as resp:
            return resp.read()

    def download(self, path: str) -> tuple[float, int]:
        """(bytes per second, bytes) with curl, which costs almost nothing itself."""
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w",
                              "%{speed_download} %{size_download}", self.url + path],
                             capture_output=True, text=True, check=True).stdout.split()
        return float(out[0]), int(out[1])

    def settle(self, path: str = "/_a11y/healthz", limit: float = 90.0) -> None:
        """Wait until requests queued by the previous load run are done (wrk leaves when its
        time is up; a proxy still rewrites what it accepted), so runs do not measure each other."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with contextlib.suppress(OSError):
                self.get(path)
            if time.perf_counter() - started < SETTLED_SECONDS:
                return
            time.sleep(0.5)

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_during(pid: int, work: Callable[[], Any]) -> tuple[Any, float]:
    """Run `work` while sampling the process's RSS; (work's result, peak MB)."""
    peak, stop = [rss_mb(pid)], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb(pid))
            time.sleep(RSS_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = work()
    finally:
        stop.set()
        sampler.join()
    return result, peak[0]


@dataclass
class Run:
    rps: float
    p50: float  #: ms
    p99: float  #: ms
    errors: int
    mbps: float = 0.0  #: body + headers, MB/s


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def wrk(url: str, connections: int, duration: float, script: str | None = None) -> Run:
    """`script`: a Lua file for wrk's `-s` (e.g. requests that rotate cookies)."""
    threads = min(connections, 2)
    seconds = max(1, round(duration))  # wrk takes whole seconds
    extra = ["-s", script] if script else []
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
                          "--latency", "--timeout", "30s", *extra, url],
                         capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*?(\d+) timeout", out)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    mbps = float(transfer.group(1)) * _BYTE_UNITS.get(transfer.group(2), 1) if transfer else 0.0
    return Run(float(rps.group(1)) if rps else 0.0, _ms(latency.get("50", "")),
               _ms(latency.get("99", "")),
               (int(errors.group(1)) if errors else 0)
               + (int(socket_errors.group(1)) if socket_errors else 0), mbps)


def fmt_run(run: Run) -> str:
    errors = f" ERR{run.errors}" if run.errors else ""
    return f"{run.rps:6.0f}/s {run.p50:6.2f}/{run.p99:6.2f}ms {run.mbps:5.1f}MB/s{errors}"
