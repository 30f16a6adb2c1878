"""Contact sheet of every illustrated presenter: neutral, visemes (aa, m, oo, f), blink, happy and a head turn.

    .venv/bin/python benchmarks/presenters_sheet.py [out.png] [--height 360] [--crop4k crop.png]

Also prints the per-frame cost at 1080p and 2160p (the mean of a short run of varied poses).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from PIL import Image, ImageDraw

from talkframe.presenters import PRESENTERS, Pose, PresenterRig

COLUMNS: list[tuple[str, Pose]] = [
    ("neutral", Pose()),
    ("aa", Pose(jaw=0.30, width=0.04, smile=0.05)),
    ("m", Pose(jaw=0.0, closure=1.0, smile=0.05)),
    ("oo", Pose(jaw=0.09, width=-0.28, smile=0.05)),
    ("f", Pose(jaw=0.05, width=0.02, lip_teeth=1.0, smile=0.05)),
    ("blink", Pose(blink=1.0)),
    ("happy", Pose(smile=0.85, jaw=0.12, width=0.06)),
    ("turn", Pose(head_yaw=12, head_roll=4, head_pitch=3, jaw=0.17, width=0.07)),
]
BG = (226, 232, 240)


def sheet(height: int, ids: list[str] | None = None) -> Image.Image:
    ids = ids or list(PRESENTERS)
    poses = [p for _, p in COLUMNS]
    rigs = {a: PresenterRig(a, height, blush=0.12, poses=poses) for a in ids}
    happy = {a: PresenterRig(a, height, blush=0.35, poses=poses) for a in ids}
    w, h = rigs[ids[0]].size
    pad = 24
    img = Image.new("RGB", (len(COLUMNS) * w, len(ids) * (h + pad) + pad), BG)
    draw = ImageDraw.Draw(img)
    for c, (label, _) in enumerate(COLUMNS):
        draw.text((c * w + 6, 4), label, fill=(40, 40, 40))
    for r, a in enumerate(ids):
        for c, (label, pose) in enumerate(COLUMNS):
            rig = happy[a] if label == "happy" else rigs[a]
            rgba = Image.fromarray(rig.render(pose))
            img.paste(rgba, (c * w, pad + r * (h + pad)), rgba)
        draw.text((6, pad + r * (h + pad) + h + 4), f"{a} ({PRESENTERS[a].name}, {PRESENTERS[a].gender})",
                  fill=(40, 40, 40))
    return img


def timing(avatar_id: str, height: int, n: int = 40) -> float:
    rng = np.random.default_rng(0)
    poses = [Pose(jaw=float(rng.uniform(0, 0.3)), width=float(rng.uniform(-0.28, 0.09)),
                  blink=float(rng.uniform(0, 1) > 0.9), head_yaw=float(rng.normal(0, 2)),
                  head_roll=float(rng.normal(0, 1)), head_pitch=float(rng.normal(0, 1.5)),
                  head_tx=float(rng.normal(0, 0.05))) for _ in range(n)]
    rig = PresenterRig(avatar_id, height, poses=poses)
    rig.render(poses[0])
    t = time.perf_counter()
    for p in poses:
        rig.render(p)
    return (time.perf_counter() - t) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default="/tmp/presenters_sheet.png")
    ap.add_argument("--height", type=int, default=360)
    ap.add_argument("--crop4k", default="")
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated avatar ids")
    args = ap.parse_args()
    sheet(args.height, [a for a in args.only.split(",") if a] or None).save(args.out)
    print("wrote", args.out)
    if args.crop4k:
        rig = PresenterRig(next(iter(PRESENTERS)), 2160)
        frame = rig.render(Pose(jaw=0.25, head_yaw=3, head_roll=2))
        w, h = rig.size
        Image.fromarray(frame[int(h * 0.3):int(h * 0.6), int(w * 0.3):int(w * 0.75)]).save(args.crop4k)
        print("wrote", args.crop4k)
    if args.timing:
        for height in (1080, 2160):
            ms = [timing(a, height) for a in list(PRESENTERS)[:3]]
            print(f"{height}p: {np.mean(ms):.1f} ms/frame ({', '.join(f'{m:.1f}' for m in ms)})")


if __name__ == "__main__":
    main()
