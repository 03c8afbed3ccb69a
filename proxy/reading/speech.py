"""Speech on the server: espeak-ng, a local engine, into WAV; nothing leaves the machine.

Bounded by design, because synthesis costs seconds of a core for a long article:
- at most `concurrency` syntheses at once (an asyncio semaphore); a request that waits longer
  than `queue_timeout` for its turn is told to come back (Busy);
- at most `max_chars` characters per request (longer text is cut at a sentence end);
- a per-client rate limit on syntheses (answers from the cache are free);
- a disk cache keyed by the hash of (engine, voice, text), least recently used files removed
  past `cache_bytes`, so a popular article is synthesised once.

A synthesis runs as its own task writing `<key>.part`; any number of listeners stream that file
as it grows (playback starts before a long article is finished), and the finished file, its WAV
sizes written in, is renamed to `<key>.wav` and served with Content-Length and Range.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
import struct
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

ENGINE = "espeak-ng"
#: espeak-ng writes a 44-byte canonical WAV header, with placeholder sizes when it streams
HEADER = 44
CHUNK = 64 * 1024
#: the sentence ends a cut text may end at
SENTENCE_ENDS = "。！？；.!?;\n"


def engine_path() -> str | None:
    return shutil.which(ENGINE)


def available() -> bool:
    return engine_path() is not None


class Busy(Exception):
    """No synthesis slot within the queue timeout, or the client's rate limit is used up."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"busy, retry after {retry_after} s")
        self.retry_after = retry_after


def cut(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars`, at the last sentence end when there is one."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    end = max(head.rfind(c) for c in SENTENCE_ENDS)
    return head[:end + 1] if end > max_chars // 2 else head


@dataclass
class Job:
    """One synthesis in progress: its growing file, and an event set at each new chunk."""

    part: Path
    size: int = 0
    done: bool = False
    failed: bool = False
    grew: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None


class Speaker:
    def __init__(self, cache_dir: str | os.PathLike, *, cache_bytes: int = 512 * 2**20,
                 concurrency: int = 2, max_chars: int = 20000, queue_timeout: float = 30.0,
                 per_client: int = 12, per_seconds: float = 60.0, speed: int = 175) -> None:
        self.dir = Path(cache_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.cache_bytes = cache_bytes
        self.max_chars = max_chars
        self.queue_timeout = queue_timeout
        self.per_client, self.per_seconds = per_client, per_seconds
        self.speed = speed
        self._slots = asyncio.Semaphore(concurrency)
        self._jobs: dict[str, Job] = {}
        #: client -> times of its recent syntheses (bounded: oldest clients forgotten)
        self._clients: OrderedDict[str, deque[float]] = OrderedDict()
        self.syntheses = 0  #: finished syntheses (for tests and metrics)

    def key(self, text: str, voice: str) -> str:
        return hashlib.sha256(f"{ENGINE}\0{voice}\0{self.speed}\0{text}".encode()).hexdigest()

    def cached(self, key: str) -> Path | None:
        path = self.dir / f"{key}.wav"
        if path.exists():
            with contextlib.suppress(OSError):
                os.utime(path)  # the least recently *used* file goes first
            return path
        return None

    def job(self, key: str) -> Job | None:
        return self._jobs.get(key)

    def start(self, key: str, text: str, voice: str, client: str) -> Job:
        """The synthesis of `text` (one per key: a second caller joins the first)."""
        if (job := self._jobs.get(key)) is not None:
            return job
        self._take_rate(client)
        job = Job(self.dir / f"{key}.{os.getpid()}.part")
        self._jobs[key] = job
        job.task = asyncio.create_task(self._run(key, cut(text, self.max_chars), voice, job))
        return job

    def _take_rate(self, client: str) -> None:
        now = time.monotonic()
        times = self._clients.pop(client, None) or deque()
        while times and now - times[0] > self.per_seconds:
            times.popleft()
        self._clients[client] = times
        while len(self._clients) > 4096:
            self._clients.popitem(last=False)
        if len(times) >= self.per_client:
            raise Busy(int(self.per_seconds - (now - times[0])) + 1)
        times.append(now)

    async def _run(self, key: str, text: str, voice: str, job: Job) -> None:
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), self.queue_timeout)
            except TimeoutError:
                job.failed = True
                return
            try:
                await self._synthesise(text, voice, job)
            finally:
                self._slots.release()
            if not job.failed:
                _write_sizes(job.part)
                job.part.replace(self.dir / f"{key}.wav")
                self.syntheses += 1
                self._evict()
        except Exception:
            job.failed = True
            raise
        finally:
            job.done = True
            job.grew.set()
            self._jobs.pop(key, None)
            with contextlib.suppress(OSError):
                job.part.unlink()

    async def _synthesise(self, text: str, voice: str, job: Job) -> None:
        proc = await asyncio.create_subprocess_exec(
            engine_path() or ENGINE, "-v", voice, "-s", str(self.speed), "-b", "1", "--stdout",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.close()
        try:
            with job.part.open("wb") as out:
                while chunk := await proc.stdout.read(CHUNK):
                    out.write(chunk)
                    out.flush()
                    job.size += len(chunk)
                    job.grew.set()
            if await proc.wait() != 0 or job.size <= HEADER:
                job.failed = True
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()

    def _evict(self) -> None:
        files = []
        for path in self.dir.glob("*.wav"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files, key=lambda f: f[0]):
            if total <= self.cache_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size

    async def follow(self, job: Job) -> AsyncIterator[bytes]:
        """The bytes of a synthesis as they are made, from its start to its end."""
        sent = 0
        with job.part.open("rb") if job.part.exists() else _wait_open(job) as f:
            while True:
                job.grew.clear()
                chunk = f.read(CHUNK)
                if chunk:
                    sent += len(chunk)
                    yield chunk
                    continue
                if job.done:
                    return
                await job.grew.wait()

    async def close(self) -> None:
        tasks = [j.task for j in self._jobs.values() if j.task]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _wait_open(job: Job):
    job.part.touch()
    return job.part.open("rb")


def _write_sizes(path: Path) -> None:
    """The RIFF and data sizes espeak-ng could not know while it streamed."""
    size = path.stat().st_size
    with path.open("r+b") as f:
        head = f.read(HEADER)
        if head[:4] == b"RIFF" and head[36:40] == b"data":
            f.seek(4)
            f.write(struct.pack("<I", size - 8))
            f.seek(40)
            f.write(struct.pack("<I", size - HEADER))
