"""Step 5, compose: the scene's frames, one at a time (background, avatar, text, watermark)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from talkframe.compose.background import open_background
from talkframe.compose.scene import SceneComposer
from talkframe.core.types import AvatarClip
from talkframe.request import GenerateRequest, VideoInput


def scene_frames(request: GenerateRequest, scene: VideoInput, background_file: Path | None, clip: AvatarClip,
                 n_frames: int) -> Iterator[np.ndarray]:
    """Yield the `n_frames` RGB canvases of the scene; closing the generator releases a video background."""
    size, fps = request.size, request.fps
    background = open_background(scene.background, size, fps, n_frames, background_file)
    composer = SceneComposer(size, clip.size, scene.character, background, text=scene.text,
                             watermark=request.test or request.enable_watermark,
                             face_box=getattr(clip, "face_box", None))
    try:
        for i in range(n_frames):
            yield composer.frame(i, clip.frame(min(i, clip.n_frames - 1)))
    finally:
        composer.close()  # releases a video background's decoder


def streamed_frames(request: GenerateRequest, scene: VideoInput, background_file: Path | None,
                    clips: Iterable[AvatarClip]) -> Iterator[np.ndarray]:
    """`scene_frames` over consecutive clips (runs of frames animated as the speech arrives), for a background
    that does not need the scene's length (a colour or an image): every frame of every clip, in order."""
    size, fps = request.size, request.fps
    composer: SceneComposer | None = None
    index = 0
    try:
        for clip in clips:
            if composer is None:
                background = open_background(scene.background, size, fps, 0, background_file)
                composer = SceneComposer(size, clip.size, scene.character, background, text=scene.text,
                                         watermark=request.test or request.enable_watermark,
                                         face_box=getattr(clip, "face_box", None))
            for i in range(clip.n_frames):
                yield composer.frame(index, clip.frame(i))
                index += 1
    finally:
        if composer is not None:
            composer.close()
