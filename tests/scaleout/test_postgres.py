"""PostgreSQL: migrations apply to an empty database, and claiming stays exclusive across processes and threads."""

from __future__ import annotations

import multiprocessing
import threading

from sqlalchemy import inspect, select, update

from talkframe.db import videos as repo
from talkframe.db.models import Video
from talkframe.db.session import get_engine, migrate, session_scope


def _claim_all(url: str, name: str, threads: int, out: multiprocessing.Queue) -> None:
    """One process: `threads` workers claiming until the queue is empty."""
    claimed: list[str] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        while True:
            with session_scope(url) as s:
                video = repo.claim_next(s, f"{name}:{n}")
            if video is None:
                return
            with lock:
                claimed.append(video.id)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put(claimed)


def test_migrations_apply_cleanly_and_are_idempotent(pg_url: str) -> None:
    migrate(pg_url)
    migrate(pg_url)  # a second start is a no-op
    tables = set(inspect(get_engine(pg_url)).get_table_names())
    assert {"videos", "api_keys", "talking_photos", "alembic_version"} <= tables
    with session_scope(pg_url) as s:
        v = repo.create_video(s, "acct", {"video_inputs": []}, title="t", callback_id=None, callback_url=None,
                              folder_id=None, test=False)
    with session_scope(pg_url) as s:
        assert s.get(Video, v.id).request == {"video_inputs": []}


def test_each_video_is_claimed_exactly_once_by_racing_processes(pg_url: str) -> None:
    migrate(pg_url)
    with session_scope(pg_url) as s:  # rows other tests left pending are not part of this race
        s.execute(update(Video).where(Video.status == "pending").values(status="failed"))
    with session_scope(pg_url) as s:
        ids = [repo.create_video(s, "race", {}, title=None, callback_id=None, callback_url=None, folder_id=None,
                                 test=False).id for _ in range(60)]
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(pg_url, f"p{n}", 3, out)) for n in range(3)]
    for p in procs:
        p.start()
    per_process = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    claimed = [vid for chunk in per_process for vid in chunk]
    assert len(claimed) == len(set(claimed)), "a video was claimed twice"
    assert sorted(claimed) == sorted(ids), "a video was never claimed"
    assert sum(1 for chunk in per_process if chunk) >= 2, "one process took everything: no race was exercised"
    with session_scope(pg_url) as s:
        rows = s.execute(select(Video.status, Video.attempts).where(Video.account_id == "race")).all()
    assert {r.status for r in rows} == {"processing"} and {r.attempts for r in rows} == {1}
