"""Video generation and status: `POST /v2/video/generate`, `GET /v1/video_status.get`, list, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.envelope import v1, v2
from talkframe.api.limits import check_limits
from talkframe.api.lookup import AccountIds
from talkframe.api.pagination import PageLimit, page
from talkframe.api.views import video_list_item, video_status
from talkframe.core.errors import INVALID_VIDEO_ID, MISSING_PARAMS, ApiError
from talkframe.db import videos as repo
from talkframe.db.models import Video
from talkframe.db.owned import require_owned
from talkframe.db.session import session_scope
from talkframe.request import GenerateRequest
from talkframe.request.validation import validate_generate
from talkframe.services import Services

router = APIRouter(tags=["videos"])
VideoIdParam = Annotated[str | None, Query()]

_GENERATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": GenerateRequest.model_json_schema()}},
    }
}


@router.post("/v2/video/generate", openapi_extra=_GENERATE_BODY, summary="Create an avatar video")
async def generate(request: Request, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    req = GenerateRequest.model_validate(await json_object(request))
    video_id = await run_in_threadpool(create_video_row, req, caller, services)
    request.app.state.wake_workers()
    # A superset of both documented shapes: `error/data` (reference) and `code/message` (older guide).
    return {"code": 100, "message": "Success", **v2({"video_id": video_id})}


def create_video_row(req: GenerateRequest, caller: Caller, services: Services) -> str:
    """Validate against the account's ids (and the URLs against the SSRF rules), check limits, store the row."""
    with session_scope(services.db_url, services.api_pool) as session:
        validate_generate(req, AccountIds(session, caller.account_id, services.fetch_policy()))
        check_limits(session, caller.account_id, services.settings)
        video = repo.create_video(session, caller.account_id, req.model_dump(mode="json", by_alias=False),
                                  title=req.title, callback_id=req.callback_id, callback_url=req.callback_url,
                                  folder_id=req.folder_id, test=req.test)
        return video.id


@router.get("/v1/video_status.get", summary="Status and signed output URLs of a video")
async def status(caller: CallerDep, services: ServicesDep, video_id: VideoIdParam = None) -> dict[str, Any]:
    """The route every client polls: async with one worker-thread call for the lookup (no session dependency,
    no thread hop to serialise), so hundreds of pollers cost little."""
    if not video_id:
        raise ApiError(400, "missing_params", "video_id is required", MISSING_PARAMS)
    return v1(await run_db(services, status_of, caller, services, video_id))


def owned_video(session: Session, caller: Caller, video_id: str) -> Video:
    return require_owned(session, Video, caller.account_id, video_id,
                         ApiError(404, "video_not_found", f"Video {video_id} not found", INVALID_VIDEO_ID))


def status_of(session: Session, caller: Caller, services: Services, video_id: str) -> dict[str, Any]:
    return video_status(owned_video(session, caller, video_id), services)


@router.get("/v1/video.list", summary="List videos, newest first")
def list_videos(caller: CallerDep, session: SessionDep, limit: PageLimit = 100, token: str | None = None,
                folder_id: str | None = None) -> dict[str, Any]:
    rows, next_token = page(session, repo.videos_query(caller.account_id, folder_id), limit, token)
    return v1({"videos": [video_list_item(v) for v in rows], "token": next_token})


@router.delete("/v1/video.delete", summary="Delete a video and its files")
def delete_video(caller: CallerDep, session: SessionDep, services: ServicesDep,
                 video_id: VideoIdParam = None) -> dict:
    if not video_id:
        raise ApiError(400, "missing_params", "video_id is required", MISSING_PARAMS)
    repo.delete(session, owned_video(session, caller, video_id))
    services.storage.delete_prefix(f"videos/{video_id}")
    return v1(None)
