"""Text voices: timelines span the audio, and speed, pitch, emotion and breaks do what they promise."""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest

from talkframe.request import Voice
from talkframe.voice import prosody, synthesize
from talkframe.voice.engines import flite

TEXT = "The quick brown fox jumps over the lazy dog."
ENGINE_VOICES = ["piper.en_US-joe-medium", "espeak.en-us.m", "espeak.fr-fr.f"] + (
    ["flite.slt"] if flite.binary() else []
)


def median_f0(audio: np.ndarray, sr: int) -> float:
    pitch = parselmouth.Sound(audio.astype(np.float64), sampling_frequency=sr).to_pitch(pitch_floor=60,
                                                                                         pitch_ceiling=500)
    f0 = pitch.selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))


def voiced_seconds(speech) -> float:  # type: ignore[no-untyped-def]
    return sum(p.end - p.start for p in speech.phones if p.symbol.strip())


@pytest.mark.parametrize("voice_id", ENGINE_VOICES)
def test_timeline_tiles_audio_exactly(voice_id: str) -> None:
    s = synthesize(Voice(voice_id=voice_id, input_text=TEXT))
    assert s.sample_rate == 22050
    assert s.phones[0].start == 0.0
    assert s.phones[-1].end == pytest.approx(s.duration, abs=1e-9)
    for a, b in zip(s.phones, s.phones[1:], strict=False):
        assert b.start == pytest.approx(a.end, abs=1e-9) and b.end > b.start
    assert sum(1 for p in s.phones if p.symbol.strip()) >= 20
    assert len(s.words) >= 8
    assert all(0 <= w.start < w.end <= s.duration + 1e-9 for w in s.words)
    assert [w.start for w in s.words] == sorted(w.start for w in s.words)


def test_piper_words_keep_written_tokens() -> None:
    s = synthesize(Voice(input_text="It is 42 degrees, Mr. Smith."))
    assert [w.text for w in s.words] == ["It", "is", "42", "degrees,", "Mr.", "Smith."]


def test_speed_scales_duration_espeak_exactly() -> None:
    slow = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT))
    fast = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT, speed=1.5))
    assert voiced_seconds(fast) / voiced_seconds(slow) == pytest.approx(1 / 1.5, rel=0.08)


def test_speed_scales_duration_piper() -> None:
    normal = synthesize(Voice(input_text=TEXT))
    fast = synthesize(Voice(input_text=TEXT, speed=1.5))
    slow = synthesize(Voice(input_text=TEXT, speed=0.5))
    assert fast.duration / normal.duration == pytest.approx(1 / 1.5, rel=0.1)
    assert slow.duration / normal.duration == pytest.approx(2.0, rel=0.1)


@pytest.mark.parametrize("pitch", [30, -30])
def test_pitch_shifts_f0_and_keeps_duration(pitch: int) -> None:
    base = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT))
    moved = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT, pitch=pitch))
    expected = 2 ** (pitch * 0.1 / 12)  # 1 unit = 1/10 semitone
    assert median_f0(moved.audio, 22050) / median_f0(base.audio, 22050) == pytest.approx(expected, rel=0.03)
    # espeak itself varies by a few samples between runs; PSOLA keeps the length exactly
    assert abs(len(moved.audio) - len(base.audio)) < 50
    assert len(prosody.shift_pitch(base.audio, 22050, pitch / 10)) == len(base.audio)
    assert [p.symbol for p in moved.phones] == [p.symbol for p in base.phones]


def test_break_inserts_exact_silence() -> None:
    s = synthesize(Voice(voice_id="espeak.en-us.m", input_text='Hello there. <break time="1s"/> Goodbye now.'))
    best, cur = 0, 0  # longest run of digital silence
    for z in np.abs(s.audio) == 0:
        cur = cur + 1 if z else 0
        best = max(best, cur)
    assert best >= 22050
    pauses = [p for p in s.phones if p.symbol == "" and p.end - p.start >= 1.0]
    assert len(pauses) == 1
    hello_end = s.words[1].end
    goodbye_start = s.words[2].start
    assert goodbye_start - hello_end >= 1.0


def test_break_ms_form() -> None:
    plain = synthesize(Voice(voice_id="espeak.en-us.m", input_text="Hello there. Goodbye now."))
    paused = synthesize(Voice(voice_id="espeak.en-us.m",
                              input_text="Hello there. <break time='1500ms'/> Goodbye now."))
    split_a = synthesize(Voice(voice_id="espeak.en-us.m", input_text="Hello there."))
    split_b = synthesize(Voice(voice_id="espeak.en-us.m", input_text="Goodbye now."))
    assert paused.duration == pytest.approx(split_a.duration + 1.5 + split_b.duration, abs=0.005)
    assert paused.duration > plain.duration + 1.0


def test_emotions_change_prosody() -> None:
    base = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT))
    excited = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT, emotion="Excited"))
    soothing = synthesize(Voice(voice_id="espeak.en-us.m", input_text=TEXT, emotion="Soothing"))
    assert excited.duration < base.duration < soothing.duration
    assert median_f0(excited.audio, 22050) > median_f0(base.audio, 22050) > median_f0(soothing.audio, 22050)


def test_silence_voice() -> None:
    s = synthesize(Voice(type="silence", duration=2.5))
    assert s.duration == pytest.approx(2.5, abs=1 / 22050)
    assert not np.any(s.audio)
    default = synthesize(Voice(type="silence", duration=0))
    assert default.duration == pytest.approx(1.0, abs=1 / 22050)


def test_piper_break_is_exact_digital_silence() -> None:
    s = synthesize(Voice(input_text='Hello there. <break time="1s"/> Goodbye.'))
    pause = max((p for p in s.phones if p.symbol == ""), key=lambda p: p.end - p.start)
    assert pause.end - pause.start >= 1.0
    start = int(np.ceil(pause.start * 22050))
    # the inserted second is exact zeros somewhere inside the pause
    run = np.flatnonzero(s.audio[start: int(pause.end * 22050)] != 0)
    gaps = np.diff(np.concatenate([[-1], run, [int(pause.end * 22050) - start]]))
    assert gaps.max() - 1 >= 22050


def test_espeak_words_in_other_scripts_keep_text_and_punctuation() -> None:
    s = synthesize(Voice(voice_id="espeak.fr-fr.f", input_text="Voilà, les élèves."))
    assert [w.text for w in s.words] == ["Voilà,", "les", "élèves."]
    r = synthesize(Voice(voice_id="espeak.ru.m", input_text="Привет мир"))
    assert [w.text for w in r.words] == ["Привет", "мир"]


def test_espeak_first_use_in_a_fresh_process() -> None:
    import subprocess
    import sys

    code = "from talkframe.voice.engines import espeak; print(len(espeak.synthesize('hi', 'fr-fr').audio))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and int(out.stdout) > 1000


def test_unknown_voice_at_render_time_is_a_render_error() -> None:
    from talkframe.core.errors import RenderError

    with pytest.raises(RenderError) as exc:
        synthesize(Voice(voice_id="no-such-voice", input_text="Hi"))
    assert exc.value.message == "Voice no-such-voice not found"


def test_piper_is_reproducible_and_still_sampled() -> None:
    """The same sentence renders to the same samples (seeded noise), the noise is really drawn (no duration noise
    gives other timings), and different sentences get different noise."""
    from talkframe.voice.engines import piper

    a = piper.synthesize("Bob bought a map of the moon.")
    b = piper.synthesize("Bob bought a map of the moon.")
    assert np.array_equal(a.audio, b.audio) and a.phones == b.phones
    flat = piper.synthesize("Bob bought a map of the moon.", noise_w_scale=0.0)
    assert len(flat.audio) != len(a.audio) or not np.array_equal(flat.audio, a.audio)
    slow = piper.synthesize("Bob bought a map of the moon, " * 6, speed=0.3)  # the noise buffer grows with the scale
    assert len(slow.audio) / slow.sample_rate > 10 and np.isfinite(slow.audio).all()
