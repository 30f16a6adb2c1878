"""Kept for callers of the first skeleton: `speak(text, speed)` with the default Piper voice."""

from __future__ import annotations

from talkframe.core.types import Speech
from talkframe.voice import catalog, prosody, tts


def speak(text: str, speed: float = 1.0) -> Speech:
    return tts.speak(text, catalog.get_voice(catalog.DEFAULT_VOICE_ID), prosody.Prosody(rate=speed))
