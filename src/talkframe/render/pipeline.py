"""The render pipeline: a `GenerateRequest` -> an MP4, a thumbnail and a GIF, read top to bottom as its stages.

    per scene (render/scene.py):  voice (speech + timeline) -> avatar (RGBA frames) -> compose -> segment
    then (render/join.py):        segments -> one MP4 (video stream-copied, audio encoded once) + previews

No HTTP, database or queue here: the CLI, the embedded runner and a Celery worker all call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkframe.core.types import Resolver
from talkframe.render.join import CaptionRequest, RenderOutputs, join_segments
from talkframe.render.scene import SceneSegment, render_scene
from talkframe.request import GenerateRequest

__all__ = ["RenderOutputs", "SceneSegment", "caption_request", "render_scene", "join_segments", "render_video"]

ProgressFn = Callable[[float], None]


def render_video(request: GenerateRequest, resolver: Resolver, out_dir: Path,
                 progress: ProgressFn | None = None) -> RenderOutputs:
    """Render every scene in order on this machine, then join them (the embedded and CLI path)."""
    report = progress or (lambda _f: None)
    n = len(request.video_inputs)
    segments: list[SceneSegment] = []
    for index in range(n):
        def scene_progress(fraction: float, index: int = index) -> None:
            report(0.95 * (index + fraction) / n)

        segments.append(render_scene(request, index, resolver, out_dir / "segments", scene_progress))
    outputs = join_segments(segments, request.fps, out_dir, caption_request(request),
                            lambda fraction: report(0.95 + 0.05 * fraction))
    report(1.0)
    return outputs


def caption_request(request: GenerateRequest) -> CaptionRequest:
    """What captions the request asks for (HeyGen: `caption: true` gives both; `caption_mode` picks one)."""
    return CaptionRequest(files=request.wants_caption_file, burn_in=request.wants_burned_captions)
