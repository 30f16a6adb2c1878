"""Choosing mouth images for new speech: a smoothest-path (Viterbi) search over library candidates.

Per output frame the target is the coarticulated articulation of the new speech (`motion.coarticulation`, the
curves the photo engine animates: jaw opening, mouth width, lip closure) plus its viseme. The wanted opening is
turned into the opening this person shows for that shape (`calibrate.py`, learned from the clip), so the chosen
mouths open and close with the photo engine's curve. Each candidate costs how far its measured lip shape and label are
from the target; each step between two choices costs their visual discontinuity (lip landmarks and mouth
pixels), except playing the clip's next real frame, which is free: runs of real motion are preferred, as in
Video Rewrite. Visemes the clip lacks fall back to the nearest measured shape (or to photo-rig images added at
training, see `fallback.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkframe.motion import MotionTracks
from talkframe.video_avatar.calibrate import OpenCalibration, target_opening
from talkframe.video_avatar.library import MouthLibrary

SIGMA_OPEN = 0.04  # IPD
SIGMA_WIDTH = 0.10  # relative width
LABEL = 0.6  # cost of a candidate whose viseme label differs from the target's
CLOSURE = 6.0  # cost per unit of opening beyond closed where the target says lips shut (p, b, m)
HOLD = 0.15  # showing the same image again
JUMP = 0.3  # any other change of source
SIGMA_LIPS = 0.06  # IPD, rms over lip points
SIGMA_PIX = 0.1  # grey rms
TOP_K = 24


@dataclass
class Targets:
    curves: dict[str, np.ndarray]  # `articulation()` channels per frame: jaw, width, closure, lip_teeth
    visemes: list[str]

    @property
    def width(self) -> np.ndarray:
        return self.curves["width"]

    @property
    def closure(self) -> np.ndarray:
        return self.curves["closure"]


def track_targets(tracks: MotionTracks) -> Targets:
    """The scene's motion tracks as path-search targets: the articulation curves and the viseme of each frame."""
    return Targets(tracks.articulation(), [v.value for v in tracks.visemes])


def target_costs(lib: MouthLibrary, t: Targets, open_p95: float, width_rest: float,
                 calibration: OpenCalibration | None = None) -> np.ndarray:
    """(n_frames, n_candidates) cost of showing each image on each frame."""
    o = target_opening(t.curves, calibration, open_p95)[:, None]
    w = (lib.width / width_rest - 1.0)[None, :]
    cost = ((lib.opening[None, :] - o) / SIGMA_OPEN) ** 2 + ((w - t.width[:, None]) / SIGMA_WIDTH) ** 2
    labels = np.array(lib.visemes)
    cost += LABEL * (labels[None, :] != np.array(t.visemes)[:, None])
    shut = np.clip(2.0 * t.closure - 1.0, 0.0, 1.0)[:, None]  # only the closure itself, not its anticipation
    cost += CLOSURE * shut * (np.maximum(lib.opening[None, :] - 0.015, 0) / 0.02) ** 2
    return cost


def visual_distances(lib: MouthLibrary) -> np.ndarray:
    """(n, n) float32 cost of cutting from one image to another: lip landmarks and mouth pixels (once per model)."""
    idx = np.arange(len(lib))
    lips = _sq_dist(lib.lips_flat, idx, idx) / SIGMA_LIPS**2
    d = JUMP + 0.5 * lips + 0.5 * _sq_dist(lib.thumbs, idx, idx) / SIGMA_PIX**2
    return d.astype(np.float32)


def _transitions(dist: np.ndarray, a: np.ndarray, b: np.ndarray, nxt: np.ndarray) -> np.ndarray:
    cost = dist[a[:, None], b[None, :]]
    cost[a[:, None] == b[None, :]] = HOLD
    cost[nxt[a][:, None] == b[None, :]] = 0.0
    return cost


def _sq_dist(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean squared difference per coordinate between rows a and rows b of x (as a matrix product: fast)."""
    xa, xb = x[a].astype(np.float32), x[b].astype(np.float32)
    sq = (xa * xa).sum(1)[:, None] + (xb * xb).sum(1)[None, :] - 2.0 * xa @ xb.T
    return np.maximum(sq, 0.0) / x.shape[1]


def successors(lib: MouthLibrary) -> np.ndarray:
    """For each image, the image of the clip's next frame (or -2 when it is not in the library)."""
    pos = {int(s): i for i, s in enumerate(lib.source) if s >= 0}
    return np.array([pos.get(int(s) + 1, -2) if s >= 0 else -2 for s in lib.source], int)


def choose_path(lib: MouthLibrary, t: Targets, open_p95: float, width_rest: float, top_k: int = TOP_K,
                dist: np.ndarray | None = None, calibration: OpenCalibration | None = None) -> np.ndarray:
    """The library index to show on each output frame (Viterbi over the best `top_k` per frame, plus the clip's
    next frames of the previous candidates). `dist` is `visual_distances(lib)`, cached by the caller;
    `calibration` the model's opening calibration (`calibrate.fit`)."""
    dist = visual_distances(lib) if dist is None else dist
    tc = target_costs(lib, t, open_p95, width_rest, calibration)
    n, c = tc.shape
    k = min(top_k, c)
    nxt = successors(lib)
    tops = np.argpartition(tc, k - 1, axis=1)[:, :k]
    sets = [tops[0]]
    score = tc[0, tops[0]]
    back: list[np.ndarray] = []
    for i in range(1, n):
        prev = sets[-1]
        follow = nxt[prev]
        cand = np.unique(np.concatenate([tops[i], follow[follow >= 0], prev]))
        total = score[:, None] + _transitions(dist, prev, cand, nxt)
        arg = np.argmin(total, axis=0)
        back.append(arg)
        score = total[arg, np.arange(len(cand))] + tc[i, cand]
        sets.append(cand)
    path = np.zeros(n, int)
    j = int(np.argmin(score))
    for i in range(n - 1, -1, -1):
        path[i] = sets[i][j]
        if i:
            j = int(back[i - 1][j])
    return path
