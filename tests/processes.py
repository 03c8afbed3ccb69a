"""Processes a test starts, stopped whole: each runs in its own process group (session), so
the proxy's workers, the multiprocessing resource tracker and anything else it starts are
stopped with it, and the test checks that nothing of it is left and its port is closed."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

STOP_SECONDS = 30.0  #: SIGTERM, then this long (the proxy's grace period and more), then SIGKILL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_group(args: list[str], **popen: object) -> subprocess.Popen:
    """`subprocess.Popen(args)` as the leader of a new process group (its pid is the group id)."""
    return subprocess.Popen(args, start_new_session=True, **popen)  # type: ignore[call-overload]


def group_members(group: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == group:
            members.append(int(entry.name))
    return members


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z" and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def listening(port: int, host: str = "127.0.0.1") -> bool:
    """True if something accepts connections on the port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_until(condition, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def stop_group(process: subprocess.Popen, ports: tuple[int, ...] = ()) -> None:
    """SIGTERM to the whole group, SIGKILL to what is left after STOP_SECONDS; then assert no
    process of the group is alive and nothing listens on `ports`."""
    group = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    if not wait_until(lambda: process.poll() is not None and not group_members(group),
                      STOP_SECONDS, 0.1):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    process.wait(STOP_SECONDS)
    assert wait_until(lambda: not group_members(group), 5), \
        f"processes of group {group} still alive: {group_members(group)}"
    for port in ports:
        assert not listening(port), f"something still listens on port {port}"
