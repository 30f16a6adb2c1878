"""Render one scene to a segment, read top to bottom as its stages:

    resolve -> voice -> motion -> avatar -> compose -> encode

Each step is a plain function of data in its own file (`talkframe.resolve.scene`, `voice_stage`, `motion_stage`,
`avatar_stage`, `compose_stage`, `segment`). A scene depends only on the request and its resolved inputs, so scenes
can render in any order, in parallel, or on different machines; `talkframe.render.join` turns the segments into the
final video.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from talkframe.render.avatar_stage import scene_avatar
from talkframe.render.compose_stage import scene_frames
from talkframe.render.motion_stage import scene_motion
from talkframe.render.segment import SceneSegment, encode_segment
from talkframe.render.voice_stage import scene_speech
from talkframe.request import GenerateRequest
from talkframe.resolve.scene import ResolvedScene, Resolver, resolve_scene

__all__ = ["SceneSegment", "render_scene"]

ProgressFn = Callable[[float], None]


def render_scene(request: GenerateRequest, index: int, resolver: Resolver | ResolvedScene, out_dir: Path,
                 progress: ProgressFn | None = None) -> SceneSegment:
    """Render scene `index` of `request`; its inputs come from `resolver`, or are given already resolved (by a
    parent process that fetched them)."""
    scene, fps = request.video_inputs[index], request.fps
    report = progress or (lambda _f: None)
    inputs = resolver if isinstance(resolver, ResolvedScene) else resolve_scene(scene, resolver)
    speech = scene_speech(scene, inputs)
    report(0.1)
    tracks = scene_motion(scene.character, speech, fps, inputs.avatar)
    clip = scene_avatar(scene.character, inputs.avatar, tracks, request.size)
    with closing(scene_frames(request, scene, inputs.background, clip, tracks.n_frames)) as frames:
        return encode_segment(index, frames, request.size, speech, tracks.n_frames, fps, out_dir, report)
