"""The embedded job runner: a few threads inside `talkframe serve` that claim pending videos (and video avatars to
train) from the database.

At start (and every minute) it re-queues videos whose worker died: a process of this host that no longer exists,
or any worker whose heartbeat is older than `STALE_AFTER_SECONDS`. So a restart loses nothing and leaves nothing
stuck in `processing`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from talkframe.core.loop import PollingLoop
from talkframe.db import video_avatars
from talkframe.db import videos as repo
from talkframe.db.claims import busy_worker_ids
from talkframe.db.models import Video, VideoAvatar
from talkframe.db.session import session_scope
from talkframe.jobs.render_job import announce, run_render
from talkframe.jobs.training import run_training
from talkframe.render.warmup import WarmUp, start_warm_up
from talkframe.services import Services

log = logging.getLogger(__name__)
STALE_AFTER_SECONDS = 300.0
RECOVER_EVERY_SECONDS = 60.0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dead_local_workers(worker_ids: list[str], host: str) -> list[str]:
    """Prefixes `host:pid:` of worker ids whose process on this host is gone."""
    dead = set()
    for wid in worker_ids:
        parts = wid.split(":")
        if len(parts) >= 2 and parts[0] == host and parts[1].isdigit() and not _pid_alive(int(parts[1])):
            dead.add(f"{parts[0]}:{parts[1]}:")
    return sorted(dead)


def recover_abandoned(services: Services) -> list[str]:
    host = socket.gethostname()
    with session_scope(services.db_url) as session:
        ids = busy_worker_ids(session, Video, "processing") + busy_worker_ids(session, VideoAvatar, video_avatars.BUSY)
        dead, stale_before = dead_local_workers(ids, host), time.time() - STALE_AFTER_SECONDS
        requeued, failed = repo.requeue_abandoned(session, dead, stale_before)
        for video_id in failed:
            announce(session, video_id, services)
        requeued += video_avatars.requeue_abandoned(session, dead, stale_before)
    if requeued:
        log.warning("re-queued %d job(s) abandoned by dead workers: %s", len(requeued), requeued)
    return requeued


class EmbeddedRunner(PollingLoop):
    name = "talkframe-worker"

    def __init__(self, services: Services, workers: int = 1, poll_seconds: float = 0.5,
                 on_finished: Callable[[str], None] | None = None) -> None:
        super().__init__(poll_seconds, workers)
        self.services = services
        self.on_finished = on_finished
        self.worker_prefix = f"{socket.gethostname()}:{os.getpid()}"
        self._last_recover = 0.0
        self.warm_up: WarmUp | None = None
        self.busy = threading.Event()  # set once a job starts: the warm-up leaves the rest to it

    def start(self) -> None:
        recover_abandoned(self.services)
        self._last_recover = time.time()
        # load the voice, face models and built-in rig in the background: the API answers at once and the first
        # video pays no load; a job that starts meanwhile shares what is loading (loads are locked, never doubled)
        if self.services.settings.warm_up:
            self.warm_up = start_warm_up(self.services.settings.cache_dir, self.busy)
        super().start()

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        if self.warm_up is not None:  # never leave it inside a native library at interpreter exit (a C++ abort)
            self.warm_up.wait(120.0)

    def tick(self, index: int) -> bool:
        if time.time() - self._last_recover > RECOVER_EVERY_SECONDS:
            self._last_recover = time.time()
            recover_abandoned(self.services)
        return self.run_once(f"{self.worker_prefix}:{index}")

    def run_once(self, worker_id: str) -> bool:
        """Claim and render one video, else train one video avatar; False when both queues were empty."""
        with session_scope(self.services.db_url) as session:
            video = repo.claim_next(session, worker_id)
        if video is not None:
            self.busy.set()
            run_render(self.services, video, worker_id, self.on_finished)
            return True
        with session_scope(self.services.db_url) as session:
            avatar = video_avatars.claim_next(session, worker_id)
        if avatar is not None:
            run_training(self.services, avatar, worker_id)
            return True
        return False
