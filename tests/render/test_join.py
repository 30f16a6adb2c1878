"""Joining scene segments: cuts land on the right frames and audio runs on without gaps or clicks."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from talkframe.media.mp4 import AUDIO_RATE, Mp4Writer
from talkframe.media.wav import write_wav
from talkframe.render.join import join_segments
from talkframe.render.segment import SceneSegment

FPS = 25


def _segment(tmp: Path, index: int, frames: int, grey: int, audio: np.ndarray) -> SceneSegment:
    video, wav = tmp / f"s{index}.mp4", tmp / f"s{index}.wav"
    w = Mp4Writer(video, (160, 96), FPS, with_audio=False)
    for _ in range(frames):
        w.write_frame(np.full((96, 160, 3), grey, np.uint8))
    w.close()
    write_wav(wav, audio, AUDIO_RATE)
    return SceneSegment(index, video, wav, frames, [])


def test_three_segments_join_at_the_right_frames_with_continuous_audio(tmp_path: Path) -> None:
    counts, greys = [13, 25, 12], [40, 140, 240]
    total = sum(counts)
    t = np.arange(round(total / FPS * AUDIO_RATE)) / AUDIO_RATE
    tone = (0.4 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    bounds = np.cumsum([0] + counts)
    segs = []
    for i, n in enumerate(counts):
        a, b = (round(bounds[i] / FPS * AUDIO_RATE), round(bounds[i + 1] / FPS * AUDIO_RATE))
        segs.append(_segment(tmp_path, i, n, greys[i], tone[a:b]))
    out = join_segments(list(reversed(segs)), FPS, tmp_path / "out")  # order comes from the index

    assert out.frames == total and abs(out.duration - total / FPS) < 1e-9
    with av.open(str(out.video)) as c:
        means = [f.to_ndarray(format="gray").mean() for f in c.decode(video=0)]
    assert len(means) == total
    expected = np.repeat(greys, counts)
    assert np.all(np.abs(np.array(means) - expected) < 6)

    with av.open(str(out.video)) as c:
        decoded = np.concatenate([f.to_ndarray().reshape(-1) for f in c.decode(audio=0)])
    decoded = decoded[: len(tone)]
    assert len(decoded) >= len(tone) - 1024
    err = np.abs(decoded - tone[: len(decoded)])
    for b in bounds[1:-1]:  # around each join the decoded tone matches the continuous one
        j = round(b / FPS * AUDIO_RATE)
        assert err[j - 500 : j + 500].max() < 0.05, b
    assert out.thumbnail.stat().st_size > 0 and out.gif.stat().st_size > 0
