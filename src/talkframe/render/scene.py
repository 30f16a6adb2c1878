"""Render one scene to a segment: a video-only H.264 MP4 plus its audio as WAV, exactly `n_frames` long.

A scene depends only on the request and the resolver, so scenes can render in any order, in parallel, or on
different machines; `talkframe.render.join` turns the segments into the final video.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from talkframe import voice
from talkframe.compose.background import background_duration, open_background
from talkframe.compose.scene import SceneComposer
from talkframe.core.types import Phone, Resolver, Speech, Word
from talkframe.media.wav import write_wav
from talkframe.render.avatar_stage import build_avatar, voice_with_default
from talkframe.render.encode import AUDIO_RATE, Mp4Writer, resample
from talkframe.render.previews import scene_previews
from talkframe.request import GenerateRequest

ProgressFn = Callable[[float], None]


@dataclass
class SceneSegment:
    index: int
    video: Path
    audio: Path
    n_frames: int
    words: list[Word]

    def to_json(self) -> str:
        d = asdict(self)
        d["video"], d["audio"] = str(self.video), str(self.audio)
        return json.dumps(d)

    @staticmethod
    def from_json(text: str) -> SceneSegment:
        d = json.loads(text)
        return SceneSegment(d["index"], Path(d["video"]), Path(d["audio"]), d["n_frames"],
                            [Word(**w) for w in d["words"]])


def render_scene(request: GenerateRequest, index: int, resolver: Resolver, out_dir: Path,
                 progress: ProgressFn | None = None) -> SceneSegment:
    out_dir.mkdir(parents=True, exist_ok=True)
    scene, size, fps = request.video_inputs[index], request.size, request.fps
    report = progress or (lambda _f: None)

    # 1-2. resolve + voice
    speech = voice.synthesize(voice_with_default(scene.voice, scene.character), resolver)
    # a `full_video` background lengthens the scene to its clip: the speech is padded with silence, so the avatar
    # keeps blinking and breathing to the end instead of freezing
    speech = pad_speech(speech, background_duration(scene.background, resolver) or 0.0)
    n_frames = max(1, math.ceil(speech.duration * fps - 1e-6))
    report(0.1)
    # 3-4. motion + avatar
    clip = build_avatar(scene.character, speech, fps, resolver, size)
    # 5. compose, streaming each frame into the encoder
    background = open_background(scene.background, size, fps, n_frames, resolver)
    composer = SceneComposer(size, clip.size, scene.character, background, text=scene.text,
                             watermark=request.test or request.enable_watermark,
                             face_box=getattr(clip, "face_box", None))
    video_path, audio_path = out_dir / f"scene-{index:03d}.mp4", out_dir / f"scene-{index:03d}.wav"
    writer = Mp4Writer(video_path, size, fps, with_audio=False, threaded=True,  # composer frames are fresh arrays
                       previews=scene_previews(video_path, fps) if index == 0 else None)
    try:
        for i in range(n_frames):
            writer.write_frame(composer.frame(i, clip.frame(min(i, clip.n_frames - 1))))
            if i % 10 == 9:
                report(0.1 + 0.9 * (i + 1) / n_frames)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        composer.close()  # releases a video background's decoder
    write_wav(audio_path, _audio_for_frames(speech, n_frames, fps), AUDIO_RATE)
    report(1.0)
    return SceneSegment(index, video_path, audio_path, n_frames, list(speech.words))


def pad_speech(speech: Speech, seconds: float) -> Speech:
    """`speech` followed by silence up to `seconds` (unchanged when it is already that long)."""
    extra = round(seconds * speech.sample_rate) - len(speech.audio)
    if extra <= 0:
        return speech
    end = speech.duration
    audio = np.concatenate([speech.audio, np.zeros(extra, np.float32)])
    return Speech(audio, speech.sample_rate, [*speech.phones, Phone("", end, len(audio) / speech.sample_rate)],
                  list(speech.words))


def _audio_for_frames(speech: Speech, n_frames: int, fps: float) -> np.ndarray:
    """The scene's audio at the output rate, padded or cut to exactly its frames' length."""
    audio = resample(speech.audio, speech.sample_rate, AUDIO_RATE)
    target = round(n_frames / fps * AUDIO_RATE)
    return np.pad(audio[:target], (0, max(0, target - len(audio))))
