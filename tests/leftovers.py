"""After the suite: no process it started may still be alive (tests/run.sh runs this).

tests/run.sh starts pytest with BFP_TEST_RUN=<a marker unique to the run> in its environment;
every process a test starts (the proxy and its workers, demo origins, redis-server, Chromium)
inherits it, whatever its command line or parent, so /proc/<pid>/environ finds them all even
after they were re-parented. Usage: python3 tests/leftovers.py MARKER  (exit 1 if any is left,
after killing them so the machine is clean for the next step)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

GRACE_SECONDS = 10.0  #: processes that are still exiting get this long


def marked(marker: str) -> dict[int, str]:
    """Live processes (not zombies, not this one) whose environment holds BFP_TEST_RUN=marker."""
    needle = f"BFP_TEST_RUN={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            stat = (entry / "stat").read_text()
            if stat[stat.rindex(")") + 2] == "Z":
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace").strip()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        found[int(entry.name)] = command
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1]:
        print("usage: python3 tests/leftovers.py MARKER", file=sys.stderr)
        return 2
    deadline = time.monotonic() + GRACE_SECONDS
    left = marked(argv[1])
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = marked(argv[1])
    if not left:
        print("no process started by the test suite is left running")
        return 0
    print(f"{len(left)} process(es) started by the test suite are still running:",
          file=sys.stderr)
    for pid, command in sorted(left.items()):
        print(f"  pid {pid}: {command[:200]}", file=sys.stderr)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
