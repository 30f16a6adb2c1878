"""The worker's warm-up: voice and built-in rig first, then a tiny video only if no job has started meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from talkframe.render import pipeline
from talkframe.render.warmup import warm_up


def test_warm_up_loads_the_voice_and_rig_and_leaves_the_video_to_a_job_that_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from talkframe.avatar.talking_photo import rigs_cached
    from talkframe.voice.engines.piper import _load_voice

    rendered: list[tuple[int, int]] = []
    monkeypatch.setattr(pipeline, "render_video", lambda request, *_a, **_k: rendered.append(request.size))
    busy = threading.Event()
    busy.set()
    warm_up(tmp_path, busy)
    assert rendered == []  # a job is rendering: it fills the rest itself
    assert _load_voice.cache_info().currsize == 1 and rigs_cached() >= 2  # 720p and 1080p rigs
    warm_up(tmp_path, threading.Event())
    assert rendered == [(128, 128)]  # idle: the tiny video goes through every stage a request takes
