"""What makes a clip unusable, checked in order from cheapest to dearest; each raises `TrainingError`.

Thresholds are in face units (inter-pupil distance, IPD) and seconds so they hold at any resolution and frame rate.
"""

from __future__ import annotations

import numpy as np

from talkframe.video_avatar.errors import TrainingError
from talkframe.video_avatar.source import ClipInfo
from talkframe.video_avatar.track import Track, head_pose

MIN_SECONDS = 30.0  # the product's minimum: 30 s gives most visemes several real examples
MAX_SECONDS = 300.0
FACE_FRACTION = 0.9  # the face must be tracked on at least this share of frames
MULTI_FACE_FRACTION = 0.3  # share of detector runs that may see a second face before we refuse
CUT_GREY = 18.0  # mean |difference| of 32x32 thumbnails (grey levels) that marks a cut...
CUT_RATIO = 6.0  # ...when it is also this many times the clip's typical frame difference
JUMP_IPD = 0.5  # the face moving this far between two frames is a cut, not motion
MAX_SPEED = 2.5  # IPD per second (95th percentile): faster is heavy motion
MAX_TRAVEL = 2.5  # IPD: the face may wander this far in all
MAX_YAW = 25.0  # degrees away from the clip's median pose (95th percentile)
MAX_ZOOM = 1.35  # ratio of face sizes (95th / 5th percentile)
STABLE = [33, 133, 362, 263, 168, 6, 197, 195, 5, 4, 1, 2, 98, 327]


def check_length(info: ClipInfo, min_seconds: float, max_seconds: float) -> None:
    if info.duration < min_seconds:
        raise TrainingError(f"the clip is {info.duration:.1f} s long; a video avatar needs at least "
                            f"{min_seconds:.0f} s of the person talking", "too_short")
    if info.duration > max_seconds:
        raise TrainingError(f"the clip is {info.duration:.0f} s long; the limit is {max_seconds:.0f} s", "too_long")


def check_audio(audio: np.ndarray, sample_rate: int) -> None:
    """Refuse silence and near-silence: the mouth library is labelled from the clip's own speech."""
    hop = max(1, sample_rate // 50)
    n = len(audio) // hop
    if n < 10:
        raise TrainingError("the clip's audio track is empty", "no_audio")
    rms = np.sqrt(np.mean(np.square(audio[: n * hop].reshape(n, hop)), axis=1))
    loud = float(np.percentile(rms, 95))
    if loud < 0.003:
        raise TrainingError("the clip's audio is silent: record the person speaking", "silent_audio")
    if np.mean(rms > max(0.1 * loud, 0.002)) < 0.15:
        raise TrainingError("the clip has almost no speech in it: record the person speaking", "silent_audio")


def check_faces(track: Track) -> None:
    found = track.found
    if not found.any():
        raise TrainingError("no face was found in the clip", "no_face")
    share = float(found.mean())
    if share < FACE_FRACTION:
        raise TrainingError(f"the face is visible in only {100 * share:.0f}% of the clip; keep it in view "
                            "the whole time", "face_lost")
    runs = track.faces[track.faces >= 0]
    if len(runs) and float(np.mean(runs >= 2)) > MULTI_FACE_FRACTION:
        raise TrainingError(f"{int(np.median(runs[runs >= 2]))} people are in view; the clip must show one "
                            "person alone", "multiple_faces")


def check_cuts(track: Track) -> None:
    """Scene changes: a jump in the picture (thumbnail difference) or in where the face is (landmarks)."""
    th = track.thumbs.astype(np.float32)
    if len(th) > 2:
        diff = np.abs(th[1:] - th[:-1]).mean(axis=(1, 2))
        limit = max(CUT_GREY, CUT_RATIO * float(np.median(diff)) + 4.0)
        cuts = np.flatnonzero(diff > limit)
        if len(cuts):
            raise TrainingError(f"the clip has a cut (scene change) at {(cuts[0] + 1) / track.fps:.1f} s; "
                                "upload one continuous shot", "scene_cut")
    jump = _stable_speed(track) / track.fps
    bad = np.flatnonzero(jump > JUMP_IPD)
    if len(bad):
        raise TrainingError(f"the face jumps at {(bad[0] + 1) / track.fps:.1f} s (a cut or an edit); upload one "
                            "continuous shot", "scene_cut")


def check_motion(track: Track) -> None:
    """Heavy head or camera motion: the mouth library needs a face that stays roughly where it is."""
    speed = _stable_speed(track)
    speed = speed[np.isfinite(speed)]
    if len(speed) and float(np.percentile(speed, 95)) > MAX_SPEED:
        raise TrainingError("the head or camera moves too fast; record with a steady camera and the head calm",
                            "heavy_motion")
    ok = track.found
    lm, ipd = track.landmarks[ok], track.ipd[ok]
    d = float(np.median(ipd))
    centre = lm[:, STABLE].mean(axis=1) / d
    travel = np.percentile(centre, 98, axis=0) - np.percentile(centre, 2, axis=0)
    if float(np.max(travel)) > MAX_TRAVEL:
        raise TrainingError("the face moves around the frame too much; keep the head in one place", "heavy_motion")
    yaw, _, _ = head_pose(lm)
    if float(np.percentile(np.abs(yaw - np.median(yaw)), 95)) > MAX_YAW:
        raise TrainingError("the head turns away too much; look at the camera while talking", "heavy_motion")
    if float(np.percentile(ipd, 95) / max(1e-6, np.percentile(ipd, 5))) > MAX_ZOOM:
        raise TrainingError("the face size changes too much (moving toward or away from the camera, or a zoom)",
                            "heavy_motion")


def _stable_speed(track: Track) -> np.ndarray:
    """IPD per second of the rigid face points between consecutive frames (NaN where a face is missing)."""
    ok = track.found
    if ok.sum() < 2:
        return np.zeros(0)
    d = float(np.median(track.ipd[ok]))
    centre = track.landmarks[:, STABLE].mean(axis=1)
    return np.linalg.norm(centre[1:] - centre[:-1], axis=1) / d * track.fps
