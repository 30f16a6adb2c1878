"""Streaming MP4 writer: H.264 + AAC, faststart, audio interleaved with video as frames arrive.

Frames are encoded as they are produced, so memory stays flat however long the video is. The mov muxer writes an
edit list for AAC's priming samples, so players start audio and video together (checked in tests by decoding).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

AUDIO_RATE = 44100


class Mp4Writer:
    def __init__(self, path: Path, size: tuple[int, int], fps: float, *, crf: int = 23,
                 preset: str = "veryfast", audio_rate: int = AUDIO_RATE, with_audio: bool = True) -> None:
        self.path = path
        self.fps = Fraction(fps).limit_denominator(1001)
        self.container = av.open(str(path), "w", options={"movflags": "+faststart"})
        self.video = self.container.add_stream("libx264", rate=self.fps)
        self.video.width, self.video.height = size
        self.video.pix_fmt = "yuv420p"
        self.video.options = {"preset": preset, "crf": str(crf), "profile": "high"}
        self.audio = self.container.add_stream("aac", rate=audio_rate) if with_audio else None
        if self.audio is not None:
            self.audio.layout = "mono"
        self.audio_rate = audio_rate
        self._pending = np.zeros(0, np.float32)
        self._audio_pts = 0
        self.frames_written = 0

    def add_audio(self, samples: np.ndarray, sample_rate: int) -> None:
        """Queue mono float32 audio; it is muxed as the video reaches it."""
        if sample_rate != self.audio_rate:
            samples = resample(samples, sample_rate, self.audio_rate)
        self._pending = np.concatenate([self._pending, samples.astype(np.float32)])

    def write_frame(self, rgb: np.ndarray) -> None:
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame.pts = self.frames_written
        frame.time_base = 1 / self.fps
        for packet in self.video.encode(frame):
            self.container.mux(packet)
        self.frames_written += 1
        self._flush_audio(self.frames_written / float(self.fps))

    def _flush_audio(self, until_seconds: float | None) -> None:
        if self.audio is None:
            return
        limit = len(self._pending) if until_seconds is None else int(until_seconds * self.audio_rate) - self._audio_pts
        limit = min(limit, len(self._pending))
        if limit <= 0:
            return
        chunk, self._pending = self._pending[:limit], self._pending[limit:]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.audio_rate
        frame.pts = self._audio_pts
        frame.time_base = Fraction(1, self.audio_rate)
        self._audio_pts += len(chunk)
        for packet in self.audio.encode(frame):
            self.container.mux(packet)

    def close(self) -> None:
        self._flush_audio(None)
        for packet in self.video.encode(None):
            self.container.mux(packet)
        if self.audio is not None:
            for packet in self.audio.encode(None):
                self.container.mux(packet)
        self.container.close()

    def abort(self) -> None:
        try:
            self.container.close()
        finally:
            self.path.unlink(missing_ok=True)


def resample(samples: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Band-limited polyphase resampling (scipy), exact in length: len * dst / src."""
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(src_rate, dst_rate)
    return resample_poly(samples.astype(np.float32), dst_rate // g, src_rate // g).astype(np.float32)


def join_mp4(video_segments: list[Path], audio_chunks: Iterator[np.ndarray], audio_rate: int, out_path: Path) -> None:
    """Concatenate video-only H.264 segments without re-encoding and encode the whole audio track once.

    Segments come from `Mp4Writer` with identical settings (same SPS/PPS) and each starts on a key frame, so their
    packets can be appended with shifted timestamps. Encoding the audio once, over the joined samples, leaves no
    priming gap or click at the scene joins. Audio arrives as a stream of chunks, so memory stays flat.
    """
    out = av.open(str(out_path), "w", options={"movflags": "+faststart"})
    try:
        with av.open(str(video_segments[0])) as first:
            vout = out.add_stream_from_template(first.streams.video[0])
        aout = out.add_stream("aac", rate=audio_rate)
        aout.layout = "mono"
        audio = _AudioMuxer(out, aout, audio_chunks, audio_rate)
        offset = 0.0
        for segment in video_segments:
            with av.open(str(segment)) as src:
                stream = src.streams.video[0]
                tb = stream.time_base
                shift = round(offset / tb)
                for packet in src.demux(stream):
                    if packet.dts is None:
                        continue
                    packet.pts += shift
                    packet.dts += shift
                    packet.stream = vout
                    out.mux(packet)
                    audio.until(float(packet.dts * tb))
                offset += float(stream.duration * tb)
        audio.until(None)
    finally:
        out.close()


class _AudioMuxer:
    """Encodes AAC from a chunk stream in step with the video, so the file stays interleaved."""

    def __init__(self, out: av.container.OutputContainer, stream: av.AudioStream, chunks: Iterator[np.ndarray],
                 rate: int) -> None:
        self.out, self.stream, self.chunks, self.rate = out, stream, chunks, rate
        self.pending = np.zeros(0, np.float32)
        self.pts = 0
        self.exhausted = False

    def until(self, seconds: float | None) -> None:
        end = None if seconds is None else int(seconds * self.rate)
        while end is None or self.pts < end:
            if not len(self.pending):
                nxt = next(self.chunks, None)
                if nxt is None:
                    break
                self.pending = nxt.astype(np.float32)
                continue
            take = len(self.pending) if end is None else min(len(self.pending), end - self.pts)
            chunk, self.pending = self.pending[:take], self.pending[take:]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = self.rate
            frame.pts = self.pts
            frame.time_base = Fraction(1, self.rate)
            self.pts += len(chunk)
            for packet in self.stream.encode(frame):
                self.out.mux(packet)
        if seconds is None:
            for packet in self.stream.encode(None):
                self.out.mux(packet)
