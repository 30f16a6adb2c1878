"""Uploaded speech (`audio_url` / `audio_asset_id`, fetched by the resolve stage): decode (10-minute cap), align.

The timeline comes from pocketsphinx: forced alignment when the request also carries `input_text`, phone
recognition otherwise; phones outside the voice-activity segments are forced to silence so that the lips rest
during pauses and noise.
"""

from __future__ import annotations

from pathlib import Path

from talkframe.core.errors import INVALID_AUDIO_FORMAT, RenderError
from talkframe.core.types import Phone, Speech
from talkframe.media.audio import decode_audio
from talkframe.request import Voice
from talkframe.voice import align, markup, timeline

SAMPLE_RATE = timeline.SAMPLE_RATE
MAX_SECONDS = 600.0


def load_uploaded_audio(voice: Voice, path: Path | None) -> Speech:
    """Turn the voice's uploaded audio file into a `Speech` with a phone timeline."""
    if path is None:
        raise RenderError(INVALID_AUDIO_FORMAT, "audio_url or audio_asset_id is required for an audio voice")
    audio = decode_audio(path, SAMPLE_RATE, max_seconds=MAX_SECONDS)
    return timeline_for_audio(audio, SAMPLE_RATE, voice.input_text)


def timeline_for_audio(audio, sample_rate: int, transcript: str | None = None) -> Speech:  # type: ignore[no-untyped-def]
    """Phones (and words when a transcript is given) for recorded speech."""
    aligned = align.align_words(audio, sample_rate, markup.plain_text(transcript)) if transcript else None
    if aligned is not None:
        phones, words = aligned
    else:
        phones, words = align.recognize_phones(audio, sample_rate), []
        phones = _mute_outside(phones, align.voice_activity(audio, sample_rate))
    return timeline.fit_to_audio(Speech(audio, sample_rate, phones, words))


def _mute_outside(phones: list[Phone], speech: list[tuple[float, float]]) -> list[Phone]:
    """Phones whose midpoint lies outside every speech segment become silence."""
    if not speech:
        return phones
    out = []
    for p in phones:
        mid = (p.start + p.end) / 2
        inside = any(a - 0.05 <= mid <= b + 0.05 for a, b in speech)
        out.append(p if inside else Phone("", p.start, p.end))
    return out
