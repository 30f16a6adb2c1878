"""Catalogue, resolution and validation: what the lead's routes and validator call."""

from __future__ import annotations

import pytest

from talkframe.request import Voice
from talkframe.voice import (
    DEFAULT_VOICE_ID,
    VoiceNotFound,
    list_locales,
    list_voices,
    markup,
    preview_audio,
    prosody,
    resolve_voice,
    voice_exists,
)
from talkframe.voice.engines import flite


def test_catalogue_fields_and_counts() -> None:
    voices = list_voices()
    assert voices[0].voice_id == DEFAULT_VOICE_ID
    assert len(voices) > 200
    assert len({v.voice_id for v in voices}) == len(voices)
    item = voices[0].as_heygen("http://x/preview.wav")
    assert set(item) == {"voice_id", "language", "gender", "name", "preview_audio", "support_pause",
                         "emotion_support", "support_interactive_avatar", "support_locale"}
    assert item["language"] == "English"
    languages = {v.language for v in voices}
    assert {"English", "French", "German", "Spanish"} <= languages
    assert any(v.voice_id.startswith("flite.") for v in voices) == bool(flite.binary())


def test_locales() -> None:
    locales = list_locales()
    assert len(locales) > 100
    by = {loc.locale: loc for loc in locales}
    assert by["en-US"].language_code == "en" and by["en-US"].language == "English"
    assert "fr-FR" in by and "de-DE" in by and "en-GB" in by
    assert set(by["de-DE"].as_heygen()) == {"value", "label", "language", "tag", "locale", "language_code"}


def test_resolution_and_unknown_ids() -> None:
    assert voice_exists(DEFAULT_VOICE_ID) and voice_exists("ESPEAK.FR-FR.F")
    assert not voice_exists("1bd001e7e50f421d891986aad5158bc8")
    with pytest.raises(VoiceNotFound) as exc:
        resolve_voice("nope")
    assert exc.value.voice_id == "nope" and exc.value.message == "Voice nope not found"
    assert resolve_voice(None, None).voice_id == DEFAULT_VOICE_ID
    assert resolve_voice(None, "en-US").voice_id == DEFAULT_VOICE_ID
    assert resolve_voice(None, "fr-FR").locale == "fr-FR"
    assert resolve_voice(None, "de").language == "German"
    assert resolve_voice("espeak.en-us.f", "en-GB").voice_id == "espeak.en-gb.f"


def test_markup_breaks() -> None:
    segs = markup.parse('One <break time="1.5s"/> two <break time="250ms" /> three<break/>')
    assert segs == ["One", markup.Pause(1.5), "two", markup.Pause(0.25), "three", markup.Pause(0.5)]
    assert markup.parse('<break time="99s"/>x') == [markup.Pause(markup.MAX_BREAK), "x"]
    assert markup.plain_text("A &amp; B <emphasis>C</emphasis>") == "A & B C"


def test_prosody_mapping() -> None:
    p = prosody.from_voice(Voice(pitch=50, speed=3))
    assert p.semitones == pytest.approx(5.0) and p.rate == pytest.approx(1.5)
    e = prosody.from_voice(Voice(emotion="Serious", elevenlabs_settings={"stability": 1.0, "style": 0.0}))
    assert e.rate == pytest.approx(0.94) and e.range_factor < 0.8


def test_preview_is_cached(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = preview_audio("espeak.de.f", tmp_path)
    assert path.suffix == ".wav" and path.stat().st_size > 10_000
    mtime = path.stat().st_mtime_ns
    assert preview_audio("espeak.de.f", tmp_path) == path and path.stat().st_mtime_ns == mtime
    with pytest.raises(VoiceNotFound):
        preview_audio("missing", tmp_path)
