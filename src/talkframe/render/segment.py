"""Step 6, encode: a scene's frames and speech -> its segment, an H.264 MP4 plus its audio as WAV, exactly
`n_frames` long (`render.join` turns the segments into the final video).

Both are written as they come: frames stream into the encoder, and speech into the WAV piece by piece
(`SegmentAudio`), resampled on the fly, so neither is ever held whole in memory. When the scene is the whole video,
its audio is also encoded into the segment as it comes (`muxed`), so the join has nothing left to encode.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from talkframe.core.types import Speech, Word
from talkframe.media.mp4 import AUDIO_RATE, Mp4Writer, resample
from talkframe.media.resample import StreamResampler
from talkframe.media.wav import WavWriter
from talkframe.render.previews import scene_previews

ProgressFn = Callable[[float], None]


@dataclass
class SceneSegment:
    index: int
    video: Path
    audio: Path
    n_frames: int
    words: list[Word]
    muxed: bool = False  # the video file also carries the scene's audio (AAC of the WAV's samples)

    def to_json(self) -> str:
        d = asdict(self)
        d["video"], d["audio"] = str(self.video), str(self.audio)
        return json.dumps(d)

    @staticmethod
    def from_json(text: str) -> SceneSegment:
        d = json.loads(text)
        return SceneSegment(d["index"], Path(d["video"]), Path(d["audio"]), d["n_frames"],
                            [Word(**w) for w in d["words"]], d.get("muxed", False))


def encode_segment(index: int, frames: Iterable[np.ndarray], size: tuple[int, int], speech: Speech, n_frames: int,
                   fps: float, out_dir: Path, report: ProgressFn) -> SceneSegment:
    """Stream `frames` into the encoder as they come (memory stays flat), then write the audio cut to their length.

    Progress runs from 0.1 to 1.0 over the frames.
    """
    video_path, written = encode_video(index, frames, size, fps, out_dir, report, lambda: n_frames)
    audio = SegmentAudio(out_dir, index)
    audio.add(speech)
    audio_path, words = audio.close(written, fps)
    report(1.0)
    return SceneSegment(index, video_path, audio_path, written, words)


def encode_video(index: int, frames: Iterable[np.ndarray], size: tuple[int, int], fps: float, out_dir: Path,
                 report: ProgressFn, expected: Callable[[], int],
                 audio: SegmentAudio | None = None) -> tuple[Path, int]:
    """Encode `frames` into the scene's MP4; returns its path and the frames written. Progress runs from 0.1 to
    0.99 over `expected()` frames (an estimate while the speech is still being synthesised).

    With `audio`, its samples are encoded into the same file as they are written (interleaved with the frames on
    the encoder's thread), and it is closed at the frames' length before the file is."""
    out_dir.mkdir(parents=True, exist_ok=True)
    video_path = out_dir / f"scene-{index:03d}.mp4"
    writer = Mp4Writer(video_path, size, fps, with_audio=audio is not None, threaded=True,  # fresh arrays
                       previews=scene_previews(video_path, fps) if index == 0 else None)
    if audio is not None:
        audio.sink = lambda pcm: writer.add_audio(pcm.astype(np.float32) / 32767.0, audio.rate)
    written = 0
    try:
        for frame in frames:
            writer.write_frame(frame)
            written += 1
            if written % 10 == 0:
                report(0.1 + 0.89 * min(1.0, written / max(1, expected(), written + 1)))
        if audio is not None:
            audio.close(written, fps)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return video_path, written


class SegmentAudio:
    """The scene's audio WAV and caption words, written piece by piece as the speech arrives: resampled to the
    output rate on the fly (the same samples as resampling the whole speech), then padded or cut to the frames'
    length by `close`. Holds back one second of samples, so a cut never needs to rewrite the file. `sink`, when
    set, gets every 16-bit block as it is written (the segment's own audio track)."""

    HOLD_SECONDS = 1.0
    SLICE_SECONDS = 10.0

    def __init__(self, out_dir: Path, index: int, rate: int = AUDIO_RATE) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / f"scene-{index:03d}.wav"
        self.rate = rate
        self._wav = WavWriter(self.path, rate)
        self._resampler: StreamResampler | None = None
        self._src_rate: int | None = None
        self._held = np.zeros(0, np.float32)
        self._seconds = 0.0  # speech added so far
        self._samples_in = 0
        self.words: list[Word] = []
        self.sink: Callable[[np.ndarray], None] | None = None
        self._closed: tuple[Path, list[Word]] | None = None

    def add(self, speech: Speech) -> None:
        if self._resampler is None:
            self._src_rate = speech.sample_rate
            self._resampler = StreamResampler(speech.sample_rate, self.rate)
        elif speech.sample_rate != self._src_rate:
            raise ValueError("every piece needs the same sample rate")
        offset = self._samples_in / speech.sample_rate
        self.words += [Word(w.text, w.start + offset, w.end + offset) for w in speech.words]
        self._samples_in += len(speech.audio)
        step = round(self.SLICE_SECONDS * speech.sample_rate)  # a long upload: resample a slice at a time
        for start in range(0, len(speech.audio), step):
            self._write(self._resampler.push(speech.audio[start: start + step]))

    def _write(self, samples: np.ndarray) -> None:
        held = np.concatenate([self._held, samples])
        keep = round(self.HOLD_SECONDS * self.rate)
        if len(held) > keep:
            self._emit(held[: len(held) - keep])
            held = held[len(held) - keep:]
        self._held = held

    def close(self, n_frames: int, fps: float) -> tuple[Path, list[Word]]:
        """Finish the WAV at exactly `n_frames` of video; returns its path and the words (seconds from the scene
        start, as `timeline.concat` shifts them). Closing again returns the same."""
        if self._closed is not None:
            return self._closed
        if self._resampler is not None:
            self._held = np.concatenate([self._held, self._resampler.flush()])
        target = round(n_frames / fps * self.rate)
        rest = target - self._wav.frames
        if rest < 0:
            raise RuntimeError("scene audio longer than its frames by more than the held second")
        tail = self._held[:rest]
        self._emit(np.pad(tail, (0, rest - len(tail))))
        self._wav.close()
        self._closed = self.path, self.words
        return self._closed

    def _emit(self, samples: np.ndarray) -> None:
        pcm = self._wav.write(samples)
        if self.sink is not None and len(pcm):
            self.sink(pcm)

    def abort(self) -> None:
        self._wav.close()
        self.path.unlink(missing_ok=True)


def audio_for_frames(speech: Speech, n_frames: int, fps: float) -> np.ndarray:
    """The scene's audio at the output rate, padded or cut to exactly its frames' length."""
    audio = resample(speech.audio, speech.sample_rate, AUDIO_RATE)
    target = round(n_frames / fps * AUDIO_RATE)
    return np.pad(audio[:target], (0, max(0, target - len(audio))))
