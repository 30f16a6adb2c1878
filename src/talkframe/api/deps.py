"""Request dependencies: the shared services, a database session, and the caller's account from its key.

Why the session is shaped this way: FastAPI runs each sync dependency and the endpoint on separate thread-pool
calls. A connection held from one call to the next waits for a free thread while holding a pooled connection, and
with enough concurrent requests every thread waits for a connection held by a request that waits for a thread:
a deadlock. So:
- the key lookup opens and closes its own short session inside one thread call (and is cached for a few seconds);
- at most `api_threads` request sessions exist at once (an async semaphore: later requests wait on the event loop,
  holding nothing), and the pool has room for those plus one short session per thread, so no thread ever waits for
  a connection and every request makes progress;
- the request session is committed and closed before the response is sent (`scope="function"`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from talkframe.core.errors import UNAUTHORIZED, ApiError
from talkframe.db.keys import find_key, hash_key
from talkframe.db.session import session_factory, session_scope
from talkframe.services import Services

CALLER_CACHE_SECONDS = 5.0  # a revoked key stops working within this long


async def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def _commit_close(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


def _rollback_close(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


def _session_slots(request: Request, services: Services) -> asyncio.Semaphore:
    """The app's semaphore of request sessions, one per event loop (tests run several loops in turn)."""
    loop = asyncio.get_running_loop()
    held = getattr(request.app.state, "session_slots", None)
    if held is None or held[0] is not loop:
        held = (loop, asyncio.Semaphore(services.settings.api_threads))
        request.app.state.session_slots = held
    return held[1]


async def get_session(request: Request, services: ServicesDep) -> AsyncIterator[Session]:
    async with _session_slots(request, services):
        session = session_factory(services.db_url, services.api_pool)()  # connects on first use, in a thread
        try:
            yield session
        except BaseException:
            await run_in_threadpool(_rollback_close, session)
            raise
        if session.in_transaction():
            await run_in_threadpool(_commit_close, session)
        else:
            session.close()  # never touched the database: nothing to release


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

T = TypeVar("T")


async def run_db(services: Services, work: Callable[..., T], *args: Any) -> T:
    """`work(session, *args)` on a worker thread in its own committed session: async routes never touch the
    database on the event loop (a wait for a connection there would stall every request)."""

    def unit() -> T:
        with session_scope(services.db_url, services.api_pool) as session:
            return work(session, *args)

    return await run_in_threadpool(unit)


@dataclass(frozen=True)
class Caller:
    account_id: str
    key_id: str


class CallerCache:
    """Recently verified keys (by SHA-256), so a client polling every second costs no key lookup each time.

    `lookups` holds the lookup in flight for each key: when an entry expires while hundreds of clients share the
    key, one of them reads the database and the rest wait for that answer (not hundreds of lookups at once).
    """

    def __init__(self, seconds: float = CALLER_CACHE_SECONDS, max_entries: int = 10_000) -> None:
        self.seconds, self.max_entries = seconds, max_entries
        self._entries: dict[str, tuple[float, Caller]] = {}
        self.lookups: dict[str, asyncio.Future[Caller | None]] = {}

    def get(self, digest: str) -> Caller | None:
        hit = self._entries.get(digest)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, digest: str, caller: Caller) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[digest] = (time.monotonic() + self.seconds, caller)


def _presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")  # header names are case-insensitive
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def _lookup(services: Services, key: str) -> Caller | None:
    with session_scope(services.db_url, services.api_pool) as session:
        row = find_key(session, key)
        return Caller(row.account_id, row.id) if row is not None else None


async def caller_for(key: str, services: Services, cache: CallerCache) -> Caller | None:
    """The account of an API key (None when unknown or revoked), from the cache or one short lookup."""
    digest = hash_key(key)
    caller = cache.get(digest)
    if caller is not None:
        return caller
    lookup = cache.lookups.get(digest)
    if lookup is None or lookup.get_loop() is not asyncio.get_running_loop():
        lookup = cache.lookups[digest] = asyncio.ensure_future(run_in_threadpool(_lookup, services, key))
        lookup.add_done_callback(lambda done: cache.lookups.pop(digest, None) if cache.lookups.get(digest) is done
                                 else None)
    caller = await asyncio.shield(lookup)
    if caller is not None:
        cache.put(digest, caller)
    return caller


async def get_caller(request: Request, services: ServicesDep) -> Caller:
    key = _presented_key(request)
    caller = await caller_for(key, services, request.app.state.callers) if key else None
    if caller is None:
        raise ApiError(401, "unauthorized", "Unauthorized", v1_code=UNAUTHORIZED)
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]
