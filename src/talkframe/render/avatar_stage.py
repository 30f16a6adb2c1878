"""Which engine animates a scene's character: a user's video avatar, an illustrated presenter, or a photo.

Presenters are drawn at the size they are shown, so they need the canvas; photos are animated at their own size
and scaled by the compose stage.
"""

from __future__ import annotations

from talkframe import avatar
from talkframe.avatar.catalog import find_avatar
from talkframe.core.types import AvatarClip, Resolver, Speech
from talkframe.request import Character, Voice

MAX_PRESENTER_HEIGHT = 4320


def build_avatar(character: Character, speech: Speech, fps: float, resolver: Resolver,
                 canvas: tuple[int, int]) -> AvatarClip:
    is_avatar = character.type == "avatar" and bool(character.avatar_id)
    entry = find_avatar(character.avatar_id or "") if is_avatar else None
    model_dir = resolver.video_avatar(character.avatar_id or "") if is_avatar and entry is None else None
    if model_dir is not None:
        from talkframe.video_avatar import load_model, video_avatar_clip

        return video_avatar_clip(load_model(str(model_dir)), speech, fps, character)
    if entry is not None and entry.kind == "illustrated":
        from talkframe.presenters import presenter_clip

        height = round(canvas[1] * min(10.0, max(0.05, character.scale)))
        return presenter_clip(entry.avatar_id, speech, fps, character, min(height, MAX_PRESENTER_HEIGHT))
    return avatar.build_clip(character, speech, fps, resolver)


def voice_with_default(voice: Voice, character: Character) -> Voice:
    """A text voice with no `voice_id` or `locale` speaks with the avatar's default voice (as on HeyGen)."""
    if voice.type != "text" or voice.voice_id or voice.locale or character.type != "avatar":
        return voice
    entry = find_avatar(character.avatar_id or "")
    return voice.model_copy(update={"voice_id": entry.default_voice_id}) if entry else voice
