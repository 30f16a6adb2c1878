"""Step 2, voice: the scene's speech and its phone/word timeline, as long as the scene lasts."""

from __future__ import annotations

import numpy as np

from talkframe import voice
from talkframe.avatar.catalog import find_avatar
from talkframe.compose.background import background_duration
from talkframe.core.types import Phone, Speech
from talkframe.request import Character, VideoInput, Voice
from talkframe.resolve.scene import ResolvedScene


def scene_speech(scene: VideoInput, inputs: ResolvedScene) -> Speech:
    """Speak the scene's voice; a `full_video` background lengthens the scene to its clip, so the speech is padded
    with silence (the avatar keeps blinking and breathing to the end instead of freezing)."""
    speech = voice.synthesize(voice_with_default(scene.voice, scene.character), inputs.audio)
    return pad_speech(speech, background_duration(scene.background, inputs.background) or 0.0)


def voice_with_default(voice: Voice, character: Character) -> Voice:
    """A text voice with no `voice_id` or `locale` speaks with the avatar's default voice (as on HeyGen)."""
    if voice.type != "text" or voice.voice_id or voice.locale or character.type != "avatar":
        return voice
    entry = find_avatar(character.avatar_id or "")
    return voice.model_copy(update={"voice_id": entry.default_voice_id}) if entry else voice


def pad_speech(speech: Speech, seconds: float) -> Speech:
    """`speech` followed by silence up to `seconds` (unchanged when it is already that long)."""
    extra = round(seconds * speech.sample_rate) - len(speech.audio)
    if extra <= 0:
        return speech
    end = speech.duration
    audio = np.concatenate([speech.audio, np.zeros(extra, np.float32)])
    return Speech(audio, speech.sample_rate, [*speech.phones, Phone("", end, len(audio) / speech.sample_rate)],
                  list(speech.words))
