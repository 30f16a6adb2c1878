"""The studio's own JSON calls (made by its scripts with the session cookie and a CSRF header): generate, status,
and raw-body uploads. Each runs the same code as the API route it mirrors, under the same database rules
(api/deps.py): the async calls (generate, uploads) touch the database only on worker threads, the sync ones (status)
use the request session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, ServicesDep, SessionDep, run_db
from talkframe.api.routes import assets as assets_routes
from talkframe.api.routes import talking_photos
from talkframe.api.routes import video_avatars as video_avatar_routes
from talkframe.api.routes import videos as video_routes
from talkframe.api.views import video_status
from talkframe.core.errors import ApiError
from talkframe.db import talking_photos as photo_rows
from talkframe.db.models import Video, VideoAvatar
from talkframe.db.owned import get_owned
from talkframe.request import GenerateRequest
from talkframe.studio import auth, landmarks
from talkframe.studio.web import WhoDep, secret, services_of

router = APIRouter(prefix="/studio/api", include_in_schema=False)
Row = TypeVar("Row")


# A user's own mistake (bad input, no face, over quota) is an answer, not a failure: it comes back with 200 and the
# HTTP status in the body, so the page shows it without the browser logging a failed request in its console.
USER_ERRORS = {400, 402, 409, 413, 422, 429}


def _error(status: int, code: str, message: str, fields: list[dict[str, str]] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or [], "status": status}}
    return JSONResponse(body, status_code=200 if status in USER_ERRORS else status)


def _api_error(exc: ApiError) -> JSONResponse:
    fields = [{"field": p.field, "message": p.message} for p in exc.problems or []]
    return _error(exc.status, str(exc.code), exc.message, fields)


def _authorised(request: Request, who: auth.StudioCaller | None, write: bool) -> Caller | JSONResponse:
    if who is None:
        return _error(401, "unauthorized", "Your session has ended: sign in again.")
    if write and not auth.csrf_ok(request, secret(request), request.headers.get("x-csrf-token")):
        return _error(403, "csrf", "This page has expired: reload it and try again.")
    return Caller(who.account_id, who.key_id)


def stage(video_dict: dict[str, Any], scenes: int) -> str:
    """The pipeline step a progress value falls in (per scene: speech to 10%, then face and compose; 95%+ encode)."""
    status, progress = video_dict["status"], video_dict["progress"]
    if status in ("completed", "failed"):
        return status
    if status == "pending":
        return "queued"
    if progress >= 95:
        return "encode"
    within = (progress / 95 * max(scenes, 1)) % 1
    return "speech" if within < 0.1 else "face and compose"


@router.post("/generate")
async def generate(request: Request, who: WhoDep, services: ServicesDep) -> Any:
    caller = _authorised(request, who, write=True)
    if isinstance(caller, JSONResponse):
        return caller
    try:
        req = GenerateRequest.model_validate(await json_object(request))
        # the API's own validation (account ids, URL rules), limits and insert, in one committed worker-thread session
        video_id = await run_in_threadpool(video_routes.create_video_row, req, caller, services)
    except ApiError as exc:
        return _api_error(exc)
    except ValidationError as exc:
        first = exc.errors()[0]
        return _error(400, "invalid_parameter", f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
    request.app.state.wake_workers()
    return {"video_id": video_id}


def _own_row(request: Request, who: auth.StudioCaller | None, session: Session, model: type[Row], row_id: str,
             code: str, what: str) -> Row | JSONResponse:
    """The signed-in caller's `model` row `row_id`, or the error answer (signed out, or no such row of theirs)."""
    caller = _authorised(request, who, write=False)
    if isinstance(caller, JSONResponse):
        return caller
    row = get_owned(session, model, caller.account_id, row_id)
    return _error(404, code, f"{what} {row_id} not found") if row is None else row


@router.get("/videos/{video_id}")
def status(video_id: str, request: Request, who: WhoDep, session: SessionDep) -> Any:
    video = _own_row(request, who, session, Video, video_id, "video_not_found", "Video")
    if isinstance(video, JSONResponse):
        return video
    data = video_status(video, services_of(request))
    return {**data, "stage": stage(data, len((video.request or {}).get("video_inputs") or []))}


async def _upload(request: Request, who: auth.StudioCaller | None,
                  route: Callable[[Caller], Awaitable[dict[str, Any]]]) -> dict[str, Any] | JSONResponse:
    """A raw-body upload through the API's own route for the signed-in caller: its `data`, or the error answer."""
    caller = _authorised(request, who, write=True)
    if isinstance(caller, JSONResponse):
        return caller
    try:
        result = await route(caller)
    except ApiError as exc:
        return _api_error(exc)
    return result["data"]  # stored and committed by the route: the page reloads its list as soon as this answers


@router.post("/photos")
async def upload_photo(request: Request, who: WhoDep, services: ServicesDep, name: str | None = None) -> Any:
    data = await _upload(request, who, lambda caller: talking_photos.upload(request, caller, services, name))
    if isinstance(data, JSONResponse):
        return data
    row = await run_db(services, photo_rows.get, data["talking_photo_id"])
    lm = await run_in_threadpool(landmarks.load_or_make, services, row.image_key)
    return {"id": row.id, "name": row.name, "url": data["talking_photo_url"], "note": data["note"], "landmarks": lm,
            "path": landmarks.svg_path(lm) if lm else ""}


@router.post("/assets")
async def upload_asset(request: Request, who: WhoDep, services: ServicesDep, name: str | None = None) -> Any:
    return await _upload(request, who, lambda caller: assets_routes.upload_asset(request, caller, services, name, None))


@router.post("/avatars")
async def upload_avatar(request: Request, who: WhoDep, services: ServicesDep, name: str | None = None) -> Any:
    # the route also wakes the workers
    return await _upload(request, who, lambda caller: video_avatar_routes.create(request, caller, services, name))


@router.get("/avatars/{avatar_id}")
def avatar_status(avatar_id: str, request: Request, who: WhoDep, session: SessionDep) -> Any:
    row = _own_row(request, who, session, VideoAvatar, avatar_id, "avatar_not_found", "Avatar")
    if isinstance(row, JSONResponse):
        return row
    return video_avatar_routes.video_avatar_view(row, services_of(request))
