"""Scene composition at scale: RTF and peak memory of whole renders against resolution and length, plus the
per-frame cost of the compose step alone.

Each render runs in its own subprocess so its peak RSS (`ru_maxrss`) is its own. Long renders use a silent voice
(`{"type": "silence"}`) so speech synthesis is not what is measured; `--video-bg` composes them over a looping
generated video background to show that streaming decode keeps memory flat.

Run: .venv/bin/python benchmarks/composition.py [--quick] [--video-bg] [--skip-renders]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = ("Welcome to talkframe. This short benchmark speaks for about ten seconds, so that we can measure how "
          "fast a whole video renders on this machine, from speech to the finished file.")
RESOLUTIONS = ((1280, 720), (1920, 1080), (3840, 2160))
LENGTHS = (10.0, 60.0, 300.0)


def _write_clip(path: Path, seconds: float = 3.0, size: tuple[int, int] = (1280, 720), fps: int = 25) -> Path:
    """A moving gradient clip, the stand-in for a user's background video."""
    import numpy as np

    from talkframe.media.mp4 import Mp4Writer

    writer = Mp4Writer(path, size, fps, crf=28, preset="ultrafast", with_audio=False)
    x = np.linspace(0, 255, size[0], dtype=np.float32)
    for k in range(round(seconds * fps)):
        img = np.empty((size[1], size[0], 3), np.uint8)
        img[..., 0] = (x + k * 4) % 256
        img[..., 1] = 120
        img[..., 2] = 255 - img[..., 0]
        writer.write_frame(img)
    writer.close()
    return path


def run_one(width: int, height: int, seconds: float, voice: str, video_bg: bool, workdir: Path) -> dict:
    """One whole render in this process; returns timings and this process's peak RSS."""
    from talkframe.avatar.catalog import BUILTIN_AVATAR_ID
    from talkframe.render.pipeline import render_video
    from talkframe.request import GenerateRequest
    from talkframe.resolve import LocalResolver

    files: dict[str, Path] = {}
    scene: dict = {"character": {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "scale": 0.8},
                   "text": {"text": "talkframe benchmark", "position": {"x": 60, "y": 60}, "font_size": 56}}
    scene["voice"] = ({"type": "text", "input_text": SCRIPT} if voice == "text"
                      else {"type": "silence", "duration": seconds})
    if video_bg:
        files["bg"] = _write_clip(workdir / "bg.mp4")
        scene["background"] = {"type": "video", "url": "bg", "play_style": "loop", "fit": "cover"}
    req = GenerateRequest.model_validate({"video_inputs": [scene], "dimension": {"width": width, "height": height}})
    start = time.perf_counter()
    out = render_video(req, LocalResolver(workdir / "cache", files), workdir / "out")
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"w": width, "h": height, "voice": voice, "video_bg": video_bg, "duration": out.duration,
            "wall": wall, "rtf": wall / out.duration, "peak_mb": peak_mb}


def spawn(width: int, height: int, seconds: float, voice: str, video_bg: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--one", str(width), str(height), str(seconds), voice, tmp]
        if video_bg:
            cmd.append("--video-bg")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        return json.loads(done.stdout.strip().splitlines()[-1])


def compose_cost(frames: int = 30) -> list[tuple[str, str, float]]:
    """Milliseconds per `SceneComposer.frame` for an opaque, a matted and a circle avatar."""
    import numpy as np

    from talkframe.avatar.catalog import astronaut_rgb
    from talkframe.compose.background import solid
    from talkframe.compose.scene import SceneComposer
    from talkframe.request import Character, TextOverlay

    rgb = astronaut_rgb()
    opaque = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    yy, xx = np.mgrid[:512, :512]
    matted = opaque.copy()
    matted[..., 3] = np.clip(255 - (np.hypot(xx - 256, yy - 300) - 200) * 8, 0, 255).astype(np.uint8)
    rows = []
    for w, h in RESOLUTIONS:
        for label, av, ch in (("opaque", opaque, Character()), ("matte", matted, Character()),
                              ("circle", opaque, Character(avatar_style="circle", circle_background_color="#fc0"))):
            c = SceneComposer((w, h), (512, 512), ch, solid((w, h), "#f6f6fc"), watermark=True,
                              text=TextOverlay(text="Compose cost", position={"x": 60, "y": 60}))
            c.frame(0, av)
            start = time.perf_counter()
            for i in range(frames):
                c.frame(i, av)
            rows.append((f"{w}x{h}", label, (time.perf_counter() - start) / frames * 1000))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", nargs=5, metavar=("W", "H", "SECONDS", "VOICE", "WORKDIR"))
    ap.add_argument("--video-bg", action="store_true", help="loop a generated video background")
    ap.add_argument("--quick", action="store_true", help="lengths 10 s and 60 s only")
    ap.add_argument("--skip-renders", action="store_true", help="only the per-frame compose cost")
    args = ap.parse_args()
    if args.one:
        w, h, s, voice, workdir = args.one
        print(json.dumps(run_one(int(w), int(h), float(s), voice, args.video_bg, Path(workdir))))
        return

    print("compose step alone (SceneComposer.frame, static background, text + watermark):")
    print(f"{'canvas':>10} {'avatar':>7} {'ms/frame':>9}")
    for canvas, label, ms in compose_cost():
        print(f"{canvas:>10} {label:>7} {ms:9.1f}")
    if args.skip_renders:
        return

    bg = " over a looping video background" if args.video_bg else ""
    print(f"\nwhole renders{bg} (each in its own process):")
    print(f"{'canvas':>10} {'voice':>8} {'video s':>8} {'wall s':>7} {'RTF':>5} {'peak RSS MB':>12}")
    runs = [(w, h, 10.0, "text") for w, h in RESOLUTIONS]
    runs += [(1280, 720, s, "silence") for s in (LENGTHS[:2] if args.quick else LENGTHS)]
    for w, h, s, voice in runs:
        r = spawn(w, h, s, voice, args.video_bg)
        print(f"{w}x{h:<5} {voice:>8} {r['duration']:8.1f} {r['wall']:7.1f} {r['rtf']:5.2f} {r['peak_mb']:12.0f}",
              flush=True)


if __name__ == "__main__":
    main()
