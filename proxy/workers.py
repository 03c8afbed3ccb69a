"""`--workers N`: N processes serving one port (SO_REUSEPORT: the kernel spreads connections).

The parent only supervises: it starts the workers as fresh interpreters (spawn, so each imports
prometheus-client after PROMETHEUS_MULTIPROC_DIR is set and metrics add up across workers),
restarts one that dies, and on SIGTERM/SIGINT passes the signal on and waits while every worker
finishes its in-flight requests (proxy/server.py's grace period). A supervisor killed outright
takes its workers with it: each watches a pipe only the supervisor holds open (`_worker_main`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from proxy.ops import accesslog
from proxy.ops.metrics import MULTIPROC_ENV
from proxy.server import SHUTDOWN_GRACE, serve_one
from proxy.settings import Settings

log = logging.getLogger(__name__)

STARTUP_CRASH_SECONDS = 5.0  #: a worker dying this soon after start is a config/port problem
STOP_MARGIN = 5.0  #: seconds on top of the workers' grace period before they are killed
POLL_SECONDS = 1.0


def serve(settings: Settings) -> int:
    """One process, or `workers` processes on one port."""
    count = worker_count(settings.workers)
    if count > 1:
        return run_workers(settings, count)
    accesslog.configure(settings.log_format)
    return serve_one(settings)


def worker_count(configured: int) -> int:
    """0 (the default) means one worker per CPU this process may run on."""
    if configured > 0:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _worker_main(settings: Settings, index: int) -> None:
    logging.basicConfig(level=logging.INFO,
                        format=f"%(asctime)s %(levelname)s worker-{index} %(name)s %(message)s")
    accesslog.configure(settings.log_format)
    # A worker must not outlive its supervisor (SIGKILL, the OOM killer, `systemctl kill`):
    # orphans would hold the port and answer unsupervised. The spawn start method hands every
    # worker the read end of a pipe whose only write end the supervisor holds, so it reports EOF
    # the moment the supervisor dies, however it dies; the worker watches it in its event loop
    # and stops as on SIGTERM. Chosen over prctl(PR_SET_PDEATHSIG): that is Linux only, fires
    # when the *thread* that started the child exits, and misses a parent that died before the
    # call; and over polling os.getppid(): a wakeup per poll, and a death seen only a poll later.
    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None else None
    code = serve_one(settings, reuse_port=True, parent_sentinel=sentinel)
    # Answers are sent and the port is closed: flush the logs and leave without the
    # interpreter's teardown of the heap (rules, caches, parsed pages), which on a busy machine
    # keeps a stopped worker alive for seconds; the supervisor (or init) only waits for the exit.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _port_free(settings: Settings) -> str | None:
    """Why the workers could not bind, or None. Checked once before starting any."""
    family = socket.AF_INET6 if ":" in settings.listen_host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            probe.bind((settings.listen_host, settings.listen_port))
        except OSError as exc:
            return str(exc)
    return None


def _metrics_dir() -> tuple[Path, bool]:
    """The directory for per-process metric files; wiped at start, as prometheus-client asks."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.db"):
            old.unlink()
        return path, False
    path = Path(tempfile.mkdtemp(prefix="bfp-metrics-"))
    os.environ[MULTIPROC_ENV] = str(path)
    return path, True


class Supervisor:
    def __init__(self, settings: Settings, count: int) -> None:
        self.settings = settings
        self.count = count
        self.context = multiprocessing.get_context("spawn")
        self.workers: dict[int, tuple[BaseProcess, float]] = {}
        self.stopping = False

    def start(self, index: int) -> None:
        process = self.context.Process(target=_worker_main, args=(self.settings, index),
                                       name=f"bfp-worker-{index}", daemon=False)
        process.start()
        self.workers[index] = (process, time.monotonic())

    def stop(self, *_args: object) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for index in range(self.count):
            self.start(index)
        log.info("%d workers on %s:%s", self.count, self.settings.listen_host,
                 self.settings.listen_port)
        status = 0
        while not self.stopping:
            wait([p.sentinel for p, _ in self.workers.values()], timeout=POLL_SECONDS)
            for index, (process, started) in list(self.workers.items()):
                if process.is_alive() or self.stopping:
                    continue
                _forget(process)
                if time.monotonic() - started < STARTUP_CRASH_SECONDS:
                    log.error("worker %d exited at start (code %s); stopping", index,
                              process.exitcode)
                    status, self.stopping = 1, True
                    break
                log.warning("worker %d exited (code %s); starting a new one", index,
                            process.exitcode)
                self.start(index)
        self.shutdown()
        return status

    def shutdown(self) -> None:
        for process, _ in self.workers.values():
            if process.is_alive() and process.pid:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_GRACE + STOP_MARGIN
        for process, _ in self.workers.values():
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.error("worker %s did not stop in time; killing it", process.name)
                process.kill()
                process.join()
            _forget(process)


def _forget(process: BaseProcess) -> None:
    """A dead worker's live gauges must not count any more."""
    if process.pid and os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(process.pid, os.environ[MULTIPROC_ENV])


def run_workers(settings: Settings, count: int) -> int:
    if why := _port_free(settings):
        log.error("cannot listen on %s:%s: %s", settings.listen_host, settings.listen_port, why)
        return 1
    path, ours = _metrics_dir()
    try:
        return Supervisor(settings, count).run()
    finally:
        if ours:
            shutil.rmtree(path, ignore_errors=True)
