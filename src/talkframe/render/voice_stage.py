"""Step 2, voice: the scene's speech and its phone/word timeline, as long as the scene lasts: whole
(`scene_speech`) or piece by piece as it is synthesised (`scene_pieces`: the sentences of a text voice)."""

from __future__ import annotations

from collections.abc import Iterator

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


def scene_pieces(scene: VideoInput, inputs: ResolvedScene) -> Iterator[Speech]:
    """`scene_speech` piece by piece: joined by `voice.timeline.concat`, the pieces are `scene_speech`'s speech
    (a `full_video` background's padding is the last piece). Errors that need no synthesis are raised at once."""
    pieces = voice.synthesize_pieces(voice_with_default(scene.voice, scene.character), inputs.audio)
    return _padded(pieces, background_duration(scene.background, inputs.background) or 0.0)


def _padded(pieces: Iterator[Speech], seconds: float) -> Iterator[Speech]:
    samples, rate = 0, 0
    for piece in pieces:
        samples, rate = samples + len(piece.audio), piece.sample_rate
        yield piece
    extra = round(seconds * rate) - samples
    if extra > 0:
        yield Speech(np.zeros(extra, np.float32), rate, [Phone("", 0.0, extra / rate)], [])


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
