"""Contact sheet of the talking-photo rig: one frame per viseme, a blink and extreme head poses.

Run: .venv/bin/python benchmarks/contact_sheet.py [photo.png]
Writes `<photo>_contact_sheet.png` next to the source photo (default: the bundled astronaut, written under
/tmp/tf_contact). Each tile is the face region at 2x, labelled; the last row is a 1:1 crop of the open mouth.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from talkframe.avatar.catalog import astronaut_rgb
from talkframe.avatar.photo_rig import Pose
from talkframe.avatar.talking_photo import rig_for
from talkframe.motion.visemes import TARGETS, Viseme


def poses() -> list[tuple[str, Pose]]:
    out = [("rest (photo smile)", Pose(smile=1.0)), ("rest, talking", Pose(smile=0.05))]
    for v in Viseme:
        t = TARGETS[v]
        out.append((v.value, Pose(jaw=t.jaw, width=t.width, closure=t.closure, lip_teeth=t.lip_teeth, smile=0.05)))
    out += [("aa happy", Pose(jaw=0.3, width=0.04, smile=0.8)), ("blink half", Pose(blink=0.5, smile=0.3)),
            ("blink", Pose(blink=1.0, smile=0.3)),
            ("yaw+ pitch+", Pose(head_yaw=6, head_pitch=5, head_roll=3, head_tx=0.06, smile=0.3)),
            ("yaw- pitch-", Pose(head_yaw=-6, head_pitch=-5, head_roll=-3, head_tx=-0.06, smile=0.3))]
    return out


def main() -> None:
    if len(sys.argv) > 1:
        src = Path(sys.argv[1])
        rgb = np.asarray(Image.open(src).convert("RGB"))
    else:
        src = Path("/tmp/tf_contact/astronaut.png")
        src.parent.mkdir(parents=True, exist_ok=True)
        rgb = astronaut_rgb()
        Image.fromarray(rgb).save(src)
    rig = rig_for(rgb)
    x, y, w, h = rig.face_box()
    pad = int(0.35 * max(w, h))
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(rig.size[0], x + w + pad), min(rig.size[1], y + h + int(1.4 * pad))
    zoom = max(1.0, 300 / (x1 - x0))
    tiles = []
    for label, p in poses():
        fr = rig.render(p)[y0:y1, x0:x1, :3]
        tile = cv2.resize(fr, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
        cv2.rectangle(tile, (0, 0), (tile.shape[1], 22), (0, 0, 0), -1)
        cv2.putText(tile, label, (6, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
        tiles.append(tile)
    cols = 6
    while len(tiles) % cols:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.concatenate(tiles[i:i + cols], 1) for i in range(0, len(tiles), cols)]
    sheet = np.concatenate(rows, 0)
    out = src.with_name(src.stem + "_contact_sheet.png")
    Image.fromarray(sheet).save(out)
    print(out)
    closeups(rig, rgb, src)


CLOSEUP_POSES = ("rest, talking", "aa", "E", "ou", "PP", "FF", "aa happy", "blink", "yaw+ pitch+")


def closeups(rig, rgb: np.ndarray, src: Path, height: int = 1080) -> None:
    """1080p close-ups: the face crop scaled to a 1080-pixel-tall canvas the way compose does (INTER_LINEAR up), the
    source photo on the left, one PNG per pose, plus a 1:1 mouth crop strip of all of them (what to look at)."""
    x, y, w, h = rig.face_box()
    side = int(1.5 * max(w, h))
    cx, cy = x + w // 2, y + int(0.55 * h)
    x0, y0 = max(0, cx - side // 2), max(0, cy - side // 2)
    x1, y1 = min(rig.size[0], x0 + side), min(rig.size[1], y0 + side)
    k = height / (y1 - y0)
    size = (int(round((x1 - x0) * k)), height)
    src_tile = cv2.resize(np.ascontiguousarray(rgb[y0:y1, x0:x1]), size, interpolation=cv2.INTER_LINEAR)
    table = dict(poses())
    strips = []
    mx, my = rig.frame_.origin
    mw = int(2.2 * rig.frame_.half_mouth * k)
    mcx, mcy = int((mx - x0) * k), int((my - y0) * k)
    for name in CLOSEUP_POSES:
        fr = rig.render(table[name])[y0:y1, x0:x1, :3]
        tile = cv2.resize(np.ascontiguousarray(fr), size, interpolation=cv2.INTER_LINEAR)
        slug = name.replace(" ", "_").replace(",", "").replace("+", "p")
        Image.fromarray(np.concatenate([src_tile, tile], 1)).save(src.with_name(f"{src.stem}_1080_{slug}.png"))
        crop = tile[max(0, mcy - mw // 3): mcy + mw // 2, max(0, mcx - mw // 2): mcx + mw // 2].copy()
        cv2.putText(crop, name, (6, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1, cv2.LINE_AA)
        strips.append(crop)
    hh = min(s.shape[0] for s in strips)
    ww = min(s.shape[1] for s in strips)
    strips = [s[:hh, :ww] for s in strips]
    grid = np.concatenate([np.concatenate(strips[i:i + 3], 1) for i in range(0, 9, 3)], 0)
    out = src.with_name(src.stem + "_1080_mouths.png")
    Image.fromarray(grid).save(out)
    print(out, "tiles", size)


if __name__ == "__main__":
    main()
