"""All live sessions of the server: creation within the per-account and per-server limits, lookup by owner, and
the reaper that ends sessions nobody uses (idle timeout, or never started) and everything at shutdown."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from talkframe.streaming.session import LiveSession, SessionOptions

log = logging.getLogger(__name__)


class LimitReached(Exception):
    """Too many live sessions (for this account, or on this server)."""


class SessionNotFound(Exception):
    """No live session with this id for this account."""


class StreamingSessions:
    def __init__(self, max_sessions: int = 4, max_per_account: int = 3, start_timeout: float = 60.0,
                 reap_interval: float = 1.0, work_threads: int = 2) -> None:
        self.max_sessions, self.max_per_account = max_sessions, max_per_account
        self.start_timeout, self.reap_interval = start_timeout, reap_interval
        self.sessions: dict[str, LiveSession] = {}
        self._pending = 0  # sessions being created (counted against the limits before they exist)
        self._pending_by: dict[str, int] = {}
        self._work: ThreadPoolExecutor | None = None
        self._work_threads = work_threads
        self._reaper: asyncio.Task | None = None

    @property
    def work(self) -> ThreadPoolExecutor:
        if self._work is None:
            self._work = ThreadPoolExecutor(self._work_threads, thread_name_prefix="live-work")
        return self._work

    def live(self, account_id: str | None = None) -> list[LiveSession]:
        return [s for s in self.sessions.values()
                if s.status != "closed" and (account_id is None or s.account_id == account_id)]

    async def create(self, account_id: str, options: SessionOptions, rgb: np.ndarray) -> tuple[LiveSession, dict]:
        """A new session with its SDP offer; `LimitReached` beyond the limits."""
        mine = len(self.live(account_id)) + self._pending_by.get(account_id, 0)
        if mine >= self.max_per_account:
            raise LimitReached(f"This account already has {mine} live sessions (limit {self.max_per_account}); "
                               "stop one with streaming.stop")
        if len(self.live()) + self._pending >= self.max_sessions:
            raise LimitReached(f"The server is running its maximum of {self.max_sessions} live sessions; "
                               "try again later")
        self._pending += 1
        self._pending_by[account_id] = self._pending_by.get(account_id, 0) + 1
        session = LiveSession(uuid.uuid4().hex, account_id, options, rgb, self.work)
        try:
            offer = await session.prepare()
        except BaseException:
            await session.close("failed to start")
            raise
        finally:
            self._pending -= 1
            self._pending_by[account_id] -= 1
        self.sessions[session.session_id] = session
        session.on_closed.append(lambda s: self.sessions.pop(s.session_id, None))
        self._ensure_reaper()
        return session, offer

    def get(self, session_id: str, account_id: str) -> LiveSession:
        session = self.sessions.get(session_id)
        if session is None or session.account_id != account_id or session.status == "closed":
            raise SessionNotFound(f"Session {session_id} not found")
        return session

    async def reap(self) -> None:
        """End sessions idle past their timeout, and created ones never started within `start_timeout`."""
        now = time.monotonic()
        for s in list(self.sessions.values()):
            if s.status == "new" and now - s.last_activity > self.start_timeout:
                await s.close("never started")
            elif s.idle_for() > s.options.idle_timeout and not s.performer.is_speaking():
                await s.close("idle timeout")

    async def close_all(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            self._reaper = None
        for s in list(self.sessions.values()):
            await s.close("server shutdown")
        if self._work is not None:
            self._work.shutdown(wait=False, cancel_futures=True)
            self._work = None

    def _ensure_reaper(self) -> None:
        loop = asyncio.get_running_loop()
        if self._reaper is None or self._reaper.done() or self._reaper.get_loop() is not loop:
            self._reaper = loop.create_task(self._reap_forever())

    async def _reap_forever(self) -> None:
        while self.sessions:
            await asyncio.sleep(self.reap_interval)
            try:
                await self.reap()
            except Exception:  # noqa: BLE001 - the reaper must outlive one bad session
                log.exception("reaping streaming sessions")
