"""The speech engine's bounds with the real espeak-ng: one synthesis per text, WAV sizes right,
a semaphore, a rate limit, a text limit and an LRU cache with a size cap."""

from __future__ import annotations

import asyncio
import wave

import pytest

from proxy.reading import speech
from proxy.reading.speech import Busy, Speaker, cut

pytestmark = pytest.mark.skipif(not speech.available(), reason="espeak-ng not installed")


async def _all(speaker: Speaker, job) -> bytes:
    return b"".join([chunk async for chunk in speaker.follow(job)])


async def test_streamed_bytes_are_the_cached_file_with_its_sizes_written(tmp_path):
    speaker = Speaker(tmp_path)
    key = speaker.key("你好，世界。", "cmn")
    assert speaker.cached(key) is None
    job = speaker.start(key, "你好，世界。", "cmn", "a")
    assert speaker.start(key, "你好，世界。", "cmn", "a") is job  # joined, not a second one
    streamed = await _all(speaker, job)
    await job.task
    path = speaker.cached(key)
    assert path is not None and speaker.syntheses == 1
    data = path.read_bytes()
    assert streamed[44:] == data[44:] and streamed[:4] == b"RIFF"
    with wave.open(str(path)) as w:
        assert w.getnframes() * w.getsampwidth() == len(data) - 44 and w.getnframes() > 0
    assert not list(tmp_path.glob("*.part"))


async def test_one_synthesis_at_a_time_with_concurrency_one(tmp_path):
    speaker = Speaker(tmp_path, concurrency=1)
    texts = ["第一段文字。" * 20, "第二段文字。" * 20]
    jobs = [speaker.start(speaker.key(t, "cmn"), t, "cmn", "a") for t in texts]
    seen_both = False
    while not all(j.done for j in jobs):
        seen_both |= all(j.size > 0 and not j.done for j in jobs)
        await asyncio.sleep(0.005)
    assert not seen_both and speaker.syntheses == 2


async def test_rate_limit_per_client_and_queue_timeout(tmp_path):
    speaker = Speaker(tmp_path, per_client=2, per_seconds=60)
    for n in range(2):
        speaker.start(speaker.key(f"文{n}", "cmn"), f"文{n}", "cmn", "client-a")
    with pytest.raises(Busy) as raised:
        speaker.start(speaker.key("文2", "cmn"), "文2", "cmn", "client-a")
    assert 0 < raised.value.retry_after <= 61
    speaker.start(speaker.key("文2", "cmn"), "文2", "cmn", "client-b")  # another client
    await speaker.close()
    stuck = Speaker(tmp_path / "q", concurrency=1, queue_timeout=0.05)
    await stuck._slots.acquire()  # every slot taken
    job = stuck.start("k", "文", "cmn", "a")
    await job.task
    assert job.failed and stuck.cached("k") is None


async def test_cache_keeps_under_its_cap_dropping_the_least_recently_used(tmp_path):
    speaker = Speaker(tmp_path)
    keys = {text: speaker.key(text, "cmn") for text in ("一。", "二。", "三。")}
    await speaker.start(keys["一。"], "一。", "cmn", "a").task
    one = speaker.cached(keys["一。"]).stat().st_size
    speaker.cache_bytes = int(one * 2.5)  # room for two such files
    await speaker.start(keys["二。"], "二。", "cmn", "a").task
    await asyncio.sleep(0.01)
    assert speaker.cached(keys["一。"]) is not None  # used: now the most recent
    await speaker.start(keys["三。"], "三。", "cmn", "a").task
    assert speaker.cached(keys["二。"]) is None
    assert speaker.cached(keys["一。"]) and speaker.cached(keys["三。"])
    assert sum(p.stat().st_size for p in tmp_path.glob("*.wav")) <= speaker.cache_bytes


def test_cut_at_a_sentence_end():
    assert cut("短。", 10) == "短。"
    assert cut("一二三四五六。七八九十", 9) == "一二三四五六。"
    assert cut("一。二三四五六七八九十", 9) == "一。二三四五六七八"  # no late end: cut hard
    assert len(cut("无标点" * 10, 7)) == 7
