"""Contact sheets of the talking photo on the portrait set, one row per photo, stacked into one gallery PNG.

Run: .venv/bin/python benchmarks/gallery.py [OUT.png]   (also run by `benchmarks/quality.py --gallery`)

Each sheet: top row, the source face and 8 frames evenly spread over the script; bottom row, the most open mouth,
the most closed mouth while talking and the deepest blink, then 3x close-ups (at double tile size) of that open
mouth, that closed mouth and that blink's eyes. Frames come straight from the rig (the same `TalkingPhotoClip` the
pipeline renders), so no encoding is needed; the source face and frames are the same crop, so differences show
at a glance.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from talkframe import voice
from talkframe.avatar.talking_photo import photo_seed, talking_photo_clip
from talkframe.motion import build_tracks
from talkframe.render.avatar_stage import photo_display_scale
from talkframe.request import GenerateRequest

TILE = 176
FPS = 25.0
CANVAS = (1280, 720)  # rigs are built as a 720p render builds them (a small face shown large is supersampled)


def _speech(text: str):  # type: ignore[no-untyped-def]
    req = GenerateRequest.model_validate({"video_inputs": [{
        "character": {"type": "talking_photo", "talking_photo_id": "x"},
        "voice": {"type": "text", "input_text": text}}]})
    return voice.synthesize(req.video_inputs[0].voice)


def _label(tile: np.ndarray, text: str) -> np.ndarray:
    tile = np.ascontiguousarray(tile)
    cv2.rectangle(tile, (0, 0), (tile.shape[1], 15), (0, 0, 0), -1)
    cv2.putText(tile, text, (3, 11), cv2.FONT_HERSHEY_SIMPLEX, 0.36, (255, 255, 255), 1, cv2.LINE_AA)
    return tile


def _crop(img: np.ndarray, cx: float, cy: float, half: float, size: int = TILE) -> np.ndarray:
    """A square crop of side 2*half around (cx, cy), padded with grey where it leaves the image, as a TILE."""
    h, w = img.shape[:2]
    x0, y0 = int(round(cx - half)), int(round(cy - half))
    side = max(2, int(round(2 * half)))
    out = np.full((side, side, 3), 128, np.uint8)
    sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(w, x0 + side), min(h, y0 + side)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = img[sy0:sy1, sx0:sx1, :3]
    return cv2.resize(out, (size, size), interpolation=cv2.INTER_CUBIC if side < size else cv2.INTER_AREA)


def sheet(name: str, rgb: np.ndarray, speech) -> np.ndarray:  # type: ignore[no-untyped-def]
    character = GenerateRequest.model_validate({"video_inputs": [{
        "character": {"type": "talking_photo", "talking_photo_id": name},
        "voice": {"type": "silence", "duration": 1}}]}).video_inputs[0].character
    clip = talking_photo_clip(rgb, build_tracks(speech, FPS, seed=photo_seed(rgb)),
                              display_scale=photo_display_scale(character, rgb, CANVAS))
    rig = clip.rig
    n = clip.n_frames
    poses = [clip.pose(i) for i in range(n)]
    openings = np.array([float(np.median(np.linalg.norm(lo - up, axis=1))) / rig.ipd
                         for up, lo in (rig.inner_lips(p) for p in poses)])
    talking = np.array(clip.tracks.activity) > 0.5
    i_open = int(np.argmax(openings))
    i_closed = int(np.argmin(np.where(talking, openings, np.inf))) if talking.any() else int(np.argmin(openings))
    i_blink = int(np.argmax(clip.tracks.blink))
    scale = rgb.shape[1] / rig.size[0]  # the rig may work on an enlarged copy
    x, y, w, h = rig.face_box()
    cx, cy, half = x + w / 2, y + 0.55 * h, 0.75 * max(w, h)
    mx, my = rig.frame_.origin
    ex, ey = 0.5 * (rig.landmarks[468, :2] + rig.landmarks[473, :2])
    tiles = [_label(_crop(cv2.resize(rgb, rig.size) if scale != 1 else rgb, cx, cy, half), f"{name} source")]
    picks = list(np.linspace(0, n - 1, 8).round().astype(int))
    frames = {}
    for i in picks + [i_open, i_closed, i_blink]:
        if i not in frames:
            frames[i] = clip.frame(int(i))[..., :3].copy()
    for i in picks:
        tiles.append(_label(_crop(frames[i], cx, cy, half), f"t={i / FPS:.1f}s"))
    tiles.append(_label(_crop(frames[i_open], cx, cy, half), f"most open {openings[i_open]:.2f}"))
    tiles.append(_label(_crop(frames[i_closed], cx, cy, half), f"most closed {openings[i_closed]:.2f}"))
    tiles.append(_label(_crop(frames[i_blink], cx, cy, half), f"blink {clip.tracks.blink[i_blink]:.2f}"))
    top = np.concatenate(tiles[:9], 1)
    # Second row: the three extremes, then their 3x close-ups at double tile size (what to look at).
    big = []
    for i, (px, py), label in ((i_open, (mx, my), "3x open"), (i_closed, (mx, my), "3x closed"),
                               (i_blink, (ex, ey), "3x blink")):
        big.append(_label(_crop(frames[i], px, py, half / 3, 2 * TILE), label))
    blank = np.zeros_like(tiles[11])
    small = np.concatenate([np.concatenate(tiles[9:11], 0), np.concatenate([tiles[11], blank], 0)], 1)
    bottom = np.concatenate([small] + big, 1)
    w = max(top.shape[1], bottom.shape[1])
    pad = [np.pad(r, ((0, 0), (0, w - r.shape[1]), (0, 0))) for r in (top, bottom)]
    return np.concatenate(pad + [np.zeros((6, w, 3), np.uint8)], 0)


def gallery(photos: dict[str, Path], text: str, out: Path) -> Path:
    speech = _speech(text)
    rows = []
    sheets = out.parent / "sheets"
    sheets.mkdir(parents=True, exist_ok=True)
    for name, path in photos.items():
        rgb = np.asarray(Image.open(path).convert("RGB"))
        row = sheet(name, rgb, speech)
        Image.fromarray(row).save(sheets / f"{out.stem}_{name}.png")
        rows.append(row)
    Image.fromarray(np.concatenate(rows, 0)).save(out)
    return out


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from portraits import make_set

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/tf_quality/gallery.png")
    text = "Why would anyone go all the way out there? Because, at the top, the view is wonderful."
    print(gallery(make_set(), text, out))


if __name__ == "__main__":
    main()
