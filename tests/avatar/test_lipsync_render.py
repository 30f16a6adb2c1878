"""Lip sync measured the way spec/quality.md does, on a real render: the MP4 is decoded, FaceMesh re-detects the
mouth on every frame, and the opening is compared with the loudness of the decoded audio."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from tests.video_avatar.metrics import mouth_openings, to_16k, voice_activity

from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver

TEXT = "Why would anyone go all the way out there? Because, at the top, the view is wonderful."


def _decode(path: Path) -> tuple[list[np.ndarray], np.ndarray, int]:
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    with av.open(str(path)) as c:
        rate = c.streams.audio[0].rate
        audio = np.concatenate([f.to_ndarray().astype(np.float32).mean(axis=0) for f in c.decode(audio=0)])
    return frames, audio, rate


def test_rendered_mouth_is_in_sync_and_as_loosely_coupled_to_loudness_as_real_speech(tmp_path: Path) -> None:
    req = GenerateRequest.model_validate({"video_inputs": [{
        "character": {"type": "talking_photo", "talking_photo_id": "tf_astronaut"},
        "voice": {"type": "text", "input_text": TEXT}}], "dimension": {"width": 1280, "height": 720}})
    out = render_video(req, LocalResolver(tmp_path), tmp_path / "out")
    frames, audio, rate = _decode(out.video)
    o = mouth_openings(frames)
    a16 = to_16k(audio, rate)  # quality.md's instrument: loudness and voice activity on 16 kHz mono
    hop = 16000 / 25.0
    v = np.array([np.sqrt(np.mean(np.square(a16[int(i * hop):int((i + 1) * hop)])) + 1e-12)
                  for i in range(len(frames))])
    assert np.isnan(o).sum() == 0

    # AV offset: the opening correlates best with the loudness at lag 0, and clearly (quality.md: >= 0.5).
    oo, vv = o - o.mean(), v - v.mean()
    n = len(oo)
    corr = {lag: float(np.corrcoef(oo[max(0, lag):n + min(0, lag)], vv[max(0, -lag):n + min(0, -lag)])[0, 1])
            for lag in range(-5, 6)}
    assert max(corr, key=corr.get) == 0 and corr[0] >= 0.5, corr

    # THEval's m: real talkers 0.2528. A mouth that copies the loudness curve scores well below (this script measured
    # 0.15 when loudness scaled the jaw), a random one above (uniform: 1/3). On 5 s the min-max scale rests on one
    # or two frames' FaceMesh readings, which encoder noise moves (the very same drawn frames measured m 0.246
    # unencoded and 0.303 through the writer), so only those two bounds are asserted; the target (within 0.04 of
    # 0.2528) is for long speech, which benchmarks/quality.py measures (25-27 s scripts: 0.23-0.27).
    speech = voice_activity(a16, 25.0, len(frames))
    on = (o[speech] - o[speech].min()) / np.ptp(o[speech])
    vn = (v[speech] - v[speech].min()) / np.ptp(v[speech])
    m = float(np.mean(np.abs(on - vn)))
    assert 0.20 <= m <= 1 / 3, m

    # Pauses: the lips rest (quality.md: real videos 0.0263 IPD on silent frames).
    assert float(np.mean(o[~speech])) <= 0.03
