"""The API side of scale-out: hand pending videos to Celery as a chord (one task per scene, then a join).

`CeleryEnqueuer` has the embedded runner's interface (start, wake, stop), so `talkframe serve` swaps one for the
other when a broker is configured and the generate route's `wake_workers()` needs no change. A small loop claims
pending rows (the same atomic conditional UPDATE as the runner, so several API replicas never double-send) and
sends each one; it also picks up rows stored while the broker was unreachable or before a restart.
"""

from __future__ import annotations

import logging
import threading
import uuid

from celery import chord
from sqlalchemy import update

from talkframe.core.clock import now
from talkframe.db import video_avatars
from talkframe.db import videos as repo
from talkframe.db.models import Video, VideoAvatar
from talkframe.db.session import session_scope
from talkframe.services import Services

log = logging.getLogger(__name__)


def send_video(video_id: str, n_scenes: int, claim: str) -> None:
    """Queue scenes 0..n-1 and the join that runs when all of them are done."""
    from talkframe.jobs.tasks import join_video_task, render_scene_task

    header = [render_scene_task.si(video_id, index, claim) for index in range(n_scenes)]
    chord(header)(join_video_task.si(video_id, claim))


def dispatch_pending(services: Services) -> list[str]:
    """Claim every pending video (and video avatar to train) and send it to Celery; returns the ids sent."""
    sent: list[str] = dispatch_trainings(services)
    while True:
        claim = f"celery:{uuid.uuid4().hex[:16]}"
        with session_scope(services.db_url) as session:
            video = repo.claim_next(session, claim)
            if video is None:
                return sent
            n_scenes = len((video.request or {}).get("video_inputs") or [])
        try:
            send_video(video.id, max(1, n_scenes), claim)
        except Exception:
            _unclaim(services, Video, video.id, claim)
            raise
        sent.append(video.id)


def dispatch_trainings(services: Services) -> list[str]:
    """Claim every pending video avatar and send its training task."""
    from talkframe.jobs.tasks import train_video_avatar_task

    sent: list[str] = []
    while True:
        claim = f"celery:{uuid.uuid4().hex[:16]}"
        with session_scope(services.db_url) as session:
            row = video_avatars.claim_next(session, claim)
        if row is None:
            return sent
        try:
            train_video_avatar_task.delay(row.id, claim)
        except Exception:
            _unclaim(services, VideoAvatar, row.id, claim)
            raise
        sent.append(row.id)


def _unclaim(services: Services, model: type[Video] | type[VideoAvatar], row_id: str, claim: str) -> None:
    """The broker refused the task: back to pending, to be sent on the next pass."""
    with session_scope(services.db_url) as session:
        session.execute(update(model).where(model.id == row_id, model.worker_id == claim)
                        .values(status="pending", worker_id=None, progress=0, updated_at=now(),
                                attempts=model.attempts - 1))


class CeleryEnqueuer:
    def __init__(self, services: Services, poll_seconds: float = 0.5) -> None:
        self.services = services
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="talkframe-enqueuer", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = dispatch_pending(self.services)
                if sent:
                    log.info("sent %d video(s) to the render queue: %s", len(sent), sent)
            except Exception:  # noqa: BLE001 - a broker or database hiccup must not stop the loop
                log.exception("could not send pending videos to the broker; retrying")
                self._stop.wait(min(5.0, self.poll_seconds * 10))
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
