"""Join scene segments into the published outputs: the MP4, a thumbnail, a GIF preview, and captions.

Captions (`caption: true` or `caption_mode`) come from the scenes' word timelines: `.ass` (HeyGen's caption_url
format), `.srt` and `.vtt` files, and a second MP4 with the captions burned in.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import av

from talkframe.captions import CaptionBurner, Cue, build_cues, write_files
from talkframe.media.mp4 import Mp4Writer, join_mp4
from talkframe.media.wav import iter_wavs, wav_rate
from talkframe.render.previews import GIF_SECONDS, PreviewSampler, frames_needed, preview_paths
from talkframe.render.segment import SceneSegment

ProgressFn = Callable[[float], None]


@dataclass
class CaptionRequest:
    files: bool = False
    burn_in: bool = False


@dataclass
class RenderOutputs:
    video: Path
    thumbnail: Path
    gif: Path
    duration: float
    frames: int
    extra: dict[str, Path] = field(default_factory=dict)  # caption_ass/srt/vtt, video_caption


def join_segments(segments: list[SceneSegment], fps: float, out_dir: Path,
                  captions: CaptionRequest | None = None, progress: ProgressFn | None = None) -> RenderOutputs:
    """`progress` gets fractions of the join as it goes (the burned-in caption pass is the long part)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    segments = sorted(segments, key=lambda s: s.index)
    wavs = [s.audio for s in segments]
    video = out_dir / "video.mp4"
    if len(segments) == 1 and segments[0].muxed:  # the scene's file is the video: its audio was encoded with it
        shutil.move(segments[0].video, video)
    else:
        join_mp4([s.video for s in segments], iter_wavs(wavs), wav_rate(wavs[0]), video)
    thumbnail, gif = out_dir / "thumbnail.jpg", out_dir / "preview.gif"
    _previews(video, fps, thumbnail, gif, segments)
    frames = sum(s.n_frames for s in segments)
    outputs = RenderOutputs(video, thumbnail, gif, duration=frames / fps, frames=frames)
    if captions and (captions.files or captions.burn_in):
        cues = scene_cues(segments, fps)
        with av.open(str(video)) as c:
            size = (c.streams.video[0].width, c.streams.video[0].height)
        if captions.files:
            files = write_files(cues, out_dir, size=size, stem="captions")
            outputs.extra.update({f"caption_{kind}": path for kind, path in files.items()})
        if captions.burn_in:
            outputs.extra["video_caption"] = burn_captions(video, wavs, cues, size, fps, out_dir, progress)
    return outputs


def scene_cues(segments: list[SceneSegment], fps: float) -> list[Cue]:
    """Caption cues of every scene, shifted to the scene's start and never lingering past the scene's end."""
    cues: list[Cue] = []
    start = 0.0
    for s in segments:
        end = start + s.n_frames / fps
        cues += [replace(c, end=min(c.end, end)) for c in build_cues(s.words, offset=start) if c.start < end]
        start = end
    return cues


def burn_captions(video: Path, wavs: list[Path], cues: list[Cue], size: tuple[int, int], fps: float,
                  out_dir: Path, progress: ProgressFn | None = None) -> Path:
    """Re-encode the joined picture with the captions drawn on, then mux the same audio."""
    burner = CaptionBurner(cues, size)
    picture = out_dir / "captioned-picture.mp4"
    writer = Mp4Writer(picture, size, fps, with_audio=False)
    with av.open(str(video)) as c:
        total = c.streams.video[0].frames or 1
        for index, frame in enumerate(c.decode(video=0)):
            writer.write_frame(burner.draw(index / fps, frame.to_ndarray(format="rgb24")))
            if progress is not None and index % 25 == 24:
                progress(min(1.0, (index + 1) / total))
    writer.close()
    out = out_dir / "video_caption.mp4"
    join_mp4([picture], iter_wavs(wavs), wav_rate(wavs[0]), out)
    picture.unlink(missing_ok=True)
    return out


def _previews(video: Path, fps: float, thumbnail: Path, gif: Path, segments: list[SceneSegment]) -> None:
    """The first scene's own previews (taken from its frames in memory) when it covers the whole preview window;
    else decode only the first seconds of the finished video for the thumbnail and the GIF."""
    own_thumb, own_gif = preview_paths(segments[0].video)
    covers = len(segments) == 1 or segments[0].n_frames >= frames_needed(fps)
    if covers and own_thumb.exists() and own_gif.exists():
        shutil.move(own_thumb, thumbnail)
        shutil.move(own_gif, gif)
        return
    sampler = PreviewSampler(fps)
    with av.open(str(video)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index / fps > max(GIF_SECONDS, 1.0) + 0.1:
                break
            sampler.offer(index, frame.to_ndarray(format="rgb24"))
    sampler.save(thumbnail, gif)
