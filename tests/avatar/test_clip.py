from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from talkframe.avatar import build_clip
from talkframe.avatar.catalog import BUILTIN_AVATAR_ID, builtin_photo_path
from talkframe.core.types import AvatarClip, Phone, Speech
from talkframe.render.motion_stage import scene_motion
from talkframe.request import Character
from talkframe.resolve.scene import resolve_avatar


class _Resolver:
    def __init__(self, tmp: Path, photo: Path | None = None):
        self.tmp, self.photo = tmp, photo

    def asset(self, a):
        raise KeyError(a)

    def url(self, u, k):
        raise KeyError(u)

    def talking_photo(self, p):
        return self.photo or builtin_photo_path(p, self.tmp)


def _speech():
    phones = [Phone("", 0, 0.2), Phone("m", 0.2, 0.3), Phone("ɑː", 0.3, 0.5), Phone("", 0.5, 1.0)]
    return Speech(np.zeros(22050, np.float32), 22050, phones)


def _build(character: Character, resolver: _Resolver):
    """The resolve, motion and avatar steps of a scene, for the photo engine."""
    source = resolve_avatar(character, resolver)
    return build_clip(character, source.rgb, scene_motion(character, _speech(), 25.0, source))


def test_build_clip_animates_the_builtin_avatar(tmp_path):
    ch = Character(type="avatar", avatar_id=BUILTIN_AVATAR_ID)
    clip = _build(ch, _Resolver(tmp_path))
    assert isinstance(clip, AvatarClip)
    assert clip.n_frames == 25 and clip.size == (512, 512)
    f0 = clip.frame(0).copy()  # frames share one buffer (see TalkingPhotoClip.frame): keep a copy
    f10 = clip.frame(10)
    assert f0.shape == (512, 512, 4) and f0.dtype == np.uint8 and (f0[..., 3] == 255).all()
    assert np.abs(f10.astype(int) - f0.astype(int)).max() > 30  # the /ɑː/ frame differs from the rest frame
    assert clip.face_box is not None and clip.face_box[2] > 60


def test_matting_gives_a_soft_alpha_covering_the_person(tmp_path):
    ch = Character(type="avatar", avatar_id=BUILTIN_AVATAR_ID, matting=True)
    alpha = _build(ch, _Resolver(tmp_path)).frame(5)[..., 3]
    assert alpha[130, 225] == 255 or alpha[130, 225] > 245  # the face
    assert alpha[15, 500] < 10  # background
    soft = ((alpha > 10) & (alpha < 245)).mean()
    assert 0.001 < soft < 0.1  # a soft edge, not a hard cut and not mush


def test_super_resolution_enlarges_small_faces(tmp_path):
    ch = Character(type="avatar", avatar_id=BUILTIN_AVATAR_ID, super_resolution=True)
    clip = _build(ch, _Resolver(tmp_path))
    assert clip.size[0] > 700


def test_photo_without_a_face_falls_back_to_still(tmp_path):
    p = tmp_path / "wall.png"
    Image.fromarray(np.full((200, 200, 3), 128, np.uint8)).save(p)
    clip = _build(Character(type="talking_photo", talking_photo_id="x"), _Resolver(tmp_path, p))
    assert clip.n_frames == 25 and clip.frame(3).shape == (200, 200, 4)


@pytest.mark.parametrize("style", ["stable", "expressive"])
def test_styles_render(tmp_path, style):
    ch = Character(type="avatar", avatar_id=BUILTIN_AVATAR_ID, talking_style=style, expression="happy")
    clip = _build(ch, _Resolver(tmp_path))
    assert clip.frame(clip.n_frames - 1).shape == (512, 512, 4)


def test_frames_reuse_one_buffer_and_change_only_the_head_box(tmp_path):
    ch = Character(type="avatar", avatar_id=BUILTIN_AVATAR_ID)
    clip = _build(ch, _Resolver(tmp_path))
    a = clip.frame(0)
    a_copy = a.copy()
    b = clip.frame(10)
    assert b is a  # no per-frame full-image allocation
    rig = clip.rig
    fresh = rig.render(clip.pose(10))  # the allocating path gives the same pixels
    assert np.array_equal(fresh, b)
    x0, y0, x1, y1 = rig.head.box
    outside = np.ones(b.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(b[outside], rig.base[outside])
    assert not np.array_equal(a_copy, b)
