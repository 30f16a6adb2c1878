"""The FastAPI application: HeyGen's v1/v2 paths on one origin, errors in the envelope of each path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from talkframe import __version__
from talkframe.api.envelope import error_response
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
from talkframe.api.v3.app import router as v3_router
from talkframe.core.errors import INVALID_PARAMETER, ApiError
from talkframe.services import Services, build_services


def create_app(services: Services | None = None, runner: object | None = None,
               dispatcher: object | None = None) -> FastAPI:
    """Build the app; `runner` (embedded render workers) and `dispatcher` (webhook delivery) run with it."""
    background = [b for b in (dispatcher, runner) if b is not None]

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for b in background:
            b.start()  # type: ignore[attr-defined]
        try:
            yield
        finally:
            for b in reversed(background):
                b.stop()  # type: ignore[attr-defined]

    app = FastAPI(title="talkframe", version=__version__, lifespan=lifespan,
                  description="Self-hosted avatar video service that speaks HeyGen's v1/v2 API.")
    app.state.services = services or build_services()
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

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        code = "not_found" if exc.status_code == 404 else "method_not_allowed" if exc.status_code == 405 else "error"
        return error_response(request.url.path, ApiError(exc.status_code, code, str(exc.detail), exc.status_code))

    routers = (videos, user, files, health, assets, folders, talking_photos, webhooks, share, metrics, voices, avatars,
               video_avatars)
    for module in routers:
        app.include_router(module.router)
    app.include_router(v3_router)
    return app
