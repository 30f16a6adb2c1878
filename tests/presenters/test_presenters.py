"""Illustrated presenters: catalogue, 4K rendering, visemes measured on the pixels, blinks, head motion, crispness."""

from __future__ import annotations

import numpy as np
import pytest

from talkframe.core.types import AvatarClip, Phone, Speech
from talkframe.motion import MotionTracks, build_tracks
from talkframe.presenters import (
    PRESENTERS,
    Pose,
    PresenterClip,
    PresenterRig,
    presenter_clip,
    presenter_seed,
    preview_image,
    render_size,
)
from talkframe.presenters.catalog import LOOKS
from talkframe.presenters.face import CAVITY, EYE_DX, EYE_Y, MOUTH, SCLERA, TEETH, TONGUE, mouth_curves
from talkframe.request import Character

SR = 22050
FPS = 25
# phone spans (s); frames at 25 fps: pause 2, "m" 12, "a" 15, "u" 27, "f" 34, "i" 39
SPANS = [("", 0, .4), ("m", .4, .56), ("a", .56, .86), ("m", .86, 1.0), ("u", 1.0, 1.3), ("f", 1.3, 1.46),
         ("i", 1.46, 1.76), ("", 1.76, 2.4)]
FRAME = {"pause": 2, "m": 12, "a": 15, "u": 27, "f": 34, "i": 39}
AVA = "tf_presenter_ava"


def speech() -> Speech:
    audio = np.zeros(int(SPANS[-1][2] * SR), np.float32)
    for sym, a, b in SPANS:
        if sym:
            t = np.arange(int(a * SR), int(b * SR))
            audio[t] = 0.3 * np.sin(2 * np.pi * 160 * t / SR)
    return Speech(audio, SR, [Phone(s, a, b) for s, a, b in SPANS])


def _presenter(avatar_id: str, sp: Speech, fps: float, character: Character | None,
               target_height_px: int) -> PresenterClip:
    """A presenter animated as a scene animates it: the motion step's tracks, then the presenter engine."""
    character = character or Character(avatar_id=avatar_id)
    tracks: MotionTracks = build_tracks(sp, fps, character.talking_style, character.expression,
                                        presenter_seed(avatar_id))
    return presenter_clip(avatar_id, tracks, target_height_px, character.expression)


@pytest.fixture(scope="module")
def clip_4k():
    return _presenter(AVA, speech(), FPS, Character(avatar_id=AVA), target_height_px=2160)


@pytest.fixture(scope="module")
def frames_4k(clip_4k):
    return {k: clip_4k.frame(i) for k, i in FRAME.items()}


def box(size: tuple[int, int], cx: float, cy: float, hw: float, hh: float) -> tuple[slice, slice]:
    """A design-unit box around (cx, cy) as pixel slices of a frame of `size`."""
    s = size[1] / 1000
    return slice(int((cy - hh) * s), int((cy + hh) * s)), slice(int((cx - hw) * s), int((cx + hw) * s))


def near(rgba: np.ndarray, color: tuple[int, int, int], tol: float = 30) -> np.ndarray:
    return np.linalg.norm(rgba[..., :3].astype(float) - color, axis=-1) < tol


def mouth_box(size: tuple[int, int]) -> tuple[slice, slice]:
    return box(size, MOUTH[0], MOUTH[1] + 10, 90, 60)


def test_catalogue_has_varied_presenters_with_voices():
    from talkframe.voice.catalog import list_voices

    voices = {v.voice_id: v for v in list_voices()}
    assert len(PRESENTERS) >= 6
    assert {p.gender for p in PRESENTERS.values()} == {"female", "male"}
    assert len({LOOKS[a].skin for a in PRESENTERS}) >= 6
    assert len({LOOKS[a].hair_style for a in PRESENTERS}) >= 6
    assert len({LOOKS[a].outfit for a in PRESENTERS}) >= 4
    for avatar_id, info in PRESENTERS.items():
        assert avatar_id == info.avatar_id and avatar_id.startswith("tf_presenter_") and info.name
        assert info.default_voice_id in voices
        if info.gender == "female":
            assert voices[info.default_voice_id].gender.lower() == "female"


def test_clip_is_an_avatar_clip_of_the_requested_height():
    clip = _presenter("tf_presenter_marcus", Speech.silence(0.2), FPS, None, target_height_px=720)
    assert isinstance(clip, AvatarClip)
    assert clip.size == (540, 720) == render_size(720)
    assert clip.n_frames == 5
    assert clip.frame(0).shape == (720, 540, 4) and clip.frame(0).dtype == np.uint8


def test_visemes_are_measurable_on_4k_frames(clip_4k, frames_4k):
    assert clip_4k.size == (1620, 2160)
    mb = mouth_box(clip_4k.size)
    cavity = {k: int(near(f[mb], CAVITY).sum()) for k, f in frames_4k.items()}
    teeth = {k: int(near(f[mb], TEETH, 12).sum()) for k, f in frames_4k.items()}
    assert cavity["a"] > 3000, cavity  # open vowel: a large dark mouth interior
    assert cavity["m"] < 50 and cavity["pause"] < 50, cavity  # bilabial and pause: lips shut
    assert teeth["a"] > 500 and teeth["m"] == 0, teeth  # teeth show only when open
    assert teeth["f"] > 800 and cavity["f"] < cavity["a"] / 4, (teeth, cavity)  # f: upper teeth on the lower lip
    tongue = {k: int(near(f[mb], TONGUE, 10).sum()) for k, f in frames_4k.items()}
    assert tongue["a"] > 300 and tongue["m"] == 0


def lip_width(frame: np.ndarray, size: tuple[int, int]) -> int:
    look = LOOKS[AVA]
    mb = mouth_box(size)
    lips = near(frame[mb], look.lip, 40) | near(frame[mb], tuple(int(c * 0.82) for c in look.lip), 25)
    cols = np.flatnonzero(lips.sum(0) > 2)
    return int(cols.max() - cols.min())


def test_rounding_narrows_the_mouth(clip_4k, frames_4k):
    u, i = lip_width(frames_4k["u"], clip_4k.size), lip_width(frames_4k["i"], clip_4k.size)
    assert u < 0.8 * i, (u, i)


def test_blink_covers_the_eyes():
    rig = PresenterRig(AVA, 1080)
    eyes = box(rig.size, 375, EYE_Y, EYE_DX + 40, 25)
    open_, shut = rig.render(Pose(blink=0.0)), rig.render(Pose(blink=1.0))
    white_open, white_shut = near(open_[eyes], SCLERA, 8).sum(), near(shut[eyes], SCLERA, 8).sum()
    assert white_open > 250 and white_shut < 0.05 * white_open, (white_open, white_shut)


def test_head_moves_while_the_body_stays():
    poses = [Pose(), Pose(head_yaw=8, head_roll=4, head_pitch=3, head_tx=0.1)]
    rig = PresenterRig(AVA, 1080, poses=poses)
    still, moved = rig.render(poses[0]), rig.render(poses[1])
    h = rig.size[1]
    body = slice(int(0.8 * h), h)
    assert np.array_equal(still[body], moved[body])
    head = slice(int(0.15 * h), int(0.5 * h))
    a0, a1 = still[head, :, 3].astype(float), moved[head, :, 3].astype(float)
    xs = np.arange(a0.shape[1])
    shift = (a1.sum(0) @ xs) / a1.sum() - (a0.sum(0) @ xs) / a0.sum()
    assert shift > 5, shift  # the head (and its silhouette) slid right
    assert np.abs(still[head].astype(int) - moved[head].astype(int)).mean() > 3


def test_alpha_is_the_silhouette(frames_4k):
    f = frames_4k["pause"]
    h, w = f.shape[:2]
    a = f[..., 3]
    for y, x in [(0, 0), (0, w - 1), (int(0.05 * h), w // 2), (int(0.4 * h), 5), (int(0.4 * h), w - 6)]:
        assert a[y, x] == 0, (y, x)
    assert a[int(0.4 * h), w // 2] == 255 and a[h - 1, w // 2] == 255
    assert 0.3 < (a > 0).mean() < 0.8
    assert np.all(f[a == 0][:, :3] == 0)


def test_every_presenter_renders():
    for avatar_id, look in LOOKS.items():
        img = preview_image(avatar_id, 320)
        assert img.shape == (320, 240, 4)
        face = img[box((240, 320), 375, 430, 40, 20)]
        assert near(face, look.skin, 25).mean() > 0.5, avatar_id
        assert img[0, 0, 3] == 0 and img[-1, 120, 3] == 255
        assert not np.array_equal(img, preview_image("tf_presenter_ava", 320)) or avatar_id == AVA


def test_edges_are_antialiased_and_sharp_at_4k(frames_4k):
    a = frames_4k["pause"][..., 3]
    h, w = a.shape
    partial = (a > 0) & (a < 255)
    assert partial.sum() > 500  # anti-aliased silhouette
    widths = []
    for y in range(int(0.3 * h), int(0.55 * h), 37):  # rows through the head and hair
        row = a[y]
        x0 = int(np.flatnonzero(row > 0)[0])
        x1 = int(np.flatnonzero(row == 255)[0])
        widths.append(x1 - x0)
    assert max(widths) <= 3, widths  # a 0 -> 255 ramp of at most 3 px: drawn at size, not upscaled


def test_happy_lifts_the_mouth_corners_and_expressive_moves_more():
    neutral, happy = mouth_curves(Pose(smile=0.05)), mouth_curves(Pose(smile=0.85))
    assert happy["upper_in"][0, 1] < neutral["upper_in"][0, 1] - 5  # corners up (y grows downwards)
    sp = speech()
    stable = _presenter(AVA, sp, FPS, Character(avatar_id=AVA, talking_style="stable"), 240).tracks
    lively = _presenter(AVA, sp, FPS, Character(avatar_id=AVA, talking_style="expressive"), 240).tracks
    assert np.std(lively.head_yaw) > 1.5 * np.std(stable.head_yaw)
    glad = _presenter(AVA, sp, FPS, Character(avatar_id=AVA, expression="happy"), 400)
    plain = _presenter(AVA, sp, FPS, Character(avatar_id=AVA), 400)
    cheeks = box(glad.size, 375 - 78, 452, 20, 10)
    red = [float(c.frame(2)[cheeks][..., 0].astype(int).mean() - c.frame(2)[cheeks][..., 1].astype(int).mean())
           for c in (glad, plain)]
    assert red[0] > red[1] + 3, red
