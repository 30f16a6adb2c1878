"""The render pipeline: a `GenerateRequest` -> an MP4, a thumbnail and a GIF, read top to bottom as its stages.

    per scene:  voice (speech + timeline) -> avatar (animated RGBA frames) -> compose (background + avatar)
    then:       frames stream into one H.264/AAC MP4; previews are sampled on the way.

No HTTP, database or queue here: the CLI, the embedded runner and a worker all call `render_video`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from talkframe import avatar, voice
from talkframe.compose.background import open_background
from talkframe.compose.scene import SceneComposer
from talkframe.core.types import Resolver, Speech
from talkframe.render.encode import Mp4Writer
from talkframe.render.previews import PreviewSampler
from talkframe.request import GenerateRequest, VideoInput

ProgressFn = Callable[[float], None]


@dataclass
class RenderOutputs:
    video: Path
    thumbnail: Path
    gif: Path
    duration: float
    frames: int


@dataclass
class _ScenePlan:
    scene: VideoInput
    speech: Speech
    n_frames: int


def render_video(request: GenerateRequest, resolver: Resolver, out_dir: Path,
                 progress: ProgressFn | None = None) -> RenderOutputs:
    out_dir.mkdir(parents=True, exist_ok=True)
    size, fps = request.size, request.fps
    report = progress or (lambda _f: None)

    # 1-2. resolve + voice for every scene first: the total length drives progress and fails fast on bad input.
    plans = [_plan_scene(scene, fps, resolver) for scene in request.video_inputs]
    total = sum(p.n_frames for p in plans)
    report(0.05)

    writer = Mp4Writer(out_dir / "video.mp4", size, fps)
    previews = PreviewSampler(fps)
    done = 0
    try:
        for plan in plans:
            # 3-4. motion + avatar
            clip = avatar.build_clip(plan.scene.character, plan.speech, fps, resolver)
            # 5. compose
            background = open_background(plan.scene.background, size, fps, plan.n_frames, resolver)
            composer = SceneComposer(size, clip.size, plan.scene.character, background)
            writer.add_audio(_pad_to_frames(plan.speech, plan.n_frames, fps), plan.speech.sample_rate)
            for i in range(plan.n_frames):
                frame = composer.frame(i, clip.frame(min(i, clip.n_frames - 1)))
                writer.write_frame(frame)
                previews.offer(done, frame)
                done += 1
                if done % 10 == 0:
                    report(0.05 + 0.9 * done / total)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    previews.save(out_dir / "thumbnail.jpg", out_dir / "preview.gif")
    report(1.0)
    return RenderOutputs(out_dir / "video.mp4", out_dir / "thumbnail.jpg", out_dir / "preview.gif",
                         duration=total / fps, frames=total)


def _plan_scene(scene: VideoInput, fps: float, resolver: Resolver) -> _ScenePlan:
    speech = voice.synthesize(scene.voice, resolver)
    n_frames = max(1, math.ceil(speech.duration * fps - 1e-6))
    return _ScenePlan(scene, speech, n_frames)


def _pad_to_frames(speech: Speech, n_frames: int, fps: float) -> np.ndarray:
    """Pad a scene's audio with silence to exactly its frames' length, so the next scene starts in sync."""
    target = round(n_frames / fps * speech.sample_rate)
    audio = speech.audio[:target]
    return np.pad(audio, (0, target - len(audio)))
