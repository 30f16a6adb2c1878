"""Video-avatar benchmark: train on generated footage, render new speech, time it, and save contact sheets.

Run: .venv/bin/python benchmarks/video_avatar.py [--size 512|720] [--metrics]
     .venv/bin/python benchmarks/video_avatar.py --parity     (issue #7: lip-sync parity with the photo engine)

Footage: the bundled astronaut photo made to talk by the photo rig (no real talking video ships offline), cached
under /tmp/tf_video_avatar per version of the photo engine's sources. Writes there:
  render_sheet_<size>.png   rendered frames across visemes (face region at 2x); the second row of each pair shows
                            the mask edge (feather from 5% to 95%) drawn on the same frame
  library_<size>.png        one library image per viseme (canonical crops), the mask edge drawn in
  render_<size>.mp4         the rendered clip with its audio
Reports training seconds per minute of clip, render ms/frame (path search and per-frame), and with --metrics the
lip-sync score (spec/quality.md) of the video avatar next to the photo engine's on the same speech.
With --parity it renders PARITY_SCRIPTS (new lines, none from the training script) with both engines and prints
per script: photo score and m, video-avatar score and m, their ratio, plus the planned m (the openings of the
chosen library images, no FaceMesh) and the wanted m (the articulation curve the photo engine follows).
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import cv2
import numpy as np

import quality  # benchmarks/quality.py: the project's metric code (this script's directory is on sys.path)
from talkframe.avatar.catalog import astronaut_rgb
from talkframe.motion import build_tracks
from talkframe.video_avatar import VideoAvatarModel, train_video_avatar, video_avatar_clip
from talkframe.video_avatar.blend import mouth_mask
from talkframe.video_avatar.footage import SCRIPT, speak, talking_footage, write_clip

OUT = Path("/tmp/tf_video_avatar")
NEW_LINES = "Peter picked a bowl of apples. Who knew? Five of them were wonderful, and the others were awful."
PARITY_SCRIPTS = [
    NEW_LINES,
    "Our quarterly numbers look strong. Sales grew by twelve percent, and costs stayed flat.",
    "Welcome back to the channel. Today I will show you how to bake fresh bread at home.",
    "Maybe the best time to start was yesterday. The next best time is right now, so let's begin.",
    "Please remember to submit your forms by Friday. If you have questions, send me a message.",
    "I really enjoyed our meeting this morning. Let's follow up next week with the whole team.",
    "The weather today is cool and cloudy, with a chance of rain later in the evening.",
    "Good afternoon, everyone. Our new product launches in June, and we could not be more excited.",
    "Could you open the window, please? It is getting warm in here, and I need some fresh air.",
]
SHOW = ["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou"]


def engine_hash() -> str:
    """Short hash of the photo engine's and voice's sources: cached footage is remade when they change."""
    import talkframe

    root = Path(talkframe.__file__).parent
    h = hashlib.sha1()
    for sub in ("motion", "avatar", "voice"):
        for f in sorted((root / sub).glob("*.py")):
            h.update(f.read_bytes())
    return h.hexdigest()[:8]


def footage(size: int) -> Path:
    path = OUT / f"footage_{size}_{engine_hash()}.mp4"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        rgb = astronaut_rgb()
        if size != rgb.shape[0]:
            rgb = cv2.resize(rgb, (size, size), interpolation=cv2.INTER_CUBIC)
        talking_footage(path, rgb, speak(SCRIPT))
    return path


def tile(rgb: np.ndarray, box: tuple[int, int, int, int], label: str, zoom: float) -> np.ndarray:
    x0, y0, x1, y1 = box
    t = cv2.resize(np.ascontiguousarray(rgb[y0:y1, x0:x1, :3]), None, fx=zoom, fy=zoom,
                   interpolation=cv2.INTER_CUBIC)
    cv2.rectangle(t, (0, 0), (t.shape[1], 18), (0, 0, 0), -1)
    cv2.putText(t, label, (4, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 255), 1, cv2.LINE_AA)
    return t


def grid(tiles: list[np.ndarray], cols: int) -> np.ndarray:
    while len(tiles) % cols:
        tiles.append(np.zeros_like(tiles[0]))
    return np.concatenate([np.concatenate(tiles[i:i + cols], 1) for i in range(0, len(tiles), cols)], 0)


def edge_overlay(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    out = rgb.copy()
    for level, colour in ((0.05, (0, 255, 255)), (0.95, (255, 0, 255))):
        m = (alpha >= level).astype(np.uint8)
        edge = cv2.morphologyEx(m, cv2.MORPH_GRADIENT, np.ones((2, 2), np.uint8)) > 0
        out[edge] = colour
    return out


def main() -> None:
    size = int(sys.argv[sys.argv.index("--size") + 1]) if "--size" in sys.argv else 512
    if "--parity" in sys.argv:
        parity(size)
        return
    clip_path = footage(size)
    work = OUT / f"model_{size}"
    t = time.perf_counter()
    model = train_video_avatar(clip_path, work, transcript=SCRIPT, min_seconds=10)
    train_s = time.perf_counter() - t
    clip_s = model.meta["clip_seconds"]
    print(f"trained on {clip_s:.1f} s in {train_s:.1f} s = {60 * train_s / clip_s:.0f} s per minute of clip; "
          f"library {len(model.library)} images, coverage {model.meta['coverage']}, rig {model.meta['rig_visemes']}")
    model = VideoAvatarModel.load(work)

    speech = speak(NEW_LINES)
    t = time.perf_counter()
    clip = video_avatar_clip(model, build_tracks(speech, 25.0))
    plan_ms = 1000 * (time.perf_counter() - t)
    frames, times = [], []
    for i in range(clip.n_frames):
        t = time.perf_counter()
        f = clip.frame(i)
        times.append(time.perf_counter() - t)
        frames.append(f[..., :3].copy())
    per = 1000 * float(np.median(times))
    print(f"render {size}px: plan {plan_ms:.0f} ms for {clip.n_frames} frames ({plan_ms / clip.n_frames:.2f} ms/frame),"
          f" frame() median {per:.2f} ms, mean {1000 * np.mean(times):.2f} ms")
    write_clip(OUT / f"render_{size}.mp4", lambda i: frames[i], len(frames), 25.0, speech.audio, speech.sample_rate)

    # contact sheet: first frame of each viseme's longest run in the new speech
    vis = [v.value for v in build_tracks(speech, 25.0).visemes]
    lm_box = model.prepared()[1][0].box
    x0, y0, x1, y1 = lm_box
    pad = (x1 - x0) // 8
    box = (max(0, x0 - pad), max(0, y0 - 4 * pad), min(model.size[0], x1 + pad), min(model.size[1], y1 + pad))
    zoom = max(1.0, 240 / (box[2] - box[0]))
    tiles, edges = [], []
    for v in SHOW:
        idx = [i for i, x in enumerate(vis) if x == v]
        if not idx:
            continue
        i = idx[len(idx) // 2]
        k = clip.idle_index(i)
        p = model.prepared()[1][k]
        alpha = np.zeros(model.size[::-1], np.float32)
        alpha[p.box[1]:p.box[3], p.box[0]:p.box[2]] = p.alpha[..., 0]
        src = int(model.library.source[clip.path[i]])
        tiles.append(tile(frames[i], box, f"{v} f{i} <- {src}", zoom))
        edges.append(tile(edge_overlay(frames[i], alpha), box, f"{v} mask edge", zoom))
    cols = 5
    rows = []
    for r in range(0, len(tiles), cols):
        rows += [grid(tiles[r:r + cols], cols), grid(edges[r:r + cols], cols)]
    sheet = np.concatenate(rows, 0)
    cv2.imwrite(str(OUT / f"render_sheet_{size}.png"), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))

    lib = model.library
    mask = mouth_mask(model.frame)
    lt = []
    for v in SHOW:
        idx = [j for j, x in enumerate(lib.visemes) if x == v]
        if not idx:
            continue
        j = idx[int(np.argmax(lib.opening[idx]))] if v in ("aa", "oh", "E") else idx[len(idx) // 2]
        crop = edge_overlay(lib.crops[j], mask)
        lt.append(tile(crop, (0, 0, crop.shape[1], crop.shape[0]), f"{v} n={len(idx)} o={lib.opening[j]:.2f}",
                       max(1.0, 200 / crop.shape[1])))
    cv2.imwrite(str(OUT / f"library_{size}.png"), cv2.cvtColor(grid(lt, 5), cv2.COLOR_RGB2BGR))
    print("wrote", OUT / f"render_sheet_{size}.png", OUT / f"library_{size}.png", OUT / f"render_{size}.mp4")

    if "--metrics" in sys.argv:
        metrics(size, speech, frames)


def photo_frames(size: int, speech) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    from talkframe.avatar.talking_photo import photo_seed, talking_photo_clip

    rgb = astronaut_rgb() if size == 512 else cv2.resize(astronaut_rgb(), (size, size), interpolation=cv2.INTER_CUBIC)
    photo = talking_photo_clip(rgb, build_tracks(speech, 25.0, seed=photo_seed(rgb)))
    return [photo.frame(i)[..., :3].copy() for i in range(photo.n_frames)]


def lip_sync(o: np.ndarray, speech) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """quality.md's lip-sync measures of an opening curve against the speech's loudness."""
    return quality.lip_sync(o, speech.audio, speech.sample_rate, 25.0)


def measured(frames: list[np.ndarray], speech) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """`lip_sync` of the openings FaceMesh re-detects on `frames`."""
    return lip_sync(quality.mouth_series(frames)[0], speech)


def parity(size: int) -> None:
    """Issue #7: on every new script the video avatar's lip-sync score must be >= 0.90 of the photo engine's."""
    from talkframe.motion.coarticulation import articulation

    work = OUT / f"model_{size}"
    t = time.perf_counter()
    train_video_avatar(footage(size), work, transcript=SCRIPT, min_seconds=10)
    model = VideoAvatarModel.load(work)
    cal = model.calibration
    print(f"trained in {time.perf_counter() - t:.1f} s; opening calibration: "
          + (f"round gain {cal.round_gain:.2f}, teeth gain {cal.teeth_gain:.3f}, scale {cal.scale:.2f}" if cal
             else "none (linear)"))
    ratios = []
    head = ("script", "dur", "photo", "m", "video", "m", "ratio", "plan m", "want m")
    print(f"{head[0]:<44}", " ".join(f"{h:>6}" for h in head[1:]))
    for text in PARITY_SCRIPTS:
        speech = speak(text)
        clip = video_avatar_clip(model, build_tracks(speech, 25.0))
        video = [clip.frame(i)[..., :3].copy() for i in range(clip.n_frames)]
        pv, vv = measured(photo_frames(size, speech), speech), measured(video, speech)
        curves, _ = articulation(speech.phones, clip.n_frames, 25.0, speech.audio, speech.sample_rate)
        want = lip_sync(curves["jaw"] * (1 - curves["closure"]), speech)["m"]
        plan = lip_sync(model.library.opening[clip.path].astype(float), speech)["m"]
        ratio = vv["lipsync_score"] / pv["lipsync_score"]
        ratios.append(ratio)
        print(f"{text[:44]:<44} {speech.duration:5.1f} {pv['lipsync_score']:6.3f} {pv['m']:6.3f} "
              f"{vv['lipsync_score']:6.3f} {vv['m']:6.3f} {ratio:6.3f} {plan:6.3f} {want:6.3f}")
    good = sum(r >= 0.90 for r in ratios)
    print(f"{good} of {len(ratios)} scripts at ratio >= 0.90; min {min(ratios):.3f}, mean {np.mean(ratios):.3f}")


def metrics(size: int, speech, frames: list[np.ndarray]) -> None:  # type: ignore[no-untyped-def]
    """Lip sync (quality.md) on re-detected landmarks, video avatar vs the photo engine on the same speech."""
    for name, fr in (("video avatar", frames), ("photo engine", photo_frames(size, speech))):
        o, w, _ = quality.mouth_series(fr)
        lip = quality.lip_sync(o, speech.audio, speech.sample_rate, 25.0)
        vis = quality.viseme_accuracy(o, w, speech.phones, 25.0)
        print(f"{name}: lipsync {lip['lipsync_score']:.3f} (m {lip['m']:.3f}), silent lip {lip['silent_lip']:.3f}, "
              f"offset {lip['av_offset_frames']} corr {lip['peak_corr']:.2f}; bilabials closed "
              f"{vis['bilabial_closed']:.2f} of {vis['n_bilabial']}, open vowels opened {vis['open_vowel_opened']:.2f}"
              f" of {vis['n_open']}, round {vis['round_width']:.3f} < spread {vis['spread_width']:.3f}")


if __name__ == "__main__":
    main()
