"""Training a video avatar from an uploaded clip, top to bottom:

    probe -> length and audio checks -> track faces (pass 1) -> cut / face / motion checks
    -> phones of the clip's own speech -> one viseme per frame, the articulation curves of that speech
    -> canonical mouth frame and per-frame alignment -> idle stretch and library frames
    -> cut mouths and keep idle frames (pass 2) -> photo-rig mouths for missing visemes
    -> opening calibration (what the person shows for each wanted opening, `calibrate.py`) -> save
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from talkframe.motion.coarticulation import articulation
from talkframe.motion.visemes import Viseme, frame_visemes
from talkframe.video_avatar import calibrate, checks
from talkframe.video_avatar import canonical as C
from talkframe.video_avatar.align import clip_phones
from talkframe.video_avatar.blend import colour_band, mouth_mask
from talkframe.video_avatar.errors import TrainingError
from talkframe.video_avatar.fallback import rig_mouths
from talkframe.video_avatar.idle import choose_idle
from talkframe.video_avatar.library import assemble, mouth_entry, pick_frames
from talkframe.video_avatar.model import VideoAvatarModel
from talkframe.video_avatar.source import iter_frames, probe, read_audio
from talkframe.video_avatar.track import track_clip

AUDIO_RATE = 16000
IDLE_SECONDS = 4.0
MAX_LIBRARY = 900


def train_video_avatar(clip_path: Path, work_dir: Path, progress: Callable[[float], None] | None = None, *,
                       transcript: str | None = None, min_seconds: float = checks.MIN_SECONDS,
                       max_seconds: float = checks.MAX_SECONDS, idle_seconds: float = IDLE_SECONDS,
                       max_library: int = MAX_LIBRARY, fill_missing: bool = True) -> VideoAvatarModel:
    """Train on one clip of a person talking to camera and save the model under `work_dir`.

    Raises `TrainingError` (with a message for the user) for clips that cannot work. `min_seconds` is 30 s in the
    product; tests lower it. A `transcript` of what is said gives exact phones (forced alignment).
    """
    t0 = time.perf_counter()
    report = progress or (lambda _f: None)
    clip_path, work_dir = Path(clip_path), Path(work_dir)
    info = probe(clip_path)
    checks.check_length(info, min_seconds, max_seconds)
    if not info.has_audio:
        raise TrainingError("the clip has no audio: the avatar learns its mouth shapes from the clip's own speech",
                            "no_audio")
    audio = read_audio(clip_path, AUDIO_RATE)
    checks.check_audio(audio, AUDIO_RATE)
    report(0.02)

    track = track_clip(info, lambda f: report(0.02 + 0.6 * f))
    checks.check_cuts(track)
    checks.check_faces(track)
    checks.check_motion(track)
    n, fps = track.n_frames, track.fps

    phones = clip_phones(audio, AUDIO_RATE, transcript)
    visemes = frame_visemes(phones, n, fps)
    curves, _ = articulation(phones, n, fps, audio, AUDIO_RATE)
    report(0.7)

    found = track.found
    lm = C.smooth_landmarks(track.landmarks, found)
    frame = C.build_frame(lm, found)
    affines = C.frame_affines(lm, found, frame)
    # Each image keeps its own lip shape (raw landmarks): smoothed ones blur a closure into its open neighbours,
    # and the path search would then show a shut mouth where it wants a slightly open one.
    opening, width = lip_shapes(track.landmarks, affines, found, frame.scale)
    ipd = float(np.median(track.ipd[found]))
    calm_opening = lip_shapes(lm, affines, found, frame.scale)[0]
    start, k = choose_idle(lm[:, C.RIGID].mean(axis=1), ipd, calm_opening, found, fps, idle_seconds)
    picks = set(pick_frames(visemes, found, max_library).tolist())

    mask = mouth_mask(frame)
    band = colour_band(mask)
    entries, labels, sources, idle = [], [], [], []
    w2, h2 = info.size[0] // 2 * 2, info.size[1] // 2 * 2
    for i, rgb in enumerate(iter_frames(clip_path)):
        if i >= n:
            break
        if i in picks:
            entries.append(mouth_entry(rgb, affines[i], track.landmarks[i], frame, band))
            labels.append(visemes[i].value)
            sources.append(i)
        if start <= i < start + k:
            idle.append(np.ascontiguousarray(rgb[:h2, :w2]))
    report(0.9)
    library = assemble(entries, labels, sources)
    open_p95 = float(np.nanpercentile(opening[found], 95))
    closed = opening[found] <= np.nanpercentile(opening[found], 25)
    width_rest = float(np.nanmedian(width[found][closed]))
    coverage = library.coverage()
    missing = [v for v in Viseme if coverage[v.value] == 0]
    added = rig_mouths(idle[0], affines[start], frame, band, missing) if fill_missing else None
    if added is not None:
        library = library.extend(added)
    model = VideoAvatarModel(fps, (w2, h2), frame, np.stack(idle), affines[start:start + k], library, open_p95,
                             width_rest, calibration=calibrate.fit(curves, opening))
    model.meta = {"clip_seconds": round(n / fps, 3), "frames": n, "phones_from": "transcript" if transcript
                  else "recognised", "idle_start_frame": start, "coverage": coverage,
                  "rig_visemes": [v.value for v in missing] if added is not None else [],
                  "missing_visemes": [v.value for v in missing] if added is None else [],
                  "train_seconds": round(time.perf_counter() - t0, 2)}
    model.save(work_dir)
    report(1.0)
    return model


def lip_shapes(landmarks: np.ndarray, affines: np.ndarray, found: np.ndarray, scale: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """Per frame (inner-lip opening, mouth width) in IPD, NaN where no face."""
    opening = np.full(len(landmarks), np.nan)
    width = np.full(len(landmarks), np.nan)
    for i in np.flatnonzero(found):
        opening[i], width[i] = C.lip_shape(C.apply(affines[i], landmarks[i].astype(np.float64)), scale)
    return opening, width
