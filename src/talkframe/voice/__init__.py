"""Voice stage: a scene's `voice` object -> `Speech` (audio + phoneme/word timeline).

Public entry points (the rest of the package is engine detail):

- `synthesize(voice, audio)` the pipeline's call, for `text`, `audio` (its resolved file) and `silence` inputs;
- `synthesize_pieces(voice, audio)` the same speech as it comes, sentence by sentence (the streaming render's call);
- `speak_sentence(text, voice_id, ...)` one sentence of text -> `Speech` (audio array, rate, phones, words), with
  no request object: the call for live streaming;
- `voice_exists`, `resolve_voice`, `list_voices`, `list_locales`, `preview_audio` for the voice routes.

Phone alphabets: espeak IPA from Piper and espeak-ng; ARPAbet (upper case) from flite and pocketsphinx;
`""` silence, `" "` a word gap. See `talkframe.voice.timeline`.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    "preview_audio", "resolve_voice", "speak_sentence", "speak_sentences", "synthesize", "synthesize_pieces",
    "voice_exists",
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

    return tts.speak(voice.input_text or "", _voice_info(voice), prosody.from_voice(voice))


def synthesize_pieces(voice: Voice, audio: Path | None = None) -> Iterator[Speech]:
    """`synthesize` piece by piece: the sentences and pauses of a text voice as they are synthesised (each with
    its timeline from 0; joined by `timeline.concat` they are `synthesize`'s speech), else one piece.
    Errors that need no synthesis (an unknown voice, an empty script) are raised by this call, not later."""
    if voice.type != "text":
        return iter([synthesize(voice, audio)])
    from talkframe.voice import prosody, tts

    return tts.speak_sentences(voice.input_text or "", _voice_info(voice), prosody.from_voice(voice))


def speak_sentences(text: str, voice_id: str | None = None, *, locale: str | None = None, speed: float = 1.0,
                    pitch: float = 0.0, emotion: str | None = None) -> Iterator[Speech]:
    """Speak `text` (one or more sentences, `<break>` tags allowed) piece by piece, as `speak_sentence` does."""
    v = Voice(type="text", input_text=text, voice_id=voice_id, locale=locale, speed=speed, pitch=pitch,
              emotion=emotion)
    return synthesize_pieces(v)


def speak_sentence(text: str, voice_id: str | None = None, *, locale: str | None = None, speed: float = 1.0,
                   pitch: float = 0.0, emotion: str | None = None) -> Speech:
    """One sentence of text -> `Speech`: mono float32 `audio` at `sample_rate` (22050), `phones` (IPA or ARPAbet,
    seconds from 0, tiling the audio; `motion.visemes.to_viseme` maps them) and `words` (seconds from 0).

    The voice is a catalogue id (None: the default voice, or the locale's); speed 0.5..1.5, pitch -50..50 and
    emotion as in the API. The same sentence always gives the same audio, and it is the audio a whole-script
    render gives for that sentence. Feed the result to `talkframe.motion.stream.MotionStream` for its motion.
    """
    from talkframe.voice import timeline

    return timeline.concat(list(speak_sentences(text, voice_id, locale=locale, speed=speed, pitch=pitch,
                                                emotion=emotion)))


def _voice_info(voice: Voice) -> VoiceInfo:
    try:
        return resolve_voice(voice.voice_id, voice.locale)
    except VoiceNotFound as exc:  # validation normally answers 400 first; a render must still fail cleanly
        raise RenderError(INVALID_PARAMETER, exc.message) from exc
