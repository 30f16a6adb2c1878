"""Small helpers shared by tests: request bodies, polling, decoding MP4s with PyAV."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import av

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID, BUILTIN_PHOTO_ID


def scene(text: str = "Hi there.", **overrides: object) -> dict:
    s: dict = {"character": {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID},
               "voice": {"type": "text", "input_text": text}}
    s.update(overrides)
    return s


def silent_scene(seconds: float = 1.0, **overrides: object) -> dict:
    s: dict = {"character": {"type": "talking_photo", "talking_photo_id": BUILTIN_PHOTO_ID},
               "voice": {"type": "silence", "duration": seconds}}
    s.update(overrides)
    return s


def body(*scenes: dict, width: int = 320, height: int = 240, **extra: object) -> dict:
    return {"video_inputs": list(scenes) or [scene()], "dimension": {"width": width, "height": height}, **extra}


def wait_for_status(client, video_id: str, statuses: set[str], timeout: float = 120.0) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.time() + timeout
    while time.time() < deadline:
        data = client.get("/v1/video_status.get", params={"video_id": video_id}).json()["data"]
        if data["status"] in statuses:
            return data
        time.sleep(0.1)
    raise AssertionError(f"video {video_id} never reached {statuses}; last: {data}")


@dataclass
class Probe:
    width: int
    height: int
    frames: int
    fps: float
    video_seconds: float
    audio_seconds: float
    audio_rate: int


def probe_mp4(path: Path) -> Probe:
    """Decode every frame and audio sample, as a player would."""
    with av.open(str(path)) as c:
        vs = c.streams.video[0]
        width, height, fps = vs.width, vs.height, float(vs.average_rate)
        frames = sum(1 for _ in c.decode(video=0))
    with av.open(str(path)) as c:
        samples = sum(f.samples for f in c.decode(audio=0))
        rate = c.streams.audio[0].rate
    return Probe(width, height, frames, fps, frames / fps, samples / rate, rate)
