"""The polling fast path: `GET /v1/video_status.get?video_id=...` and `GET /v3/videos/{video_id}` answered without
FastAPI's routing and dependency machinery, which costs more CPU than the lookup itself.

Clients poll this route every few seconds, hundreds at a time, so its cost per request is the service's capacity.
It runs the same functions as the documented routes (the caller cache, `owned_video`, the routes' encoders), and
answers from the status board (`status_board.py`) when it holds a fresh answer, so a poll usually
costs no thread and no database round trip. Anything it does not handle plainly (no key, an unknown key, no
`video_id`, other methods) falls through to FastAPI, which gives the documented answers. The OpenAPI document
still describes the route.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs

from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from talkframe.api.deps import Caller, CallerCache, caller_for, run_db
from talkframe.api.routes.videos import owned_video
from talkframe.api.status_board import StatusBoard
from talkframe.core.errors import ApiError
from talkframe.services import Services

PATH = "/v1/video_status.get"
V3_PREFIX = "/v3/videos/"


def _polled(scope: Scope) -> tuple[str, str] | None:
    """(kind, video_id) of a status poll this path answers, else None."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    path: str = scope["path"]
    if path == PATH:
        video_ids = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("video_id")
        return ("v1", video_ids[0]) if video_ids and video_ids[0] else None
    video_id = path[len(V3_PREFIX):] if path.startswith(V3_PREFIX) else ""
    return ("v3", video_id) if video_id and "/" not in video_id and video_id != "statuses" else None


class PollingFastPath:
    def __init__(self, app: ASGIApp, services: Services, callers: CallerCache, board: StatusBoard) -> None:
        self.app, self.services, self.callers, self.board = app, services, callers, board

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        polled = _polled(scope)
        key = _key(scope) if polled else None
        caller = await caller_for(key, self.services, self.callers) if key else None
        if polled is None or caller is None:
            await self.app(scope, receive, send)  # not a poll, or the documented 401
            return
        kind, video_id = polled
        body = self.board.answer(kind, caller.account_id, video_id)
        if body is None:
            try:
                body = await run_db(self.services, self._read, kind, caller, video_id)
            except ApiError:
                await self.app(scope, receive, send)  # the route gives its documented error (404) in its envelope
                return
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if kind == "v3":
            headers.append((b"x-request-id", ("req_" + uuid.uuid4().hex).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _read(self, session: Session, kind: str, caller: Caller, video_id: str) -> bytes:
        """The database's answer (ApiError 404 when not the caller's), remembered on the board for the next polls."""
        return self.board.put(kind, owned_video(session, caller, video_id))


def _key(scope: Scope) -> str | None:
    """As `deps._presented_key`: `X-Api-Key` first, else `Authorization: Bearer`."""
    headers = dict(scope.get("headers", []))
    key = headers.get(b"x-api-key", b"").strip()
    if not key and headers.get(b"authorization", b"")[:7].lower() == b"bearer ":
        key = headers[b"authorization"][7:].strip()
    return key.decode("latin-1") or None
