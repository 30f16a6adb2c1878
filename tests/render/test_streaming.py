"""Speed never changes what users get: the threaded encoder with in-memory previews gives the same video as the
sequential writer with previews decoded from the finished file, and a text scene drawn sentence by sentence while
its speech is still being synthesised gives the same video as one drawn after the whole speech."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from talkframe.compose.scene import SceneComposer
from talkframe.media.mp4 import Mp4Writer
from talkframe.render import scene as scene_module
from talkframe.render import segment as segment_module
from talkframe.render.join import join_segments
from talkframe.render.pipeline import render_video
from talkframe.render.scene import render_scene
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver
from talkframe.voice import tts
from talkframe.voice.markup import plain_text
from tests.helpers import body, probe_mp4, scene, silent_scene

SENTENCES = ("Streaming starts now. The face moves while the next sentence is spoken. Then a third one follows, "
             "a little longer than the others. <break time=\"400ms\"/> A fourth comes after a pause. "
             "The fifth is short. And the sixth ends it.")


def _frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        return np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)])


def _gif_ms(image: Image.Image) -> int:
    """Total display time of a GIF (or 0 for a still image)."""
    total = 0
    for i in range(getattr(image, "n_frames", 1)):
        image.seek(i)
        total += int(image.info.get("duration", 0))
    image.seek(0)
    return total


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
            # Pillow merges a frame identical to the one before into it (a still face in silence): compare the
            # GIF's length in time (within the centisecond rounding of its frame delays), not its frame count
            assert g.size == w.size and abs(_gif_ms(g) - _gif_ms(w)) <= 20
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


def test_sentence_streaming_equals_speech_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    req = GenerateRequest.model_validate(body(scene(SENTENCES, background={"type": "color", "value": "#334455"}),
                                              width=320, height=180))
    resolver = LocalResolver(tmp_path / "cache")
    spoken: list[float] = []  # when each piece of speech was ready (synthesis thread)
    drawn: list[float] = []  # when each frame was composed (render thread)
    post, frame = tts._post, SceneComposer.canvas

    def timed_post(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = post(*args, **kwargs)
        spoken.append(time.perf_counter())
        return out

    def timed_frame(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(time.perf_counter())
        return frame(self, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(tts, "_post", timed_post)
        m.setattr(SceneComposer, "canvas", timed_frame)
        fast = render_scene(req, 0, resolver, tmp_path / "stream")
    # frames were drawn before the last sentence was synthesised (the speech queue holds two pieces at most)
    assert len(spoken) >= 6 and drawn and drawn[0] < spoken[-1]
    with monkeypatch.context() as m:
        m.setattr(scene_module, "STREAM", False)
        slow = render_scene(req, 0, resolver, tmp_path / "sequential")
    assert fast.n_frames == slow.n_frames == len(drawn)
    assert fast.words == slow.words and len(fast.words) == len(plain_text(SENTENCES).split())
    assert fast.audio.read_bytes() == slow.audio.read_bytes()
    a, b = _frames(fast.video), _frames(slow.video)
    assert a.shape == b.shape and a.shape[0] == fast.n_frames
    assert np.array_equal(a, b)


def _audio(path: Path) -> tuple[np.ndarray, float]:
    """The decoded audio samples and the first audio frame's presentation time (s)."""
    with av.open(str(path)) as c:
        frames = list(c.decode(audio=0))
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]), float(frames[0].time)


def test_a_one_scene_videos_audio_encoded_while_drawing_equals_the_joined_one(tmp_path: Path) -> None:
    """A one-scene video encodes its audio into the scene's file as the frames are drawn (the join then has
    nothing to encode); the file equals the one the join makes from the scene's WAV: the same frames, the same
    decoded samples at the same start, the same length."""
    req = GenerateRequest.model_validate(body(scene(SENTENCES, background={"type": "color", "value": "#334455"}),
                                              width=320, height=180))
    resolver = LocalResolver(tmp_path / "cache")
    muxed = render_scene(req, 0, resolver, tmp_path / "muxed", mux_audio=True)
    joined = render_scene(req, 0, resolver, tmp_path / "joined")
    assert muxed.muxed and not joined.muxed
    assert muxed.audio.read_bytes() == joined.audio.read_bytes()
    with av.open(str(joined.video)) as c:
        assert not c.streams.audio  # a segment to be joined carries no audio
    a = join_segments([muxed], 25.0, tmp_path / "out-muxed")
    b = join_segments([joined], 25.0, tmp_path / "out-joined")
    assert a.frames == b.frames == muxed.n_frames
    assert np.array_equal(_frames(a.video), _frames(b.video))
    (sa, ta), (sb, tb) = _audio(a.video), _audio(b.video)
    assert ta == tb and len(sa) == len(sb) and np.abs(sa).max() > 0.05
    assert np.abs(sa - sb).max() < 1e-4
    assert probe_mp4(a.video) == probe_mp4(b.video)
