"""`/v3/videos`: create (avatar | image | studio), get, list, delete, bulk statuses. Same table as v1/v2."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.limits import check_limits
from talkframe.api.lookup import AccountIds
from talkframe.api.v3.errors import invalid, not_found
from talkframe.api.v3.materialize import materialize
from talkframe.api.v3.paging import Limit, listing, page_list, page_query, parse_limit
from talkframe.api.v3.routing import V3Route
from talkframe.api.v3.schemas import ERRORS, CreateVideo, Data, body_schema
from talkframe.api.v3.video_request import translate
from talkframe.db import videos as repo
from talkframe.db.models import Video
from talkframe.db.owned import get_owned, require_owned
from talkframe.request import GenerateRequest
from talkframe.request.validation import validate_generate
from talkframe.services import Services
from talkframe.sharing import share_url

router = APIRouter(tags=["v3 videos"], route_class=V3Route, responses=ERRORS)

FAILURE_CODES = {40119: "video_too_long", 400652: "download_failed", 400621: "invalid_media",
                 400624: "invalid_media", 40044: "invalid_media", 40010: "invalid_media"}
BULK_STATUS = {"pending": "queued"}
MAX_BULK = 100


def _ts(value: float | None) -> int | None:
    return None if value is None else int(value)


def video_detail(video: Video, services: Services) -> dict[str, Any]:
    """GET /v3/videos/{id}: every key of HeyGen's VideoDetail, null where empty; plus `progress`."""
    out = video.outputs or {}
    failed = video.status == "failed"
    meta = (video.request or {}).get("talkframe_v3") or {}
    return {
        "id": video.id,
        "status": video.status,
        "title": video.title,
        "created_at": _ts(video.created_at),
        "completed_at": _ts(video.completed_at),
        "video_url": services.url_for(out.get("video_webm") or out.get("video")),
        "thumbnail_url": services.url_for(out.get("thumbnail")),
        "gif_url": services.url_for(out.get("gif")),
        "captioned_video_url": services.url_for(out.get("video_caption")),
        "subtitle_url": services.url_for(out.get("caption_srt")),
        "duration": video.duration,
        "folder_id": video.folder_id,
        "output_language": None,
        "failure_code": FAILURE_CODES.get(video.error_code or 0, "rendering_failed") if failed else None,
        "failure_message": video.error_message if failed else None,
        "video_page_url": share_url(services, video.id) if video.status == "completed" else None,
        "progress": int(video.progress or 0),
        "callback_id": video.callback_id,
        "output_format": meta.get("output_format", "mp4"),
    }


def _owned_video(session: Session, caller: Caller, video_id: str) -> Video:
    return require_owned(session, Video, caller.account_id, video_id,
                         not_found("Video", video_id, "video_not_found", "video_id"))


@router.post("/v3/videos", summary="Create a video (type avatar | image | studio)",
             openapi_extra=body_schema(CreateVideo, "body"), response_model=Data)
async def create_video(request: Request, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    body = await json_object(request)
    data = await run_db(services, _create_video, caller, services, body)
    request.app.state.wake_workers()
    return {"data": data}


def _create_video(session: Session, caller: Caller, services: Services, body: dict[str, Any]) -> dict[str, Any]:
    """Translate, check limits before anything is stored (a 429 leaves nothing), store inputs and the row; on a
    worker thread with its own committed session, so the event loop never waits on the database."""
    ids = AccountIds(session, caller.account_id, services.fetch_policy())
    translated = translate(body, ids, services.settings.v3_strict)
    check_limits(session, caller.account_id, services.settings)
    req = GenerateRequest.model_validate(materialize(session, services, caller.account_id, translated))
    validate_generate(req, ids)
    stored = req.model_dump(mode="json", by_alias=False)
    stored["talkframe_v3"] = {"output_format": translated.output_format}
    video = repo.create_video(session, caller.account_id, stored, title=req.title, callback_id=req.callback_id,
                              callback_url=req.callback_url, folder_id=req.folder_id, test=req.test)
    return {"video_id": video.id, "status": "waiting", "output_format": translated.output_format}


@router.get("/v3/videos/statuses", summary="Statuses of several videos (queued|processing|completed|failed)",
            response_model=None)
def statuses(caller: CallerDep, session: SessionDep,
             video_ids: Annotated[str | None, Query(description="comma-separated, at most 100")] = None,
             batch_ids: Annotated[str | None,
                                  Query(description="comma-separated; batches are not built: not_found")] = None,
             limit: str | None = None, token: str | None = None) -> dict[str, Any]:
    vids = [v for v in (video_ids or "").split(",") if v.strip()]
    bids = [b for b in (batch_ids or "").split(",") if b.strip()]
    if not vids and not bids:
        raise invalid("video_ids", "Provide video_ids or batch_ids")
    if len(vids) + len(bids) > MAX_BULK:
        raise invalid("video_ids", f"At most {MAX_BULK} ids at once")
    size = parse_limit(limit, MAX_BULK, MAX_BULK)
    items: list[dict[str, Any]] = []
    for vid in vids:
        video = get_owned(session, Video, caller.account_id, vid.strip())
        if video is None:
            items.append({"video_id": vid.strip(), "status": "not_found", "error": None})
            continue
        error = ({"code": FAILURE_CODES.get(video.error_code or 0, "rendering_failed"),
                  "message": video.error_message} if video.status == "failed" else None)
        items.append({"video_id": video.id, "status": BULK_STATUS.get(video.status, video.status), "error": error})
    items += [{"video_id": None, "batch_id": b.strip(), "status": "not_found", "error": None} for b in bids]
    rows, has_more, offset = page_list(items, size, token)
    return listing(rows, has_more, offset, size)


@router.get("/v3/videos/{video_id}", summary="A video's status and signed output URLs", response_model=Data)
async def get_video(video_id: str, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Polled by clients: one worker-thread call, no session dependency (see v1's video_status.get)."""

    def detail(session: Session) -> dict[str, Any]:
        return video_detail(_owned_video(session, caller, video_id), services)

    return {"data": await run_db(services, detail)}


@router.get("/v3/videos", summary="List videos, newest first", response_model=None)
def list_videos(caller: CallerDep, session: SessionDep, services: ServicesDep,
                limit: Limit = None, token: str | None = None, folder_id: str | None = None,
                title: Annotated[str | None, Query(description="substring")] = None) -> dict[str, Any]:
    size = parse_limit(limit, 10, 100)
    stmt = repo.videos_query(caller.account_id, folder_id or None, title_like=title)
    rows, has_more, offset = page_query(session, stmt, size, token)
    return listing([video_detail(v, services) for v in rows], has_more, offset, size)


@router.delete("/v3/videos/{video_id}", summary="Delete a video and its files", response_model=Data)
def delete_video(video_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    repo.delete(session, _owned_video(session, caller, video_id))
    services.storage.delete_prefix(f"videos/{video_id}")
    return {"data": {"id": video_id, "deleted": True}}
