"""Rendered frames, measured by re-detecting landmarks on them (as the quality benchmark does)."""

import numpy as np

from talkframe.avatar.photo_rig import Pose
from talkframe.motion.visemes import TARGETS, Viseme


def _viseme_pose(v: Viseme, **kw) -> Pose:
    t = TARGETS[v]
    return Pose(jaw=t.jaw, width=t.width, closure=t.closure, lip_teeth=t.lip_teeth, smile=0.05, **kw)


def test_rest_and_bilabials_are_closed_even_though_the_photo_shows_teeth(rig, astronaut, measure):
    assert measure(astronaut)["open"] > 0.1  # the photo itself is open
    assert measure(rig.render(Pose(smile=0.35)))["open"] <= 0.04
    # p/b/m shut the lips even when the blend still asks for some jaw
    assert measure(rig.render(Pose(jaw=0.2, closure=1.0, smile=0.05)))["open"] <= 0.04


def test_open_vowels_open_the_mouth(rig, measure):
    rest = measure(rig.render(Pose(smile=0.05)))["open"]
    aa = measure(rig.render(_viseme_pose(Viseme.AA)))["open"]
    e = measure(rig.render(_viseme_pose(Viseme.E)))["open"]
    assert aa > rest + 0.08 and aa > e > rest + 0.03


def test_rounded_visemes_narrow_the_mouth(rig, measure):
    spread = measure(rig.render(_viseme_pose(Viseme.IH)))["width"]
    rounded = measure(rig.render(_viseme_pose(Viseme.OU)))["width"]
    assert rounded < 0.9 * spread


def test_labiodentals_bring_the_lower_lip_to_the_upper_teeth(rig, measure):
    ff_frame = rig.render(_viseme_pose(Viseme.FF))
    ff = measure(ff_frame)
    aa = measure(rig.render(_viseme_pose(Viseme.AA)))
    assert ff["open"] < 0.1 < aa["open"]
    assert ff["lower_lip_y"] < aa["lower_lip_y"] - 0.1
    # upper teeth show between the lips: bright pixels in the small gap above the lower lip
    up, lo = rig.inner_lips(_viseme_pose(Viseme.FF))
    x0, x1 = int(up[3, 0]), int(up[-4, 0])
    y0, y1 = int(up[:, 1].min()), int(np.ceil(lo[:, 1].max()))
    gap = ff_frame[y0:y1 + 1, x0:x1, :3].astype(float).mean(axis=2)
    assert gap.max() > 200


def test_blink_closes_the_upper_lid(rig, measure):
    open_ear = measure(rig.render(Pose(smile=0.35)))["ear"]
    closed = rig.render(Pose(blink=1.0, smile=0.35))
    assert measure(closed)["ear"] < 0.5 * open_ear
    # the eye is covered, not squashed: the iris colour is gone from the lid area
    x, y = np.round(rig.landmarks[468, :2]).astype(int)
    assert closed[y - 1:y + 2, x - 1:x + 2, :3].mean() > rig.base[y - 1:y + 2, x - 1:x + 2, :3].mean() + 30


def test_head_motion_moves_the_head_not_the_background(rig):
    still = rig.render(Pose())
    moved = rig.render(Pose(head_yaw=3.0, head_pitch=2.0, head_roll=2.0, head_tx=0.04))
    diff = np.abs(moved[..., :3].astype(int) - still[..., :3].astype(int)).max(axis=2)
    x0, y0, x1, y1 = rig.head.box
    outside = np.ones(diff.shape, bool)
    outside[y0:y1, x0:x1] = False
    assert diff[outside].max() == 0
    assert diff[y0:y1, x0:x1].mean() > 1.0
    # small pose steps give small image changes (smooth, no seams or jumps)
    step = rig.render(Pose(head_yaw=3.1, head_pitch=2.05, head_roll=2.05, head_tx=0.041))
    assert np.abs(step[..., :3].astype(int) - moved[..., :3].astype(int)).max() < 40
    # shoulders (bottom corners) never move
    assert np.array_equal(moved[-40:, :40], still[-40:, :40])


def test_frames_are_fast(rig):
    import time

    poses = [Pose(jaw=0.3 * (i % 3) / 2, width=-0.1, blink=(i % 5) / 4, head_yaw=i * 0.1) for i in range(12)]
    t = time.perf_counter()
    for p in poses:
        rig.render(p)
    assert (time.perf_counter() - t) / len(poses) < 0.03
