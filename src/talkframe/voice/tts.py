"""The text path: script -> runs and pauses -> the voice's engine -> prosody -> one `Speech` at 22.05 kHz."""

from __future__ import annotations

from talkframe.core.errors import INVALID_TEXT_INPUT, RenderError
from talkframe.core.types import Speech
from talkframe.voice import markup, prosody, timeline
from talkframe.voice.catalog import VoiceInfo
from talkframe.voice.engines.base import RawSpeech


def speak(text: str, info: VoiceInfo, style: prosody.Prosody | None = None) -> Speech:
    """Speak a script (with `<break>` tags) in one voice; pauses are exact and unscaled by speed."""
    style = style or prosody.Prosody()
    segments = markup.parse(text)
    if not any(isinstance(s, str) for s in segments):
        raise RenderError(INVALID_TEXT_INPUT, "input_text is empty")
    parts: list[Speech] = []
    for seg in segments:
        if isinstance(seg, markup.Pause):
            parts.append(timeline.silence(seg.seconds, timeline.SAMPLE_RATE))
            continue
        raw = run_engine(seg, info, style)
        audio = timeline.resample(raw.audio, raw.sample_rate, timeline.SAMPLE_RATE)
        audio = prosody.apply(audio, timeline.SAMPLE_RATE, style)
        parts.append(timeline.fit_to_audio(Speech(audio, timeline.SAMPLE_RATE, raw.phones, raw.words)))
    return timeline.concat(parts)


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
