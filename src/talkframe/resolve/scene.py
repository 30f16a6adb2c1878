"""The resolve stage: every file one scene needs (photo, video-avatar model, audio, background), fetched once
before any other stage runs.

The later stages take what this returns (paths and plain data) and never see a `Resolver`, so the same stages run
under the CLI, the embedded runner or a Celery worker, and a resolved scene can cross into another process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from talkframe.avatar.catalog import BUILTIN_AVATARS, find_avatar
from talkframe.core.errors import FILE_CORRUPTED, INVALID_AUDIO_FORMAT, RenderError
from talkframe.media.photo import read_photo
from talkframe.request import Background, Character, VideoInput, Voice


class Resolver(Protocol):
    """Turns the ids and URLs of a request into local files (`local.LocalResolver`, `account.AccountResolver`)."""

    def asset(self, asset_id: str) -> Path: ...

    def url(self, url: str, kind: str) -> Path: ...

    def talking_photo(self, photo_id: str) -> Path: ...

    def video_avatar(self, avatar_id: str) -> Path | None:
        """The unpacked model folder of a trained video avatar, or None when `avatar_id` is not one."""
        ...


@dataclass(frozen=True)
class PhotoSource:
    """A photo animated by the photo rig: a talking photo, or the built-in photo behind an avatar id."""

    path: Path

    @cached_property
    def rgb(self) -> np.ndarray:
        """The photo's pixels, upright, decoded once per scene (motion seeds on them, the rig animates them)."""
        return read_photo(self.path)


@dataclass(frozen=True)
class PresenterSource:
    """A built-in illustrated presenter: drawn, so it needs no file."""

    avatar_id: str


@dataclass(frozen=True)
class VideoAvatarSource:
    """A user's trained video avatar: its unpacked model folder."""

    model_dir: Path


AvatarSource = PhotoSource | PresenterSource | VideoAvatarSource


@dataclass(frozen=True)
class ResolvedScene:
    """One scene's inputs as local files: what animates, the uploaded speech, the image or video background."""

    avatar: AvatarSource
    audio: Path | None = None
    background: Path | None = None


def resolve_scene(scene: VideoInput, resolver: Resolver) -> ResolvedScene:
    """Fetch every input of `scene` once (speech, then background, then avatar)."""
    audio = resolve_audio(scene.voice, resolver)
    background = resolve_background(scene.background, resolver)
    return ResolvedScene(resolve_avatar(scene.character, resolver), audio, background)


def resolve_audio(voice: Voice, resolver: Resolver) -> Path | None:
    """The uploaded speech of an `audio` voice (an asset id wins over a url); None for text and silence."""
    if voice.type != "audio":
        return None
    if voice.audio_asset_id:
        return resolver.asset(voice.audio_asset_id)
    if voice.audio_url:
        return resolver.url(voice.audio_url, "audio")
    raise RenderError(INVALID_AUDIO_FORMAT, "audio_url or audio_asset_id is required for an audio voice")


def resolve_background(background: Background | None, resolver: Resolver) -> Path | None:
    """The file behind an image/video background (an asset id wins over a url); None for a colour."""
    if background is None or background.type == "color":
        return None
    asset_id = background.image_asset_id if background.type == "image" else background.video_asset_id
    if asset_id:
        return resolver.asset(asset_id)
    if background.url:
        return resolver.url(background.url, background.type)
    raise RenderError(FILE_CORRUPTED, f"The {background.type} background has neither a url nor an asset id")


def resolve_avatar(character: Character, resolver: Resolver) -> AvatarSource:
    """Which engine animates the character, with its file: a trained video avatar, a presenter, or a photo."""
    is_avatar = character.type == "avatar" and bool(character.avatar_id)
    entry = find_avatar(character.avatar_id or "") if is_avatar else None
    model_dir = resolver.video_avatar(character.avatar_id or "") if is_avatar and entry is None else None
    if model_dir is not None:
        return VideoAvatarSource(model_dir)
    if entry is not None and entry.kind == "illustrated":
        return PresenterSource(entry.avatar_id)
    if character.type == "talking_photo" or (character.talking_photo_id and not character.avatar_id):
        return PhotoSource(resolver.talking_photo(character.talking_photo_id or ""))
    return PhotoSource(resolver.talking_photo(BUILTIN_AVATARS[character.avatar_id or ""].photo_id))
