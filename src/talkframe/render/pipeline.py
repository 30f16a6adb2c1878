"""The render pipeline: a `GenerateRequest` -> an MP4, a thumbnail and a GIF, read top to bottom as its stages.

    per scene (render/scene.py):  resolve -> voice -> motion -> avatar -> compose -> encode (a segment)
    then (render/join.py):        segments -> one MP4 (video stream-copied, audio encoded once) + previews

No HTTP, database or queue here: the CLI, the embedded runner and a Celery worker all call these functions.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from talkframe.render.join import CaptionRequest, RenderOutputs, join_segments
from talkframe.render.scene import SceneSegment, render_scene
from talkframe.request import GenerateRequest
from talkframe.resolve.scene import Resolver, resolve_scene

__all__ = ["RenderOutputs", "SceneSegment", "caption_request", "render_scene", "join_segments", "render_video"]

ProgressFn = Callable[[float], None]
PARALLEL_MIN_SECONDS = 30.0


def render_video(request: GenerateRequest, resolver: Resolver, out_dir: Path,
                 progress: ProgressFn | None = None, processes: int = 1) -> RenderOutputs:
    """Render every scene on this machine, then join them (the embedded and CLI path).

    With `processes` > 1, a long multi-scene video renders its scenes in that many processes at once (a scene's
    own frame work is single-threaded; the encoder uses about two cores); short videos stay in this process,
    where starting workers would cost more than it saves. Their inputs are resolved here first, so the workers get
    plain files and the resolver never crosses a process boundary.
    """
    report = progress or (lambda _f: None)
    n = len(request.video_inputs)
    seg_dir = out_dir / "segments"
    if processes > 1 and n > 1 and estimated_seconds(request) >= PARALLEL_MIN_SECONDS:
        segments = _render_in_processes(request, resolver, seg_dir, min(processes, n), report)
    else:
        segments = []
        for index in range(n):
            def scene_progress(fraction: float, index: int = index) -> None:
                report(0.95 * (index + fraction) / n)

            segments.append(render_scene(request, index, resolver, seg_dir, scene_progress, mux_audio=n == 1))
    outputs = join_segments(segments, request.fps, out_dir, caption_request(request),
                            lambda fraction: report(0.95 + 0.05 * fraction))
    report(1.0)
    return outputs


def estimated_seconds(request: GenerateRequest) -> float:
    """A rough length before any speech exists: ~15 characters a second of text, silence as asked, 10 s of audio."""
    total = 0.0
    for scene in request.video_inputs:
        v = scene.voice
        total += len(v.input_text or "") / 15.0 if v.type == "text" else v.duration if v.type == "silence" else 10.0
    return total


def _render_in_processes(request: GenerateRequest, resolver: Resolver, seg_dir: Path, processes: int,
                         report: ProgressFn) -> list[SceneSegment]:
    """Scenes in `processes` spawned workers; progress (and so the caller's heartbeat) ticks while they run."""
    n = len(request.video_inputs)
    inputs = [resolve_scene(scene, resolver) for scene in request.video_inputs]
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    try:
        pending = {pool.submit(render_scene, request, i, inputs[i], seg_dir) for i in range(n)}
        segments: list[SceneSegment] = []
        while pending:
            done, pending = wait(pending, timeout=2.0, return_when=FIRST_COMPLETED)
            segments += [f.result() for f in done]
            report(0.95 * len(segments) / n)
        return segments
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def caption_request(request: GenerateRequest) -> CaptionRequest:
    """What captions the request asks for (HeyGen: `caption: true` gives both; `caption_mode` picks one)."""
    return CaptionRequest(files=request.wants_caption_file, burn_in=request.wants_burned_captions)
