"""Claiming is exclusive, and abandoned videos are re-queued (or failed after too many attempts)."""

from __future__ import annotations

import threading

from talkframe.db import videos as repo
from talkframe.db.session import session_scope
from talkframe.jobs.runner import dead_local_workers


def _make(services, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(services.db_url) as s:
        return [repo.create_video(s, "acct", {}, title=None, callback_id=None, callback_url=None,
                                  folder_id=None, test=False).id for _ in range(n)]


def test_each_video_is_claimed_once_under_contention(services) -> None:  # type: ignore[no-untyped-def]
    ids = _make(services, 20)
    claimed: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        while True:
            with session_scope(services.db_url) as s:
                v = repo.claim_next(s, f"w{n}")
            if v is None:
                return
            with lock:
                claimed.append(v.id)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(ids)


def test_requeue_then_fail_after_max_attempts(services) -> None:  # type: ignore[no-untyped-def]
    (vid,) = _make(services, 1)
    for attempt in range(1, repo.MAX_ATTEMPTS + 1):
        with session_scope(services.db_url) as s:
            assert repo.claim_next(s, "host:1:0").id == vid
        with session_scope(services.db_url) as s:
            requeued, failed = repo.requeue_abandoned(s, ["host:1:"], stale_before=0)
            assert (requeued, failed) == (([vid], []) if attempt < repo.MAX_ATTEMPTS else ([], [vid]))
            v = s.get(repo.Video, vid)
            assert v.status == ("pending" if attempt < repo.MAX_ATTEMPTS else "failed")
    assert v.error_code == 500002 and "3 times" in v.error_message


def test_live_worker_is_left_alone(services) -> None:  # type: ignore[no-untyped-def]
    import time

    (vid,) = _make(services, 1)
    with session_scope(services.db_url) as s:
        repo.claim_next(s, "otherhost:5:0")
        assert repo.requeue_abandoned(s, [], stale_before=time.time() - 60) == ([], [])
        assert s.get(repo.Video, vid).status == "processing"


def test_dead_local_workers_detects_gone_pids() -> None:
    import os

    alive = f"h:{os.getpid()}:0"
    assert dead_local_workers([alive, "h:999999999:1", "other:1:0"], "h") == ["h:999999999:"]
