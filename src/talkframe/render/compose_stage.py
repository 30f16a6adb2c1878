"""Step 5, compose: the scene's frames, one at a time (background, avatar, text, watermark)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from talkframe.compose.background import open_background
from talkframe.compose.scene import SceneComposer
from talkframe.core.types import AvatarClip
from talkframe.media.canvas import Canvas
from talkframe.request import GenerateRequest, VideoInput


def scene_frames(request: GenerateRequest, scene: VideoInput, background_file: Path | None, clip: AvatarClip,
                 n_frames: int) -> Iterator[Canvas]:
    """Yield the `n_frames` canvases of the scene (RGB arrays, or `PatchedCanvas`es where only the avatar's moving
    box changes); closing the generator releases a video background."""
    size, fps = request.size, request.fps
    background = open_background(scene.background, size, fps, n_frames, background_file)
    composer = SceneComposer(size, clip.size, scene.character, background, text=scene.text,
                             watermark=request.test or request.enable_watermark,
                             face_box=getattr(clip, "face_box", None), moving_box=getattr(clip, "moving_box", None))
    try:
        for i in range(n_frames):
            yield composer.canvas(i, clip.frame(min(i, clip.n_frames - 1)))
    finally:
        composer.close()  # releases a video background's decoder


def streamed_frames(request: GenerateRequest, scene: VideoInput, background_file: Path | None,
                    clips: Iterable[AvatarClip]) -> Iterator[Canvas]:
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
                                         face_box=getattr(clip, "face_box", None),
                                         moving_box=getattr(clip, "moving_box", None))
            for i in range(clip.n_frames):
                yield composer.canvas(index, clip.frame(i))
                index += 1
    finally:
        if composer is not None:
            composer.close()
