"""The FastAPI application: HeyGen's v1/v2 paths on one origin, errors in the envelope of each path."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from talkframe import __version__
from talkframe.api.deps import CallerCache
from talkframe.api.envelope import error_response
from talkframe.api.guard import RequestGuard
from talkframe.api.openapi import resolve_schema_refs
from talkframe.api.polling import PollingFastPath
from talkframe.api.routes import (
    assets,
    avatars,
    files,
    folders,
    health,
    metrics,
    share,
    talking_photos,
    user,
    video_avatars,
    videos,
    voices,
    webhooks,
)
from talkframe.api.status_board import StatusBoard
from talkframe.api.v3.app import router as v3_router
from talkframe.core.errors import INTERNAL_ERROR, INVALID_PARAMETER, ApiError, FieldProblem
from talkframe.services import Services, build_services
from talkframe.studio import api as studio_api
from talkframe.studio import pages as studio_pages
from talkframe.studio.web import static_files as studio_static

log = logging.getLogger(__name__)
BUSY_RETRY_AFTER_SECONDS = 1


def _loc(loc: tuple) -> str:
    """pydantic's error location as the request path users know, e.g. `video_inputs[0].voice`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def create_app(services: Services | None = None, runner: object | None = None,
               dispatcher: object | None = None) -> FastAPI:
    """Build the app; `runner` (embedded render workers) and `dispatcher` (webhook delivery) run with it."""
    background = [b for b in (dispatcher, runner) if b is not None]

    services = services or build_services()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # As many threads for blocking work as the API's database pool has connections (see api/deps.py).
        anyio.to_thread.current_default_thread_limiter().total_tokens = services.settings.api_threads
        for b in background:
            b.start()  # type: ignore[attr-defined]
        refresher = asyncio.create_task(app.state.status_board.run())
        try:
            yield
        finally:
            refresher.cancel()
            for b in reversed(background):
                b.stop()  # type: ignore[attr-defined]

    app = FastAPI(title="talkframe", version=__version__, lifespan=lifespan,
                  description="Self-hosted avatar video service that speaks HeyGen's v1/v2 API.")
    app.state.services = services
    app.state.callers = CallerCache()
    app.state.status_board = StatusBoard(services)
    app.state.wake_workers = getattr(runner, "wake", lambda: None)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):  # type: ignore[no-untyped-def]
        return error_response(request.url.path, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return error_response(request.url.path,
                              ApiError(400, "invalid_parameter", f"{field}: {first.get('msg', 'invalid')}",
                                       INVALID_PARAMETER))

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OperationalError)
    async def _busy(request: Request, exc: Exception):  # type: ignore[no-untyped-def]
        """No connection free in time (or SQLite locked): ask the client to come back, never hang or 500."""
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
        return error_response(request.url.path, ApiError(
            503, "service_unavailable", "The service is busy; retry shortly", v1_code=503,
            headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):  # type: ignore[no-untyped-def]
        """A bug: the traceback goes to the log under an error id; the client gets the id, nothing internal."""
        error_id = uuid.uuid4().hex[:16]
        log.error("unexpected error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
        return error_response(request.url.path, ApiError(
            500, "internal_error", f"Internal server error (error id {error_id})", v1_code=INTERNAL_ERROR))

    @app.exception_handler(PydanticValidationError)
    async def _model(request: Request, exc: PydanticValidationError):  # type: ignore[no-untyped-def]
        """A body that does not fit the request model (routes that read JSON themselves validate it directly)."""
        problems = [FieldProblem(_loc(e.get("loc", ())), f"{_loc(e.get('loc', ()))}: {e.get('msg', 'invalid')}")
                    for e in exc.errors()]
        return error_response(request.url.path, ApiError(400, "invalid_parameter", problems[0].message
                                                          if problems else "invalid request", INVALID_PARAMETER,
                                                          problems=problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        code = "not_found" if exc.status_code == 404 else "method_not_allowed" if exc.status_code == 405 else "error"
        return error_response(request.url.path, ApiError(exc.status_code, code, str(exc.detail), exc.status_code))

    routers = (videos, user, files, health, assets, folders, talking_photos, webhooks, share, metrics, voices, avatars,
               video_avatars)
    for module in routers:
        app.include_router(module.router)

    # The studio (server-rendered pages over the same services), and `/` leads there.
    app.include_router(studio_pages.router)
    app.include_router(studio_api.router)
    app.mount("/studio/static", studio_static(), name="studio-static")
    app.add_api_route("/", lambda: RedirectResponse("/studio", status_code=307), include_in_schema=False)

    app.add_middleware(PollingFastPath, services=services, callers=app.state.callers,
                       board=app.state.status_board)
    app.add_middleware(RequestGuard, max_body_bytes=services.settings.max_json_body_bytes,
                       max_depth=services.settings.max_json_depth)
    resolve_schema_refs(app)
    app.include_router(v3_router)
    return app
