"""How the mouth looks, in measurable terms: real lip texture when closed, a lip below the open cavity, a relaxed
expression while talking, a small oval for rounded vowels."""

import numpy as np

from talkframe.avatar import landmarks as L
from talkframe.avatar.face import analyse_photo
from talkframe.avatar.photo_rig import Pose
from talkframe.motion.visemes import TARGETS, Viseme


def _viseme_pose(v: Viseme, smile: float = 0.05) -> Pose:
    t = TARGETS[v]
    return Pose(jaw=t.jaw, width=t.width, closure=t.closure, lip_teeth=t.lip_teeth, smile=smile)


def _redness(px: np.ndarray) -> float:
    px = px.reshape(-1, 3).astype(float)
    return float(np.mean(px[:, 0] - 0.5 * (px[:, 1] + px[:, 2])))


def _skin(rig, frame) -> np.ndarray:
    x, y = np.round(rig.landmarks[205, :2]).astype(int)
    return frame[y - 2:y + 3, x - 2:x + 3, :3]


def test_closed_mouth_is_lips_with_a_soft_seam_not_a_drawn_line(rig):
    fr = rig.render(Pose(smile=0.05))
    up, lo = rig.inner_lips(Pose(smile=0.05))
    seam = 0.5 * (up + lo)
    mid = seam[len(seam) // 4: 3 * len(seam) // 4]
    lum = fr[..., :3].astype(float).mean(axis=2)
    on = np.array([lum[int(round(y)), int(round(x))] for x, y in mid])
    d = max(2, int(round(0.06 * rig.ipd)))
    above = np.array([lum[int(round(y)) - d, int(round(x))] for x, y in mid])
    below = np.array([lum[int(round(y)) + d, int(round(x))] for x, y in mid])
    ratio = on.mean() / (0.5 * (above.mean() + below.mean()))
    assert 0.6 < ratio < 0.97  # a shaded meeting line, neither invisible nor a black stroke
    # the lips on either side are lip-coloured (pinker than the cheek), and no teeth show
    x0, x1 = int(mid[:, 0].min()), int(mid[:, 0].max())
    y0, y1 = int(mid[:, 1].min()) - d, int(mid[:, 1].max()) + d + 1
    lips = fr[y0:y1, x0:x1, :3]
    assert _redness(lips) > _redness(_skin(rig, fr)) + 8
    # no teeth: along the closed line nothing is bright and colourless
    line = np.array([fr[int(round(y)) + k, int(round(x)), :3] for x, y in mid for k in (-1, 0)], float)
    assert not ((line.mean(axis=1) > 200) & (line[:, 0] - line[:, 2] < 35)).any()
    # the seam is warm, not grey: red stays the strongest channel on it
    seam_px = np.array([fr[int(round(y)), int(round(x)), :3] for x, y in mid], float)
    assert (seam_px[:, 0] > seam_px[:, 1] + 5).mean() > 0.8


def test_the_lower_lip_stays_a_lip_below_the_open_cavity(rig):
    p = _viseme_pose(Viseme.AA)
    fr = rig.render(p)
    _, lo = rig.inner_lips(p)
    k = len(lo) // 2
    x, y = np.round(lo[k - 1:k + 2].mean(axis=0)).astype(int)
    d = max(2, int(round(0.05 * rig.ipd)))
    band = fr[y + 1:y + 1 + d, x - d:x + d + 1, :3]
    assert band.astype(float).mean() > 110  # lit lip, not cavity
    assert _redness(band) > _redness(_skin(rig, fr)) + 8


def test_the_smile_relaxes_while_talking_unless_happy(rig):
    def corner_lift(frame) -> float:
        lm = analyse_photo(np.ascontiguousarray(frame[..., :3])).landmarks
        centre = 0.5 * (lm[L.UPPER_OUTER_MID, 1] + lm[L.LOWER_OUTER_MID, 1])
        return float(centre - 0.5 * (lm[L.MOUTH_LEFT, 1] + lm[L.MOUTH_RIGHT, 1])) / rig.ipd

    talking, happy = corner_lift(rig.render(Pose(smile=0.05))), corner_lift(rig.render(Pose(smile=0.85)))
    assert talking < happy - 0.03
    # the open vowel is no crescent either: its cavity corners sit no higher than a little above its top middle
    p = _viseme_pose(Viseme.AA)
    up, _ = rig.inner_lips(p)
    assert (up[len(up) // 2, 1] - 0.5 * (up[0, 1] + up[-1, 1])) / rig.ipd < 0.08


def test_rounded_vowels_show_a_small_oval_not_a_wide_crescent(rig):
    def cavity_width(p: Pose) -> float:
        fr = rig.render(p)[..., :3].astype(float)
        up, lo = rig.inner_lips(p)
        pts = np.concatenate([up, lo])
        m = int(0.2 * rig.ipd)
        x0, y0 = np.floor(pts.min(axis=0)).astype(int) - m
        x1, y1 = np.ceil(pts.max(axis=0)).astype(int) + m
        dark = fr[y0:y1, x0:x1].mean(axis=2) < 70
        cols = np.flatnonzero(dark.any(axis=0))
        return float(cols.max() - cols.min()) / rig.ipd if len(cols) else 0.0

    assert 0 < cavity_width(_viseme_pose(Viseme.OU)) < 0.7 * cavity_width(_viseme_pose(Viseme.AA))
