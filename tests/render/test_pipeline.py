"""Whole renders through `render_video`: scene cuts at the right frames, 4K output, text and watermark drawn."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver
from tests.helpers import probe_mp4


def _scene(seconds: float, color: str, **extra: object) -> dict:
    return {"character": {"type": "talking_photo", "talking_photo_id": "tf_astronaut", "scale": 0.25,
                          "offset": {"x": 0.3, "y": 0.0}},
            "voice": {"type": "silence", "duration": seconds},
            "background": {"type": "color", "value": color}, **extra}


def test_three_scenes_cut_at_the_right_frames(tmp_path: Path) -> None:
    req = GenerateRequest.model_validate({"video_inputs": [_scene(0.52, "#ff0000"), _scene(1.0, "#00ff00"),
                                                           _scene(0.48, "#0000ff")],
                                          "dimension": {"width": 320, "height": 180}})
    out = render_video(req, LocalResolver(tmp_path), tmp_path / "out")
    assert out.frames == 13 + 25 + 12
    p = probe_mp4(out.video)
    assert p.frames == out.frames and abs(p.audio_seconds - p.video_seconds) < 0.05
    with av.open(str(out.video)) as c:
        corners = [f.to_ndarray(format="rgb24")[5:20, 5:20].reshape(-1, 3).mean(0) for f in c.decode(video=0)]
    dominant = [int(np.argmax(px)) for px in corners]
    assert dominant == [0] * 13 + [1] * 25 + [2] * 12


def test_4k_output_decodes_at_3840x2160(tmp_path: Path) -> None:
    req = GenerateRequest.model_validate({"video_inputs": [_scene(0.2, "#202020")],
                                          "dimension": {"width": 3840, "height": 2160}})
    out = render_video(req, LocalResolver(tmp_path), tmp_path / "out")
    p = probe_mp4(out.video)
    assert (p.width, p.height, p.frames) == (3840, 2160, 5)


def test_text_overlay_and_test_watermark_reach_the_video(tmp_path: Path) -> None:
    plain = _scene(0.2, "#ffffff")
    texted = _scene(0.2, "#ffffff", text={"text": "HELLO", "font_size": 80, "color": "#000000",
                                          "position": {"x": 0.05, "y": 0.1}})
    frames = {}
    for name, scene, test in (("plain", plain, False), ("text", texted, False), ("watermark", plain, True)):
        req = GenerateRequest.model_validate({"video_inputs": [scene], "test": test,
                                              "dimension": {"width": 640, "height": 360}})
        out = render_video(req, LocalResolver(tmp_path), tmp_path / name)
        with av.open(str(out.video)) as c:
            frames[name] = next(c.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    text_diff = np.abs(frames["text"] - frames["plain"]).sum(axis=2) > 60
    ys, xs = np.nonzero(text_diff)
    assert len(xs) > 200 and xs.min() < 0.25 * 640 and ys.min() < 0.3 * 360  # dark text near the top left
    assert (np.abs(frames["watermark"] - frames["plain"]).sum(axis=2) > 60).sum() > 200


def test_scenes_in_parallel_processes_match_the_sequential_render(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import talkframe.render.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_MIN_SECONDS", 0.0)
    req = GenerateRequest.model_validate({"video_inputs": [_scene(0.4, "#ff0000"), _scene(0.6, "#0000ff")],
                                          "dimension": {"width": 160, "height": 120}})
    seen: list[float] = []
    par = render_video(req, LocalResolver(tmp_path), tmp_path / "par", seen.append, processes=2)
    seq = render_video(req, LocalResolver(tmp_path), tmp_path / "seq")
    assert par.frames == seq.frames == 25
    with av.open(str(par.video)) as a, av.open(str(seq.video)) as b:
        fa = [f.to_ndarray(format="rgb24").astype(int) for f in a.decode(video=0)]
        fb = [f.to_ndarray(format="rgb24").astype(int) for f in b.decode(video=0)]
    assert max(np.abs(x - y).mean() for x, y in zip(fa, fb, strict=True)) < 1.0
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_pad_speech_extends_audio_and_timeline_with_silence() -> None:
    from talkframe.core.types import Phone, Speech
    from talkframe.render.voice_stage import pad_speech

    speech = Speech(np.ones(22050, np.float32), 22050, [Phone("a", 0.0, 1.0)], [])
    padded = pad_speech(speech, 2.5)
    assert padded.duration == 2.5 and padded.audio[22050:].max() == 0
    assert padded.phones[-1] == Phone("", 1.0, 2.5)
    assert pad_speech(speech, 0.5) is speech


def test_full_video_background_lengthens_the_scene(tmp_path: Path) -> None:
    from tests.compose.media import write_bar_clip

    clip = write_bar_clip(tmp_path / "bg.mp4", 20, fps=10)  # 2 s of background video
    scene = _scene(0.5, "#000000")
    scene["background"] = {"type": "video", "url": "bg", "play_style": "full_video", "fit": "cover"}
    scene["character"] = {"type": "talking_photo", "talking_photo_id": "tf_astronaut", "scale": 0.9}
    req = GenerateRequest.model_validate({"video_inputs": [scene], "dimension": {"width": 320, "height": 240}})
    out = render_video(req, LocalResolver(tmp_path, {"bg": clip}), tmp_path / "out")
    assert out.frames == 50  # the scene lasts as long as the clip, not the 0.5 s of silence
    p = probe_mp4(out.video)
    assert abs(p.audio_seconds - 2.0) < 0.05
