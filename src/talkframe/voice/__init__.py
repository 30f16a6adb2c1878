"""Voice stage: a scene's `voice` object -> `Speech` (audio + phoneme/word timeline)."""

from __future__ import annotations

from talkframe.core.types import Resolver, Speech
from talkframe.request import Voice


def synthesize(voice: Voice, resolver: Resolver | None = None) -> Speech:
    """Speak one scene's voice input: text through a TTS engine, uploaded audio, or silence."""
    if voice.type == "silence":
        return Speech.silence(max(0.0, voice.duration))
    if voice.type == "audio":
        from talkframe.voice.uploaded import load_uploaded_audio

        return load_uploaded_audio(voice, resolver)
    from talkframe.voice.piper_engine import speak

    return speak(voice.input_text or "", speed=voice.speed)
