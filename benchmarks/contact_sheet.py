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


if __name__ == "__main__":
    main()
