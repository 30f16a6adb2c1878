"""Voice stage: a scene's `voice` object -> `Speech` (audio + phoneme/word timeline).

Public entry points (the rest of the package is engine detail):

- `synthesize(voice, audio)` the pipeline's call, for `text`, `audio` (its resolved file) and `silence` inputs;
- `voice_exists`, `resolve_voice`, `list_voices`, `list_locales`, `preview_audio` for the voice routes.

Phone alphabets: espeak IPA from Piper and espeak-ng; ARPAbet (upper case) from flite and pocketsphinx;
`""` silence, `" "` a word gap. See `talkframe.voice.timeline`.
"""

from __future__ import annotations

from pathlib import Path

from talkframe.core.errors import INVALID_PARAMETER, RenderError
from talkframe.core.types import Speech
from talkframe.request import Voice
from talkframe.voice.catalog import (
    DEFAULT_VOICE_ID,
    LocaleInfo,
    VoiceInfo,
    VoiceNotFound,
    list_locales,
    list_voices,
    resolve_voice,
    voice_exists,
)
from talkframe.voice.preview import preview_audio

__all__ = [
    "DEFAULT_VOICE_ID", "LocaleInfo", "VoiceInfo", "VoiceNotFound", "list_locales", "list_voices",
    "preview_audio", "resolve_voice", "synthesize", "voice_exists",
]


def synthesize(voice: Voice, audio: Path | None = None) -> Speech:
    """Speak one scene's voice input: text through its TTS engine, uploaded audio (the file `audio`), or silence."""
    from talkframe.voice import timeline

    if voice.type == "silence":
        return timeline.silence(voice.duration if voice.duration > 0 else 1.0)
    if voice.type == "audio":
        from talkframe.voice.uploaded import load_uploaded_audio

        return load_uploaded_audio(voice, audio)
    from talkframe.voice import prosody, tts

    try:
        info = resolve_voice(voice.voice_id, voice.locale)
    except VoiceNotFound as exc:  # validation normally answers 400 first; a render must still fail cleanly
        raise RenderError(INVALID_PARAMETER, exc.message) from exc
    return tts.speak(voice.input_text or "", info, prosody.from_voice(voice))
