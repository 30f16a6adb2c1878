"""Scene segments in shared storage: deterministic keys, so a scene that runs twice overwrites its own segment.

`videos/{id}/segments/scene-003.mp4` (video only), `.wav` (audio) and `.json` (frames, words, and which worker
rendered it). The JSON is written last: its presence means the scene is done.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from talkframe.render.segment import SceneSegment
from talkframe.storage.base import Storage


def segment_key(video_id: str, index: int, ext: str) -> str:
    return f"videos/{video_id}/segments/scene-{index:03d}.{ext}"


def upload_segment(storage: Storage, video_id: str, segment: SceneSegment, worker: str = "",
                   render_seconds: float = 0.0) -> dict:
    """Store a rendered segment; returns its JSON record (with the host, pid and Celery worker name)."""
    storage.put_file(segment_key(video_id, segment.index, "mp4"), segment.video)
    storage.put_file(segment_key(video_id, segment.index, "wav"), segment.audio)
    record = json.loads(segment.to_json())
    record.update(video=Path(segment.video).name, audio=Path(segment.audio).name,
                  host=socket.gethostname(), pid=os.getpid(), worker=worker, render_seconds=render_seconds)
    storage.put_bytes(segment_key(video_id, segment.index, "json"), json.dumps(record).encode())
    return record


def read_record(storage: Storage, video_id: str, index: int, dest_dir: Path) -> dict:
    """The segment's JSON record (FileNotFoundError while the scene is not done)."""
    path = storage.get_file(segment_key(video_id, index, "json"), dest_dir / f"scene-{index:03d}.json")
    return json.loads(path.read_text())


def download_segment(storage: Storage, video_id: str, index: int, dest_dir: Path) -> tuple[SceneSegment, dict]:
    """Fetch one segment's files into `dest_dir`: the SceneSegment pointing at them, and its JSON record."""
    record = read_record(storage, video_id, index, dest_dir)
    video = storage.get_file(segment_key(video_id, index, "mp4"), dest_dir / f"scene-{index:03d}.mp4")
    audio = storage.get_file(segment_key(video_id, index, "wav"), dest_dir / f"scene-{index:03d}.wav")
    record.update(video=str(video), audio=str(audio))
    return SceneSegment.from_json(json.dumps(record)), record


def scenes_done(storage: Storage, video_id: str, n_scenes: int) -> int:
    return sum(storage.exists(segment_key(video_id, i, "json")) for i in range(n_scenes))
