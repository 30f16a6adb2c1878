"""The studio's own JSON calls (made by its scripts with the session cookie and a CSRF header): generate, status,
and raw-body uploads. Each runs the same code as the API route it mirrors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, get_session
from talkframe.api.limits import check_limits
from talkframe.api.lookup import AccountIds
from talkframe.api.routes import assets as assets_routes
from talkframe.api.routes import talking_photos
from talkframe.api.routes import video_avatars as video_avatar_routes
from talkframe.api.views import video_status
from talkframe.core.errors import ApiError
from talkframe.db import video_avatars
from talkframe.db import videos as repo
from talkframe.db.models import TalkingPhoto
from talkframe.request import GenerateRequest
from talkframe.studio import auth, landmarks
from talkframe.studio.web import caller, secret, services_of
from talkframe.validation import validate_generate

router = APIRouter(prefix="/studio/api", include_in_schema=False)


# A user's own mistake (bad input, no face, over quota) is an answer, not a failure: it comes back with 200 and the
# HTTP status in the body, so the page shows it without the browser logging a failed request in its console.
USER_ERRORS = {400, 402, 409, 413, 422, 429}


def _error(status: int, code: str, message: str, fields: list[dict[str, str]] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or [], "status": status}}
    return JSONResponse(body, status_code=200 if status in USER_ERRORS else status)


def _api_error(exc: ApiError) -> JSONResponse:
    fields = [{"field": p.field, "message": p.message} for p in exc.problems or []]
    return _error(exc.status, str(exc.code), exc.message, fields)


def _authorised(request: Request, session: Session, write: bool) -> Caller | JSONResponse:
    who = caller(request, session)
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
async def generate(request: Request, session: Session = Depends(get_session)) -> Any:
    who = _authorised(request, session, write=True)
    if isinstance(who, JSONResponse):
        return who
    services = services_of(request)
    try:
        req = GenerateRequest.model_validate(await json_object(request))
        validate_generate(req, AccountIds(session, who.account_id))
        check_limits(session, who.account_id, services.settings)
    except ApiError as exc:
        return _api_error(exc)
    except ValidationError as exc:
        first = exc.errors()[0]
        return _error(400, "invalid_parameter", f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
    video = repo.create_video(session, who.account_id, req.model_dump(mode="json", by_alias=False),
                              title=req.title, callback_id=req.callback_id, callback_url=req.callback_url,
                              folder_id=req.folder_id, test=req.test)
    session.commit()  # before answering: the page opened next polls this row, and the workers must see it
    request.app.state.wake_workers()
    return {"video_id": video.id}


@router.get("/videos/{video_id}")
def status(video_id: str, request: Request, session: Session = Depends(get_session)) -> Any:
    who = _authorised(request, session, write=False)
    if isinstance(who, JSONResponse):
        return who
    video = repo.get_owned(session, who.account_id, video_id)
    if video is None:
        return _error(404, "video_not_found", f"Video {video_id} not found")
    data = video_status(video, services_of(request))
    return {**data, "stage": stage(data, len((video.request or {}).get("video_inputs") or []))}


@router.post("/photos")
async def upload_photo(request: Request, name: str | None = None, session: Session = Depends(get_session)) -> Any:
    who = _authorised(request, session, write=True)
    if isinstance(who, JSONResponse):
        return who
    services = services_of(request)
    try:
        result = await talking_photos.upload(request, name, who, session, services)
    except ApiError as exc:
        return _api_error(exc)
    data = result["data"]
    session.flush()
    row = session.get(TalkingPhoto, data["talking_photo_id"])
    session.commit()  # the page reloads the list as soon as this answers
    lm = await run_in_threadpool(landmarks.load_or_make, services, row.image_key)
    return {"id": row.id, "name": row.name, "url": data["talking_photo_url"], "note": data["note"], "landmarks": lm,
            "path": landmarks.svg_path(lm) if lm else ""}


@router.post("/assets")
async def upload_asset(request: Request, name: str | None = None, session: Session = Depends(get_session)) -> Any:
    who = _authorised(request, session, write=True)
    if isinstance(who, JSONResponse):
        return who
    try:
        result = await assets_routes.upload_asset(request, name, None, who, session, services_of(request))
    except ApiError as exc:
        return _api_error(exc)
    session.commit()
    return result["data"]


@router.post("/avatars")
async def upload_avatar(request: Request, name: str | None = None, session: Session = Depends(get_session)) -> Any:
    who = _authorised(request, session, write=True)
    if isinstance(who, JSONResponse):
        return who
    try:
        result = await video_avatar_routes.create(request, name, who, session, services_of(request))
    except ApiError as exc:
        return _api_error(exc)
    session.commit()
    request.app.state.wake_workers()
    return result["data"]


@router.get("/avatars/{avatar_id}")
def avatar_status(avatar_id: str, request: Request, session: Session = Depends(get_session)) -> Any:
    who = _authorised(request, session, write=False)
    if isinstance(who, JSONResponse):
        return who
    row = video_avatars.get_owned(session, who.account_id, avatar_id)
    if row is None:
        return _error(404, "avatar_not_found", f"Avatar {avatar_id} not found")
    return video_avatar_routes.video_avatar_view(row, services_of(request))
