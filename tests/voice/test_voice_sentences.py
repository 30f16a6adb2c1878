"""Speech by sentence: the pieces a streaming render gets are exactly the speech of the whole script."""

from __future__ import annotations

import numpy as np
import pytest

from talkframe import voice
from talkframe.core.types import Speech
from talkframe.request import Voice
from talkframe.voice import prosody, timeline, tts
from talkframe.voice.catalog import DEFAULT_VOICE_ID, resolve_voice
from talkframe.voice.engines import piper

SCRIPT = ("Welcome to talkframe. Bob bought maps and hats, really? "
          "Yes, he did! <break time=\"300ms\"/> Then he went home.")
# espeak reads "of the" as one group and "42" as two: the word counts do not match the phoneme groups
HARD = "Bob bought 42 maps of the moon — really? Yes, he did! Dr. Smith paid $3.50 for it."


def _whole_script(text: str, style: prosody.Prosody) -> Speech:
    """The speech as the render made it before sentences: each run through Piper at once, then prosody."""
    from talkframe.voice import markup

    parts = []
    for seg in markup.parse(text):
        if isinstance(seg, markup.Pause):
            parts.append(timeline.silence(seg.seconds))
            continue
        raw = piper.synthesize(seg, speed=style.rate, noise_w_scale=style.noise_w)
        audio = prosody.apply(raw.audio, timeline.SAMPLE_RATE, style)
        parts.append(timeline.fit_to_audio(Speech(audio, timeline.SAMPLE_RATE, raw.phones, raw.words)))
    return timeline.concat(parts)


def _assert_same(a: Speech, b: Speech, same_audio: bool = True) -> None:
    assert a.sample_rate == b.sample_rate and len(a.audio) == len(b.audio)
    if same_audio:
        np.testing.assert_array_equal(a.audio, b.audio)
    assert [p.symbol for p in a.phones] == [p.symbol for p in b.phones]
    np.testing.assert_allclose([(p.start, p.end) for p in a.phones], [(p.start, p.end) for p in b.phones],
                               atol=1e-9)
    assert [w.text for w in a.words] == [w.text for w in b.words]
    np.testing.assert_allclose([(w.start, w.end) for w in a.words], [(w.start, w.end) for w in b.words],
                               atol=1e-9)


@pytest.mark.parametrize("style", [prosody.Prosody(), prosody.Prosody(rate=1.2, gain_db=2.0),
                                   prosody.Prosody(semitones=2.0, range_factor=1.3)],
                         ids=["plain", "fast and louder", "pitch shifted"])
def test_sentences_join_to_the_whole_script(style: prosody.Prosody) -> None:
    info = resolve_voice(DEFAULT_VOICE_ID, None)
    pieces = list(tts.speak_sentences(SCRIPT, info, style))
    assert len(pieces) >= 5  # four sentences and a pause
    for piece in pieces:
        assert piece.phones[0].start == 0.0 and abs(piece.phones[-1].end - piece.duration) < 1e-9
    # Praat's PSOLA (the pitch shift) differs from run to run by itself: there only the timeline can be the same
    _assert_same(timeline.concat(pieces), _whole_script(SCRIPT, style), same_audio=not style.changes_pitch)


def test_words_stay_in_their_sentence_when_espeak_reads_them_differently() -> None:
    pieces = list(voice.speak_sentences(HARD))
    texts = [[w.text for w in p.words] for p in pieces]
    assert " ".join(" ".join(t) for t in texts) == HARD
    assert texts[0][:2] == ["Bob", "bought"] and texts[0][-1] == "really?"
    assert texts[1] == ["Yes,", "he", "did!"]
    for piece in pieces:
        assert all(0 <= w.start < w.end <= piece.duration + 1e-9 for w in piece.words)


def test_a_sentence_alone_sounds_as_in_the_script() -> None:
    pieces = list(voice.speak_sentences("Welcome to talkframe. Then he went home."))
    alone = voice.speak_sentence("Then he went home.")
    np.testing.assert_array_equal(alone.audio, pieces[-1].audio)
    assert [w.text for w in alone.words] == ["Then", "he", "went", "home."]


def test_pieces_of_other_inputs_are_one_piece() -> None:
    (piece,) = list(voice.synthesize_pieces(Voice(type="silence", duration=1.5)))
    assert piece.duration == pytest.approx(1.5)
