"""Uploaded speech: a real human recording (Debian alsa-utils' WAVs) gets a phone and word timeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from talkframe.core.errors import RenderError
from talkframe.request import Voice
from talkframe.voice import synthesize

ALSA = Path("/usr/share/sounds/alsa")
ARPABET_VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}


def test_alsa_recordings_are_installed() -> None:
    # alsa-utils is a test dependency (apt-get install alsa-utils): real human speech without a download.
    assert (ALSA / "Front_Center.wav").is_file()


def test_forced_alignment_of_real_speech() -> None:
    s = synthesize(Voice(type="audio", audio_asset_id="a", input_text="Front center"), ALSA / "Front_Center.wav")
    assert s.sample_rate == 22050 and 1.0 < s.duration < 2.0
    assert [w.text for w in s.words] == ["front", "center"]
    assert s.words[0].end <= s.words[1].start
    symbols = [p.symbol for p in s.phones if p.symbol]
    assert symbols[:2] == ["F", "R"] and symbols[-2:] == ["T", "ER"]
    assert s.phones[0].start == 0.0 and s.phones[-1].end == pytest.approx(s.duration)


def test_phone_recognition_without_transcript() -> None:
    s = synthesize(Voice(type="audio", audio_url="https://example.com/a.wav"), ALSA / "Rear_Left.wav")
    voiced = [p for p in s.phones if p.symbol]
    assert len(voiced) >= 5
    assert any(p.symbol in ARPABET_VOWELS for p in voiced)
    assert s.words == []
    assert s.phones[-1].end == pytest.approx(s.duration)
    # the recording's silent lead-in/out must not move the lips
    assert all(np.abs(s.audio[int(p.start * 22050): int(p.end * 22050)]).max() > 0.003 for p in voiced)


def test_corrupt_upload_is_a_render_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage" + bytes(100))
    with pytest.raises(RenderError) as exc:
        synthesize(Voice(type="audio", audio_asset_id="x"), bad)
    assert exc.value.code in (40044, 400624) and "audio" in exc.value.message.lower()
