"""Speed never changes what users get: the threaded encoder with in-memory previews gives the same video as the
sequential writer with previews decoded from the finished file."""

from __future__ import annotations

import functools
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from talkframe.media.mp4 import Mp4Writer
from talkframe.render import segment as segment_module
from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver
from tests.helpers import body, probe_mp4, silent_scene


def _frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        return np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)])


def _render(tmp: Path, req: GenerateRequest, sequential: bool, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        if sequential:
            m.setattr(segment_module, "Mp4Writer", functools.partial(_sequential_writer))
        return render_video(req, LocalResolver(tmp / "cache"), tmp / ("seq" if sequential else "stream"))


def _sequential_writer(*args, **kwargs) -> Mp4Writer:  # type: ignore[no-untyped-def]
    kwargs.update(threaded=False, previews=None)
    return Mp4Writer(*args, **kwargs)


@pytest.mark.parametrize("scenes", [(3.4,), (1.2, 2.6)], ids=["one scene", "short first scene"])
def test_streaming_output_equals_sequential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            scenes: tuple[float, ...]) -> None:
    req = GenerateRequest.model_validate(body(*(silent_scene(s) for s in scenes), width=320, height=180))
    fast = _render(tmp_path, req, False, monkeypatch)
    slow = _render(tmp_path, req, True, monkeypatch)
    assert fast.frames == slow.frames == sum(round(s * 25) for s in scenes)
    assert fast.duration == slow.duration
    pf, ps = probe_mp4(fast.video), probe_mp4(slow.video)
    assert (pf.frames, pf.video_seconds, pf.audio_seconds) == (ps.frames, ps.video_seconds, ps.audio_seconds)
    a, b = _frames(fast.video), _frames(slow.video)
    assert a.shape == b.shape
    assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
    # previews: from the frames in memory (no H.264 loss) or decoded; same size, same picture within coding noise
    for got, want in ((fast.thumbnail, slow.thumbnail), (fast.gif, slow.gif)):
        with Image.open(got) as g, Image.open(want) as w:
            assert g.size == w.size and getattr(g, "n_frames", 1) == getattr(w, "n_frames", 1)
            diff = np.abs(np.asarray(g.convert("RGB"), float) - np.asarray(w.convert("RGB"), float)).mean()
            assert diff < 4.0, diff


def test_encoder_thread_error_reaches_the_caller(tmp_path: Path) -> None:
    w = Mp4Writer(tmp_path / "x.mp4", (64, 64), 25, with_audio=False, threaded=True)
    w.write_frame(np.zeros((64, 64, 3), np.uint8))
    with pytest.raises(RuntimeError, match="encoder failed"):
        for _ in range(50):
            w.write_frame(np.zeros((64, 64, 3), np.float32))  # not uint8 RGB: the encoder thread fails
        w.close()
    w.abort()
    assert not (tmp_path / "x.mp4").exists()
