"""The scale-out render job, in two steps that Celery runs on any machines: each scene to a segment in shared
storage, then one join of all segments into the published outputs.

Both steps are idempotent and check first that the row is still this dispatch's (`claim`, stored as the row's
`worker_id`): a deleted or failed video stops costing work, and a re-delivered task redoes only its own scene.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable

from talkframe.core.errors import INTERNAL_RENDER_ERROR, WORKER_DIED, RenderError
from talkframe.db import videos
from talkframe.db.models import Video
from talkframe.db.session import session_scope
from talkframe.jobs import render_metrics
from talkframe.jobs.publish import publish_outputs
from talkframe.jobs.render_job import HEARTBEAT_SECONDS
from talkframe.jobs.segments import download_segment, scenes_done, segment_key, upload_segment
from talkframe.render.join import join_segments
from talkframe.render.pipeline import caption_request
from talkframe.render.scene import render_scene
from talkframe.request import GenerateRequest
from talkframe.resolve.account import AccountResolver
from talkframe.services import Services

log = logging.getLogger(__name__)
MAX_SCENE_ATTEMPTS = 3


def load_owned(services: Services, video_id: str, claim: str) -> Video | None:
    """The row while it is `processing` under `claim`; None once deleted, failed, completed or re-dispatched."""
    with session_scope(services.db_url) as session:
        video = videos.get(session, video_id)
        if video is None or video.status != "processing" or video.worker_id != claim:
            return None
        session.expunge(video)
        return video


def advance_progress(services: Services, video_id: str, claim: str, pct: int) -> None:
    """Raise progress to `pct` (never lower it: scenes finish in any order on any worker) and beat the heart."""
    with session_scope(services.db_url) as session:
        videos.advance_progress(session, video_id, claim, pct)


def render_scene_to_storage(services: Services, video_id: str, index: int, claim: str,
                            worker: str = "") -> dict | None:
    """Render scene `index` and store its segment; None when the video is no longer ours (nothing done)."""
    video = load_owned(services, video_id, claim)
    if video is None:
        log.info("scene %d of %s skipped: the video is no longer processing under %s", index, video_id, claim)
        return None
    work_dir = services.settings.data_dir / "work" / video_id / f"scene-{index:03d}-{os.getpid()}"
    try:
        count_attempt(services, video_id, index, work_dir)
        request = GenerateRequest.model_validate(video.request)
        resolver = AccountResolver(services, video.account_id, work_dir / "inputs")
        started = time.monotonic()
        segment = render_scene(request, index, resolver, work_dir / "segment",
                               heartbeat_every(services, video_id, claim, HEARTBEAT_SECONDS))
        seconds = time.monotonic() - started
        render_metrics.observe("scene", seconds, segment.n_frames / request.fps)
        record = upload_segment(services.storage, video_id, segment, worker, seconds)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    n = len(request.video_inputs)
    advance_progress(services, video_id, claim, max(1, min(99, 100 * scenes_done(services.storage, video_id, n) // n)))
    return record


def heartbeat_every(services: Services, video_id: str, claim: str, seconds: float) -> Callable[[float], None]:
    """A scene-progress callback that beats the row's heart at most every `seconds`, so a long scene is never taken
    for a lost one (the API re-dispatches videos whose heartbeat is older than the runner's stale limit)."""
    last = [time.monotonic()]

    def beat(_fraction: float) -> None:
        if time.monotonic() - last[0] >= seconds:
            last[0] = time.monotonic()
            advance_progress(services, video_id, claim, 1)

    return beat


def count_attempt(services: Services, video_id: str, index: int, work_dir) -> int:  # type: ignore[no-untyped-def]
    """Count deliveries of this scene in storage; a scene whose worker died MAX_SCENE_ATTEMPTS times fails the
    video instead of being redelivered forever (Celery re-queues a task whose worker process was lost)."""
    key = segment_key(video_id, index, "attempts")
    done = 0
    if services.storage.exists(key):
        done = int(services.storage.get_file(key, work_dir / "attempts.txt").read_text() or 0)
    if done >= MAX_SCENE_ATTEMPTS:
        raise RenderError(WORKER_DIED, f"Rendering scene {index + 1} stopped {done} times without finishing",
                          "The worker rendering this scene died each time; it was not retried again.")
    services.storage.put_bytes(key, str(done + 1).encode())
    return done + 1


def join_from_storage(services: Services, video_id: str, claim: str,
                      on_finished: Callable[[str], None] | None = None) -> bool:
    """Join every stored segment, publish the outputs and complete the row; False when it was not ours."""
    video = load_owned(services, video_id, claim)
    if video is None:
        _notify_if_ended(services, video_id, claim, on_finished)
        return False
    work_dir = services.settings.data_dir / "work" / video_id / f"join-{os.getpid()}"
    try:
        request = GenerateRequest.model_validate(video.request)
        try:
            fetched = [download_segment(services.storage, video_id, i, work_dir / "segments")
                       for i in range(len(request.video_inputs))]
        except FileNotFoundError as exc:
            raise RenderError(INTERNAL_RENDER_ERROR, "A scene of the video was lost before the join",
                              f"missing segment {exc}") from exc
        started = time.monotonic()
        outputs = join_segments([segment for segment, _record in fetched], request.fps, work_dir / "out",
                                caption_request(request), heartbeat_every(services, video_id, claim, HEARTBEAT_SECONDS))
        join_seconds = time.monotonic() - started
        render_metrics.observe("join", join_seconds, outputs.duration)
        scene_seconds = sum(float(record.get("render_seconds", 0.0)) for _segment, record in fetched)
        done = publish_outputs(services, video_id, claim, outputs, render_seconds=scene_seconds + join_seconds)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    _drop_segment_media(services, video_id, len(request.video_inputs))
    if done and on_finished is not None:
        on_finished(video_id)
    return done


def _drop_segment_media(services: Services, video_id: str, n_scenes: int) -> None:
    """The segments' media are joined into the video now; the small JSON records stay (who rendered what)."""
    for index in range(n_scenes):
        for ext in ("mp4", "wav"):
            services.storage.delete(segment_key(video_id, index, ext))


def _notify_if_ended(services: Services, video_id: str, claim: str,
                     on_finished: Callable[[str], None] | None) -> None:
    """A scene failed the video under this claim: the finish hook still runs once, from the join."""
    if on_finished is None:
        return
    with session_scope(services.db_url) as session:
        video = videos.get(session, video_id)
        ended = video is not None and video.worker_id == claim and video.status == "failed"
    if ended:
        on_finished(video_id)
