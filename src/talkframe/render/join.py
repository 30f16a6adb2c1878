"""Join scene segments into the published outputs: the MP4, a thumbnail and a GIF preview."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from talkframe.render.audio_io import read_wav
from talkframe.render.encode import join_mp4
from talkframe.render.previews import GIF_SECONDS, PreviewSampler
from talkframe.render.scene import SceneSegment


@dataclass
class RenderOutputs:
    video: Path
    thumbnail: Path
    gif: Path
    duration: float
    frames: int


def join_segments(segments: list[SceneSegment], fps: float, out_dir: Path) -> RenderOutputs:
    out_dir.mkdir(parents=True, exist_ok=True)
    segments = sorted(segments, key=lambda s: s.index)
    parts = [read_wav(s.audio) for s in segments]
    rate = parts[0][1]
    audio = np.concatenate([p[0] for p in parts])
    video = out_dir / "video.mp4"
    join_mp4([s.video for s in segments], audio, rate, video)
    thumbnail, gif = out_dir / "thumbnail.jpg", out_dir / "preview.gif"
    _previews(video, fps, thumbnail, gif)
    frames = sum(s.n_frames for s in segments)
    return RenderOutputs(video, thumbnail, gif, duration=frames / fps, frames=frames)


def _previews(video: Path, fps: float, thumbnail: Path, gif: Path) -> None:
    """Decode only the first seconds of the finished video for the thumbnail and the GIF."""
    sampler = PreviewSampler(fps)
    with av.open(str(video)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index / fps > max(GIF_SECONDS, 1.0) + 0.1:
                break
            sampler.offer(index, frame.to_ndarray(format="rgb24"))
    sampler.save(thumbnail, gif)
