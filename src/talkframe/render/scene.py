"""Render one scene to a segment, read top to bottom as its stages:

    resolve -> voice -> motion -> avatar -> compose -> encode

Each step is a plain function of data in its own file (`talkframe.resolve.scene`, `voice_stage`, `motion_stage`,
`avatar_stage`, `compose_stage`, `segment`). A scene depends only on the request and its resolved inputs, so scenes
can render in any order, in parallel, or on different machines; `talkframe.render.join` turns the segments into the
final video.

A text voice streams: its sentences are synthesised on another thread (`prefetch`) while the frames of the
earlier ones are drawn, composed and encoded, and its audio goes to the segment's WAV as it comes. The motion of a
run of frames depends only on the sentences, never on when they arrived (`motion.stream`), so drawing the frames
after the whole speech (`STREAM = False`, or a background that needs the scene's length first) gives the same
video. Audio and silence voices take the speech whole, as one piece.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

from talkframe.core.types import Speech
from talkframe.motion.stream import concat_tracks
from talkframe.render.avatar_stage import scene_avatar
from talkframe.render.compose_stage import scene_frames, streamed_frames
from talkframe.render.motion_stage import scene_motion, scene_motion_runs
from talkframe.render.prefetch import Prefetch
from talkframe.render.segment import SceneSegment, SegmentAudio, encode_segment, encode_video
from talkframe.render.voice_stage import scene_pieces, scene_speech
from talkframe.request import GenerateRequest, VideoInput
from talkframe.resolve.scene import PhotoSource, ResolvedScene, Resolver, resolve_scene

__all__ = ["STREAM", "SceneSegment", "render_scene"]

ProgressFn = Callable[[float], None]
STREAM = True  # draw the first sentences while the next are synthesised (tests turn it off to compare)
CHARS_PER_SECOND = 15.0  # a rough speaking rate, for progress before the speech is known


def render_scene(request: GenerateRequest, index: int, resolver: Resolver | ResolvedScene, out_dir: Path,
                 progress: ProgressFn | None = None, mux_audio: bool = False) -> SceneSegment:
    """Render scene `index` of `request`; its inputs come from `resolver`, or are given already resolved (by a
    parent process that fetched them). `mux_audio` (the scene is the whole video): a text scene's segment also
    carries its audio, encoded while the frames are drawn."""
    scene, fps = request.video_inputs[index], request.fps
    report = progress or (lambda _f: None)
    inputs = resolver if isinstance(resolver, ResolvedScene) else resolve_scene(scene, resolver)
    if scene.voice.type != "text":
        speech = scene_speech(scene, inputs)
        report(0.1)
        tracks = scene_motion(scene.character, speech, fps, inputs.avatar)
        clip = scene_avatar(scene.character, inputs.avatar, tracks, request.size)
        with closing(scene_frames(request, scene, inputs.background, clip, tracks.n_frames)) as frames:
            return encode_segment(index, frames, request.size, speech, tracks.n_frames, fps, out_dir, report)
    pieces = scene_pieces(scene, inputs)
    audio = SegmentAudio(out_dir, index)
    try:
        if STREAM and streams(scene, inputs):
            expected = round(len(scene.voice.input_text or "") / CHARS_PER_SECOND * fps)
            with Prefetch(pieces, name="talkframe-speech") as ahead:
                runs = scene_motion_runs(scene.character, _heard(ahead, audio), fps, inputs.avatar)
                clips = (scene_avatar(scene.character, inputs.avatar, run, request.size) for run in runs)
                with closing(streamed_frames(request, scene, inputs.background, clips)) as frames:
                    video, n_frames = encode_video(index, frames, request.size, fps, out_dir, report,
                                                   lambda: expected, audio if mux_audio else None)
        else:
            tracks = concat_tracks(list(scene_motion_runs(scene.character, _heard(pieces, audio), fps,
                                                          inputs.avatar)))
            report(0.1)
            clip = scene_avatar(scene.character, inputs.avatar, tracks, request.size)
            with closing(scene_frames(request, scene, inputs.background, clip, tracks.n_frames)) as frames:
                video, n_frames = encode_video(index, frames, request.size, fps, out_dir, report,
                                               lambda: tracks.n_frames, audio if mux_audio else None)
        audio_path, words = audio.close(n_frames, fps)
    except BaseException:
        audio.abort()
        raise
    report(1.0)
    return SceneSegment(index, video, audio_path, n_frames, words, muxed=mux_audio)


def streams(scene: VideoInput, inputs: ResolvedScene) -> bool:
    """Whether the scene can draw frames before its speech is complete: a talking photo (video avatars choose
    their mouths over the whole scene, presenters lay out over all poses) on a background that does not depend on
    the scene's length (a colour or an image; a video background is timed to the whole scene)."""
    background = scene.background
    return isinstance(inputs.avatar, PhotoSource) and (background is None or background.type in ("color", "image"))


def _heard(pieces: Iterator[Speech], audio: SegmentAudio) -> Iterator[Speech]:
    """Pass the pieces on, writing each to the scene's audio first."""
    for piece in pieces:
        audio.add(piece)
        yield piece
