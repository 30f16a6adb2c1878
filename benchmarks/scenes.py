"""Multi-scene renders on this machine: scenes in one process vs side by side in several processes.

Run: .venv/bin/python benchmarks/scenes.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver

TEXT = ("Welcome to talkframe. This scene speaks for about ten seconds, so that we can measure how fast a "
        "long video with several scenes renders on this machine.")


def main() -> None:
    scenes = [{"character": {"type": "avatar", "avatar_id": "tf_astronaut_avatar"},
               "voice": {"type": "text", "input_text": TEXT}} for _ in range(4)]
    with tempfile.TemporaryDirectory() as tmp:
        res = LocalResolver(Path(tmp))
        warm = GenerateRequest.model_validate({"video_inputs": scenes[:1], "dimension": {"width": 320, "height": 240}})
        render_video(warm, res, Path(tmp) / "warm")  # model loads are a per-process cost
        for width, height in ((1280, 720), (1920, 1080)):
            req = GenerateRequest.model_validate({"video_inputs": scenes, "dimension": {"width": width,
                                                                                       "height": height}})
            for processes in (1, 2):
                start = time.perf_counter()
                out = render_video(req, res, Path(tmp) / f"{height}-{processes}", processes=processes)
                wall = time.perf_counter() - start
                print(f"{width}x{height}, 4 scenes, processes={processes}: {out.duration:.1f} s of video in "
                      f"{wall:.1f} s, RTF {wall / out.duration:.2f}", flush=True)


if __name__ == "__main__":
    main()
