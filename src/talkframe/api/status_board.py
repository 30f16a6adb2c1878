"""The video statuses that clients are polling, kept fresh by one batched query instead of one query per poll.

A HeyGen client asks for its video's status every few seconds until it is done; with hundreds of clients that is
hundreds of database round trips a second, each taking a thread and a connection, to learn mostly that nothing
changed. The board keeps the answer (the encoded body of v1's `video_status.get` or v3's `GET /v3/videos/{id}`)
of every video polled recently. Every `refresh_seconds`
one query reads the `updated_at` of all of them and re-reads only the rows that changed, so the database sees a
handful of queries a second whatever the number of pollers, and a poll is a dictionary lookup.

Freshness: an answer is served only while the board has checked it within `max_age_seconds` (if the refresher
stalls, polls fall back to the database); this process's own writes to a video drop its entry at once (session
events), and other processes' writes (render workers, Celery, other API processes) show within one refresh. Every
entry is re-read in full after `reread_seconds` (signed URLs are re-signed) and forgotten when nobody asked for it
for `forget_seconds`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from talkframe.api.envelope import v1
from talkframe.api.v3.videos import video_detail
from talkframe.api.views import video_status
from talkframe.db import videos as repo
from talkframe.db.models import Video
from talkframe.db.session import session_scope
from talkframe.services import Services

log = logging.getLogger(__name__)
CHUNK = 500  # ids per IN (...) query


@dataclass
class _Entry:
    account_id: str
    version: float  # the row's updated_at when `body` was made
    body: bytes
    read_at: float  # monotonic: when the row was read in full
    checked_at: float  # monotonic: when the board last confirmed `version`
    asked_at: float  # monotonic: the last poll


def _json(content: object) -> bytes:
    """As Starlette's JSONResponse encodes, so an answer from the board is byte for byte the route's."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


ENCODERS: dict[str, Callable[[Video, Services], bytes]] = {
    "v1": lambda video, services: _json(v1(video_status(video, services))),
    "v3": lambda video, services: _json({"data": video_detail(video, services)}),
}


class StatusBoard:
    def __init__(self, services: Services, *, refresh_seconds: float = 0.5, max_age_seconds: float = 2.0,
                 reread_seconds: float = 30.0, forget_seconds: float = 120.0, max_entries: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.services, self.clock = services, clock
        self.refresh_seconds, self.max_age_seconds = refresh_seconds, max_age_seconds
        self.reread_seconds, self.forget_seconds, self.max_entries = reread_seconds, forget_seconds, max_entries
        self._entries: dict[tuple[str, str], _Entry] = {}  # (kind, video_id)
        _BOARDS.add(self)

    def __len__(self) -> int:
        return len(self._entries)

    def answer(self, kind: str, account_id: str, video_id: str) -> bytes | None:
        """The fresh `kind` answer for `account_id`'s video, or None: then the caller reads the database (and
        `put`s)."""
        entry = self._entries.get((kind, video_id))
        now = self.clock()
        if entry is None or entry.account_id != account_id or now - entry.checked_at > self.max_age_seconds:
            return None
        entry.asked_at = now
        return entry.body

    def put(self, kind: str, video: Video) -> bytes:
        """Remember `video`'s `kind` answer (read just now from the database) and return it."""
        body = ENCODERS[kind](video, self.services)
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        now = self.clock()
        self._entries[(kind, video.id)] = _Entry(video.account_id, video.updated_at, body, now, now, now)
        return body

    def forget(self, video_id: str | None = None) -> None:
        """Drop one video's entries (or all): the next poll reads the database."""
        if video_id is None:
            self._entries.clear()
        else:
            for kind in ENCODERS:
                self._entries.pop((kind, video_id), None)

    def refresh(self, session: Session) -> None:
        """One pass: confirm unchanged entries, re-read changed or old ones, drop deleted and unasked ones."""
        started = self.clock()
        for key, entry in list(self._entries.items()):
            if started - entry.asked_at > self.forget_seconds:
                self._entries.pop(key, None)
        by_video: dict[str, list[str]] = {}
        for kind, video_id in list(self._entries):
            by_video.setdefault(video_id, []).append(kind)
        ids = list(by_video)
        for i in range(0, len(ids), CHUNK):
            current = repo.versions(session, ids[i:i + CHUNK])
            stale: dict[str, list[str]] = {}
            for video_id in ids[i:i + CHUNK]:
                for kind in by_video[video_id]:
                    entry = self._entries.get((kind, video_id))
                    if entry is None:
                        continue
                    if video_id not in current:
                        self._entries.pop((kind, video_id), None)  # deleted: the next poll gets the documented 404
                    elif current[video_id] != entry.version or started - entry.read_at > self.reread_seconds:
                        stale.setdefault(video_id, []).append(kind)
                    else:
                        entry.checked_at = started
            for video in repo.get_many(session, list(stale)) if stale else ():
                for kind in stale[video.id]:
                    old = self._entries.get((kind, video.id))
                    if old is not None:
                        self.put(kind, video)
                        self._entries[(kind, video.id)].asked_at = old.asked_at  # re-encoded, same last poll

    async def run(self) -> None:
        """Refresh every `refresh_seconds` until cancelled (the app's lifespan owns the task)."""
        from starlette.concurrency import run_in_threadpool

        while True:
            await asyncio.sleep(self.refresh_seconds)
            if not self._entries:
                continue
            try:
                await run_in_threadpool(self._refresh_in_session)
            except Exception:  # noqa: BLE001 - a failed pass only lets entries age out; polls then read the database
                log.warning("status board refresh failed", exc_info=True)

    def _refresh_in_session(self) -> None:
        with session_scope(self.services.db_url, self.services.api_pool) as session:
            self.refresh(session)


# This process's writes to videos drop the board entries they touch, so an answer never lags a write made here
# (a delete followed by a poll gets the 404 at once). Bulk UPDATE/DELETE statements on videos clear the boards.
_BOARDS: weakref.WeakSet[StatusBoard] = weakref.WeakSet()


@event.listens_for(Session, "after_flush")
def _forget_flushed(session: Session, _flush: UOWTransaction) -> None:
    if not _BOARDS:
        return
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Video):
            for board in list(_BOARDS):
                board.forget(obj.id)


@event.listens_for(Session, "do_orm_execute")
def _forget_bulk(state: ORMExecuteState) -> None:
    if _BOARDS and (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is Video:
        for board in list(_BOARDS):
            board.forget()
