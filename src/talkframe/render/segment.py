"""Step 6, encode: a scene's frames and speech -> its segment, a video-only H.264 MP4 plus its audio as WAV, exactly
`n_frames` long (`render.join` turns the segments into the final video)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from talkframe.core.types import Speech, Word
from talkframe.media.mp4 import AUDIO_RATE, Mp4Writer, resample
from talkframe.media.wav import write_wav

ProgressFn = Callable[[float], None]


@dataclass
class SceneSegment:
    index: int
    video: Path
    audio: Path
    n_frames: int
    words: list[Word]

    def to_json(self) -> str:
        d = asdict(self)
        d["video"], d["audio"] = str(self.video), str(self.audio)
        return json.dumps(d)

    @staticmethod
    def from_json(text: str) -> SceneSegment:
        d = json.loads(text)
        return SceneSegment(d["index"], Path(d["video"]), Path(d["audio"]), d["n_frames"],
                            [Word(**w) for w in d["words"]])


def encode_segment(index: int, frames: Iterable[np.ndarray], size: tuple[int, int], speech: Speech, n_frames: int,
                   fps: float, out_dir: Path, report: ProgressFn) -> SceneSegment:
    """Stream `frames` into the encoder as they come (memory stays flat), then write the audio cut to their length.

    Progress runs from 0.1 to 1.0 over the frames.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    video_path, audio_path = out_dir / f"scene-{index:03d}.mp4", out_dir / f"scene-{index:03d}.wav"
    writer = Mp4Writer(video_path, size, fps, with_audio=False)
    try:
        for i, frame in enumerate(frames):
            writer.write_frame(frame)
            if i % 10 == 9:
                report(0.1 + 0.9 * (i + 1) / n_frames)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    write_wav(audio_path, audio_for_frames(speech, n_frames, fps), AUDIO_RATE)
    report(1.0)
    return SceneSegment(index, video_path, audio_path, n_frames, list(speech.words))


def audio_for_frames(speech: Speech, n_frames: int, fps: float) -> np.ndarray:
    """The scene's audio at the output rate, padded or cut to exactly its frames' length."""
    audio = resample(speech.audio, speech.sample_rate, AUDIO_RATE)
    target = round(n_frames / fps * AUDIO_RATE)
    return np.pad(audio[:target], (0, max(0, target - len(audio))))
