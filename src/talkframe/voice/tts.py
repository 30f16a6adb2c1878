"""The text path: script -> runs and pauses -> the voice's engine -> prosody -> `Speech` at 22.05 kHz.

`speak_sentences` gives the speech a sentence at a time (Piper's sentences; a whole run between pauses for the
other engines, or when the pitch is shifted, which is measured over the run), so a render can draw the first
sentences while the next are synthesised; `speak` joins them into one `Speech`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from talkframe.core.errors import INVALID_TEXT_INPUT, RenderError
from talkframe.core.types import Speech
from talkframe.voice import markup, prosody, timeline
from talkframe.voice.catalog import VoiceInfo
from talkframe.voice.engines.base import RawSpeech


def speak(text: str, info: VoiceInfo, style: prosody.Prosody | None = None) -> Speech:
    """Speak a script (with `<break>` tags) in one voice; pauses are exact and unscaled by speed."""
    return timeline.concat(list(speak_sentences(text, info, style)))


def speak_sentences(text: str, info: VoiceInfo, style: prosody.Prosody | None = None) -> Iterator[Speech]:
    """The pieces `speak` joins, in order, each with its timeline from 0: a sentence (or a whole run) of speech,
    or a `<break>` pause. Raises `RenderError` at once when the script has no words."""
    style = style or prosody.Prosody()
    segments = markup.parse(text)
    if not any(isinstance(s, str) for s in segments):
        raise RenderError(INVALID_TEXT_INPUT, "input_text is empty")
    return _pieces(segments, info, style)


def _pieces(segments: list[markup.Segment], info: VoiceInfo, style: prosody.Prosody) -> Iterator[Speech]:
    for seg in segments:
        if isinstance(seg, markup.Pause):
            yield timeline.silence(seg.seconds, timeline.SAMPLE_RATE)
        elif info.engine == "piper" and not style.changes_pitch:
            # Piper normalises every sentence to a peak of 1, so the run's gain and peak limit (prosody.apply)
            # act on each sentence alike: per sentence is the same audio as per run
            from talkframe.voice.engines import piper

            for raw in piper.synthesize_sentences(seg, speed=style.rate, noise_w_scale=style.noise_w):
                yield _post(raw, style)
        elif info.engine == "piper":
            # the pitch shift is measured over the whole run (its median F0): shift the run, then cut it back
            from talkframe.voice.engines import piper

            raws = list(piper.synthesize_sentences(seg, speed=style.rate, noise_w_scale=style.noise_w))
            run = _post(RawSpeech(np.concatenate([r.audio for r in raws]) if raws else np.zeros(0, np.float32),
                                  piper.SAMPLE_RATE), style)
            start = 0
            for r in raws:
                n = len(r.audio)
                yield timeline.fit_to_audio(Speech(run.audio[start: start + n], timeline.SAMPLE_RATE, r.phones,
                                                   r.words))
                start += n
        else:
            yield _post(run_engine(seg, info, style), style)


def _post(raw: RawSpeech, style: prosody.Prosody) -> Speech:
    """Engine output -> the voice stage's rate, prosody applied, timeline fitted to the audio."""
    audio = timeline.resample(raw.audio, raw.sample_rate, timeline.SAMPLE_RATE)
    audio = prosody.apply(audio, timeline.SAMPLE_RATE, style)
    return timeline.fit_to_audio(Speech(audio, timeline.SAMPLE_RATE, raw.phones, raw.words))


def run_engine(text: str, info: VoiceInfo, style: prosody.Prosody) -> RawSpeech:
    """One run of plain text through the voice's engine at the style's rate."""
    if info.engine == "piper":
        from talkframe.voice.engines import piper

        return piper.synthesize(text, speed=style.rate, noise_w_scale=style.noise_w)
    if info.engine == "espeak":
        from talkframe.voice.engines import espeak

        return espeak.synthesize(text, info.engine_voice, info.variant, speed=style.rate)
    if info.engine == "flite":
        from talkframe.voice.engines import flite

        return flite.synthesize(text, info.engine_voice, speed=style.rate)
    raise RenderError(INVALID_TEXT_INPUT, f"Voice {info.voice_id} has no engine")
