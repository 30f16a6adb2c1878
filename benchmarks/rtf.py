"""Whole-job real-time factor (render wall time / video duration) of a ~10 s spoken scene at 720p and 1080p.

Run: .venv/bin/python benchmarks/rtf.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID
from talkframe.render.pipeline import render_video
from talkframe.request import GenerateRequest
from talkframe.resolve import LocalResolver

SCRIPT = ("Welcome to talkframe. This short benchmark speaks for about ten seconds, so that we can measure how "
          "fast a whole video renders on this machine, from speech to the finished file.")


def bench(width: int, height: int, workdir: Path) -> tuple[float, float]:
    req = GenerateRequest.model_validate({
        "video_inputs": [{"character": {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID},
                          "voice": {"type": "text", "input_text": SCRIPT}}],
        "dimension": {"width": width, "height": height},
    })
    start = time.perf_counter()
    out = render_video(req, LocalResolver(workdir / "cache"), workdir / f"{width}x{height}")
    return time.perf_counter() - start, out.duration


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench(320, 240, Path(tmp))  # warm-up: model loads are a per-process cost, not a per-video one
        print(f"{'resolution':>10} {'video s':>8} {'wall s':>7} {'RTF':>5}")
        for w, h in ((1280, 720), (1920, 1080)):
            wall, duration = bench(w, h, Path(tmp))
            print(f"{w}x{h:<5} {duration:8.2f} {wall:7.2f} {wall / duration:5.2f}")


if __name__ == "__main__":
    main()
