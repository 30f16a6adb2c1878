"""An illustrated presenter through the whole pipeline: at 4K, with its default voice, visemes on the frames."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver
from tests.helpers import probe_mp4


def test_presenter_speaks_at_4k(tmp_path: Path) -> None:
    req = GenerateRequest.model_validate({
        "video_inputs": [{"character": {"type": "avatar", "avatar_id": "tf_presenter_marcus"},
                          "voice": {"type": "text", "input_text": "Papa, how are you?"},
                          "background": {"type": "color", "value": "#ffffff"}}],
        "dimension": {"width": 3840, "height": 2160}})
    out = render_video(req, LocalResolver(tmp_path), tmp_path / "out")
    p = probe_mp4(out.video)
    assert (p.width, p.height) == (3840, 2160) and p.frames == out.frames > 10
    # the mouth (centre of the canvas, lower face): teeth show on open visemes and vanish on closed ones
    with av.open(str(out.video)) as c:
        crops = [f.to_ndarray(format="gray")[1000:1160, 1800:2040] for f in c.decode(video=0)]
    teeth = np.array([(crop > 200).sum() for crop in crops])
    assert teeth.max() > 500 and teeth.min() < teeth.max() / 5
