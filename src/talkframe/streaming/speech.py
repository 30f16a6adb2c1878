"""One chunk of a task's text -> a `SpeechChunk`: the voice stage's speech resampled to the stream's audio rate,
with the motion stage's lip curves for it, one value per video frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkframe import voice
from talkframe.media.resample import resample
from talkframe.motion import build_tracks
from talkframe.request import Voice

AUDIO_RATE = 48000  # what WebRTC's Opus runs at: no resampling in the encoder
LIP_CHANNELS = ("jaw", "width", "closure", "lip_teeth")


@dataclass
class SpeechChunk:
    """`audio`: float32 mono at AUDIO_RATE; `lips`: (n_frames, 4) jaw/width/closure/lip_teeth; `activity`: 0 pause
    .. 1 talking per frame; frame i covers [i/fps, (i+1)/fps) from the chunk's start."""

    text: str
    audio: np.ndarray
    fps: float
    lips: np.ndarray
    activity: np.ndarray

    @property
    def duration(self) -> float:
        return len(self.audio) / AUDIO_RATE

    @property
    def samples(self) -> int:
        return len(self.audio)


@dataclass(frozen=True)
class VoiceChoice:
    """A streaming session's voice: HeyGen's `voice: {voice_id, rate, emotion}`."""

    voice_id: str | None = None
    rate: float = 1.0
    emotion: str | None = None


def speak_chunk(text: str, choice: VoiceChoice, fps: float, seed: int = 0,
                talking_style: str = "stable") -> SpeechChunk:
    """Synthesise `text` with the voice stage and compute its mouth motion with the motion stage."""
    speech = voice.synthesize(Voice(type="text", input_text=text, voice_id=choice.voice_id, speed=choice.rate,
                                    emotion=choice.emotion))
    tracks = build_tracks(speech, fps, talking_style, "default", seed)
    lips = np.stack([getattr(tracks, c) for c in LIP_CHANNELS], axis=1).astype(np.float32)
    audio = resample(speech.audio, speech.sample_rate, AUDIO_RATE)
    return SpeechChunk(text, np.clip(audio, -1.0, 1.0).astype(np.float32), fps, lips,
                       tracks.activity.astype(np.float32))
