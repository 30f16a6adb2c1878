"""The resolve stage: every input of a scene fetched once, before any other stage, and the right engine chosen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.compose.media import write_bar_clip

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID, builtin_photo_path
from talkframe.core.errors import FILE_CORRUPTED, RenderError
from talkframe.core.types import Phone, Speech
from talkframe.motion import Pose, build_tracks
from talkframe.render.scene import render_scene
from talkframe.request import GenerateRequest, VideoInput
from talkframe.resolve.scene import (
    PhotoSource,
    PresenterSource,
    ResolvedScene,
    VideoAvatarSource,
    resolve_scene,
)


class CountingResolver:
    """Local files for every id and URL, counting each fetch."""

    def __init__(self, tmp: Path, files: dict[str, Path], trained: dict[str, Path] | None = None) -> None:
        self.tmp, self.files, self.trained = tmp, files, trained or {}
        self.calls: list[tuple[str, str]] = []

    def asset(self, asset_id: str) -> Path:
        self.calls.append(("asset", asset_id))
        return self.files[asset_id]

    def url(self, url: str, kind: str) -> Path:
        self.calls.append((kind, url))
        return self.files[url]

    def talking_photo(self, photo_id: str) -> Path:
        self.calls.append(("talking_photo", photo_id))
        return builtin_photo_path(photo_id, self.tmp)

    def video_avatar(self, avatar_id: str) -> Path | None:
        self.calls.append(("video_avatar", avatar_id))
        return self.trained.get(avatar_id)


def _scene(**parts: object) -> VideoInput:
    doc = {"character": {"type": "talking_photo", "talking_photo_id": "tf_astronaut"},
           "voice": {"type": "silence", "duration": 0.4}, **parts}
    return GenerateRequest.model_validate({"video_inputs": [doc]}).video_inputs[0]


def test_every_input_is_fetched_once_before_rendering(tmp_path: Path) -> None:
    """A full_video background is needed twice (the scene's length, then its frames) but fetched once."""
    clip = write_bar_clip(tmp_path / "bg.mp4", 20, fps=10)
    resolver = CountingResolver(tmp_path, {"bg": clip, "a1": Path("/usr/share/sounds/alsa/Front_Center.wav")})
    scene = {"character": {"type": "talking_photo", "talking_photo_id": "tf_astronaut", "scale": 0.5},
             "voice": {"type": "silence", "duration": 0.4},
             "background": {"type": "video", "url": "bg", "play_style": "full_video"}}
    req = GenerateRequest.model_validate({"video_inputs": [scene], "dimension": {"width": 160, "height": 120}})
    segment = render_scene(req, 0, resolver, tmp_path / "seg")
    assert segment.n_frames == 50  # the clip's 2 s at 25 fps: the background was really used for the length
    assert resolver.calls == [("video", "bg"), ("talking_photo", "tf_astronaut")]

    audio = _scene(voice={"type": "audio", "audio_asset_id": "a1"})
    resolver.calls.clear()
    inputs = resolve_scene(audio, resolver)
    assert resolver.calls == [("asset", "a1"), ("talking_photo", "tf_astronaut")]
    assert inputs.audio == resolver.files["a1"] and inputs.background is None


def test_the_resolved_avatar_names_its_engine(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    resolver = CountingResolver(tmp_path, {}, trained={"va_1": model_dir})
    photo = resolve_scene(_scene(character={"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID}), resolver).avatar
    presenter = resolve_scene(_scene(character={"type": "avatar", "avatar_id": "tf_presenter_ava"}), resolver).avatar
    trained = resolve_scene(_scene(character={"type": "avatar", "avatar_id": "va_1"}), resolver).avatar
    assert isinstance(photo, PhotoSource) and photo.rgb.shape == (512, 512, 3)
    assert presenter == PresenterSource("tf_presenter_ava")
    assert trained == VideoAvatarSource(model_dir)
    assert ("video_avatar", "tf_presenter_ava") not in resolver.calls  # built-in ids are never looked up


def test_a_media_background_without_a_source_fails_cleanly(tmp_path: Path) -> None:
    scene = _scene(background={"type": "image", "url": "x"}).model_copy()
    scene.background.url = None  # type: ignore[union-attr]
    with pytest.raises(RenderError) as exc:
        resolve_scene(scene, CountingResolver(tmp_path, {}))
    assert exc.value.code == FILE_CORRUPTED


def test_resolved_inputs_render_without_a_resolver(tmp_path: Path) -> None:
    """What a parent process hands to a scene worker: plain files, no resolver."""
    resolver = CountingResolver(tmp_path, {})
    req = GenerateRequest.model_validate({"video_inputs": [{"character": {"type": "talking_photo",
                                                                          "talking_photo_id": "tf_astronaut"},
                                                            "voice": {"type": "silence", "duration": 0.2}}],
                                          "dimension": {"width": 128, "height": 128}})
    inputs = resolve_scene(req.video_inputs[0], resolver)
    assert isinstance(inputs, ResolvedScene)
    resolver.calls.clear()
    segment = render_scene(req, 0, inputs, tmp_path / "seg")
    assert segment.n_frames == 5 and segment.video.stat().st_size > 0 and resolver.calls == []


def test_tracks_give_one_pose_per_frame_with_their_values() -> None:
    sr = 22050
    speech = Speech(np.full(sr, 0.2, np.float32), sr, [Phone("", 0, 0.2), Phone("m", 0.2, 0.4),
                                                       Phone("ɑː", 0.4, 0.8), Phone("", 0.8, 1.0)])
    tracks = build_tracks(speech, 25.0, seed=3)
    poses = tracks.poses()
    assert len(poses) == tracks.n_frames == len(tracks.visemes) == 25
    i = int(np.argmax(tracks.jaw))
    assert poses[i] == Pose(tracks.jaw[i], tracks.width[i], tracks.closure[i], tracks.lip_teeth[i], tracks.blink[i],
                            tracks.smile[i], tracks.head_yaw[i], tracks.head_pitch[i], tracks.head_roll[i],
                            tracks.head_tx[i], tracks.head_ty[i])
    assert poses[i].jaw > 0.05 and tracks.visemes[i].value == "aa"
