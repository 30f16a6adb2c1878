"""The polling fast path: `GET /v1/video_status.get?video_id=...` answered without FastAPI's routing and dependency
machinery, which costs more CPU than the lookup itself.

Clients poll this route every few seconds, hundreds at a time, so its cost per request is the service's capacity.
It runs the same functions as the documented route (`routes/videos.py`: the caller cache, `owned_video`, HeyGen's v1
envelope), and answers from the status board (`status_board.py`) when it holds a fresh answer, so a poll usually
costs no thread and no database round trip. Anything it does not handle plainly (no key, an unknown key, no
`video_id`, other methods) falls through to FastAPI, which gives the documented answers. The OpenAPI document
still describes the route.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from talkframe.api.deps import Caller, CallerCache, caller_for, run_db
from talkframe.api.envelope import error_response
from talkframe.api.routes.videos import owned_video
from talkframe.api.status_board import StatusBoard
from talkframe.core.errors import ApiError
from talkframe.services import Services

PATH = "/v1/video_status.get"


class PollingFastPath:
    def __init__(self, app: ASGIApp, services: Services, callers: CallerCache, board: StatusBoard) -> None:
        self.app, self.services, self.callers, self.board = app, services, callers, board

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        video_ids = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("video_id")
        key = _key(scope)
        if not video_ids or not video_ids[0] or not key:
            await self.app(scope, receive, send)
            return
        caller = await caller_for(key, self.services, self.callers)
        if caller is None:
            await self.app(scope, receive, send)  # the documented 401
            return

        body = self.board.answer(caller.account_id, video_ids[0])
        if body is None:
            try:
                body = await run_db(self.services, self._read, caller, video_ids[0])
            except ApiError as err:
                await error_response(PATH, err)(scope, receive, send)
                return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def _read(self, session: Session, caller: Caller, video_id: str) -> bytes:
        """The database's answer (a 404 as `status_of` raises it), remembered on the board for the next polls."""
        return self.board.put(owned_video(session, caller, video_id))


def _key(scope: Scope) -> str | None:
    """As `deps._presented_key`: `X-Api-Key` first, else `Authorization: Bearer`."""
    headers = dict(scope.get("headers", []))
    key = headers.get(b"x-api-key", b"").strip()
    if not key and headers.get(b"authorization", b"")[:7].lower() == b"bearer ":
        key = headers[b"authorization"][7:].strip()
    return key.decode("latin-1") or None
