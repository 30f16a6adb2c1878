"""Uploaded speech (`audio_url` / `audio_asset_id`): decode, resample, and a coarse timeline."""

from __future__ import annotations

from talkframe.core.errors import RenderError
from talkframe.core.types import Phone, Resolver, Speech
from talkframe.media.audio import decode_audio

SAMPLE_RATE = 22050
MAX_SECONDS = 600.0


def load_uploaded_audio(voice, resolver: Resolver | None) -> Speech:  # type: ignore[no-untyped-def]
    if resolver is None:
        raise RenderError(40044, "Uploaded audio needs a resolver for its URL or asset id")
    path = resolver.asset(voice.audio_asset_id) if voice.audio_asset_id else resolver.url(voice.audio_url, "audio")
    audio = decode_audio(path, SAMPLE_RATE, max_seconds=MAX_SECONDS)
    duration = len(audio) / SAMPLE_RATE
    return Speech(audio, SAMPLE_RATE, [Phone("", 0.0, duration)], [])
