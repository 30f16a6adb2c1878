"""Celery tasks: thin shells over `talkframe.jobs.distributed` adding retries and failure handling.

Transient errors (database, object store or network briefly away) are retried with exponential backoff; anything
else fails the video with a HeyGen error code through the same function the embedded runner uses.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from botocore.exceptions import ConnectionClosedError, EndpointConnectionError, ReadTimeoutError
from celery import Task
from celery.signals import worker_process_init
from sqlalchemy.exc import OperationalError

from talkframe.core.config import get_settings
from talkframe.db.session import get_engine
from talkframe.jobs import distributed
from talkframe.jobs.celery_app import get_celery
from talkframe.jobs.publish import record_failure
from talkframe.services import Services, build_services

log = logging.getLogger(__name__)
app = get_celery()
TRANSIENT: tuple[type[BaseException], ...] = (OperationalError, EndpointConnectionError, ConnectionClosedError,
                                              ReadTimeoutError, ConnectionError, TimeoutError)
MAX_RETRIES = 5
ON_FINISHED: list[Callable[[str], None]] = []  # hooks run once a video ended (completed, or failed by a scene)


@functools.lru_cache(maxsize=1)
def services() -> Services:
    """Built once per worker process, after the fork (engines and S3 clients are not fork-safe)."""
    return build_services()


@worker_process_init.connect
def _after_fork(**_kwargs: object) -> None:
    services.cache_clear()
    # connections the parent opened (migrations) are dropped, not closed: they belong to the parent
    get_engine(get_settings().resolved_database_url).dispose(close=False)
    # each pool process loads the voice, face models and built-in rig in the background before its first task
    from talkframe.render.warmup import start_warm_up

    if get_settings().warm_up:
        start_warm_up(get_settings().cache_dir)


def _finished(video_id: str) -> None:
    for hook in ON_FINISHED:
        hook(video_id)


def _retry_or_fail(task: Task, exc: BaseException, video_id: str, claim: str) -> None:
    if isinstance(exc, TRANSIENT) and task.request.retries < MAX_RETRIES:
        raise task.retry(exc=exc, countdown=min(60, 2 ** task.request.retries))
    if record_failure(services(), video_id, claim, exc):
        _finished(video_id)


@app.task(name="talkframe.render_scene", bind=True, acks_late=True, reject_on_worker_lost=True,
          max_retries=MAX_RETRIES)
def render_scene_task(self: Task, video_id: str, index: int, claim: str) -> dict | None:
    """Render one scene to its segment in storage (a chord member: it never raises, so the join always runs)."""
    try:
        return distributed.render_scene_to_storage(services(), video_id, index, claim, self.request.hostname or "")
    except Exception as exc:  # noqa: BLE001 - a failed scene ends the video failed, not a stuck chord
        _retry_or_fail(self, exc, video_id, claim)
        return None


@app.task(name="talkframe.join_video", bind=True, acks_late=True, reject_on_worker_lost=True,
          max_retries=MAX_RETRIES)
def join_video_task(self: Task, video_id: str, claim: str) -> bool:
    """Join the stored segments, publish the outputs and complete the row (the chord's callback)."""
    try:
        return distributed.join_from_storage(services(), video_id, claim, _finished)
    except Exception as exc:  # noqa: BLE001
        _retry_or_fail(self, exc, video_id, claim)
        return False


@app.task(name="talkframe.train_video_avatar", acks_late=True, reject_on_worker_lost=True)
def train_video_avatar_task(avatar_id: str, claim: str) -> bool:
    """Train one video avatar (run_training never raises: every outcome ends in the row's train_status)."""
    from talkframe.db import video_avatars
    from talkframe.db.session import session_scope
    from talkframe.jobs.training import run_training

    with session_scope(services().db_url) as session:
        row = video_avatars.get(session, avatar_id)
    if row is None or row.worker_id != claim:
        return False
    run_training(services(), row, claim)
    return True
