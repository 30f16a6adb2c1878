"""`/v3/avatars` groups and looks over the same catalogue as v2: the built-in photo avatar and talking photos are
`photo_avatar` looks, the illustrated presenters `studio_avatar` looks, trained video avatars `digital_twin` looks.
Every look is alone in its group (`<look id>_group`); a look id is what `POST /v3/videos` takes as `avatar_id`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.lookup import AccountIds
from talkframe.api.routes.avatars import GROUP_SUFFIX
from talkframe.api.v3.errors import invalid, not_found
from talkframe.api.v3.materialize import store_clip, store_photo
from talkframe.api.v3.paging import listing, page_list, parse_limit
from talkframe.api.v3.routing import V3Route
from talkframe.api.v3.schemas import ERRORS, Data
from talkframe.api.v3.video_request import asset_ref
from talkframe.avatar.catalog import BUILTIN_PHOTOS, DEFAULT_VOICE_ID, all_avatars, builtin_photo_path
from talkframe.core.ids import new_id
from talkframe.db import talking_photos, video_avatars
from talkframe.services import Services

router = APIRouter(tags=["v3 avatars"], route_class=V3Route, responses=ERRORS)
ENGINES = ["avatar_iv", "avatar_v", "avatar_iii"]  # accepted alike: one engine animates every look here
TYPES = ("studio_avatar", "digital_twin", "photo_avatar")
Ownership = Annotated[str | None, Query(description="public | private; omit for all")]
LookLimit = Annotated[str | None, Query(description="1-50, default 20")]


def _look(look_id: str, name: str, avatar_type: str, public: bool, *, gender: str | None, voice: str,
          image: str | None, video: str | None, created_at: float, status: str | None = None,
          tags: list[str] | None = None) -> dict[str, Any]:
    return {"id": look_id, "name": name, "avatar_type": avatar_type, "group_id": look_id + GROUP_SUFFIX,
            "gender": gender, "default_voice_id": voice, "preview_image_url": image, "preview_video_url": video,
            "image_width": None, "image_height": None, "preferred_orientation": None,
            "status": status, "supported_api_engines": ENGINES, "tags": tags or [], "error": None,
            "_public": public, "_created_at": int(created_at)}


def all_looks(session: Session, account_id: str, services: Services) -> list[dict[str, Any]]:
    base = services.settings.public_base_url.rstrip("/")
    looks = []
    for row in video_avatars.list_owned(session, account_id):
        looks.append(_look(row.id, row.name, "digital_twin", False, gender=None, voice=DEFAULT_VOICE_ID,
                           image=services.url_for(row.preview_key), video=services.url_for(row.source_key),
                           created_at=row.created_at,
                           status={"ready": "completed", "failed": "failed"}.get(row.status, "processing"),
                           tags=["video_avatar"]))
    for row in talking_photos.list_owned(session, account_id):
        url = services.url_for(row.image_key)
        looks.append(_look(row.id, row.name, "photo_avatar", False, gender=None, voice=DEFAULT_VOICE_ID, image=url,
                           video=None, created_at=row.created_at, status="completed", tags=["talking_photo"]))
    for a in all_avatars():
        kind = "photo_avatar" if a.kind == "photo" else "studio_avatar"
        looks.append(_look(a.avatar_id, a.name, kind, True, gender=a.gender, voice=a.default_voice_id,
                           image=f"{base}/avatars/preview/{a.avatar_id}.png",
                           video=f"{base}/avatars/preview/{a.avatar_id}.mp4", created_at=0, tags=list(a.tags)))
    for photo in BUILTIN_PHOTOS.values():
        key = f"builtin/{photo.photo_id}.png"
        if not services.storage.exists(key):
            services.storage.put_file(key, builtin_photo_path(photo.photo_id, services.settings.cache_dir))
        looks.append(_look(photo.photo_id, photo.name, "photo_avatar", True, gender=photo.gender,
                           voice=DEFAULT_VOICE_ID, image=services.url_for(key), video=None, created_at=0,
                           tags=["talking_photo", "built-in"]))
    return looks


def look_view(look: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in look.items() if not k.startswith("_")}


def group_view(look: dict[str, Any]) -> dict[str, Any]:
    return {"id": look["group_id"], "name": look["name"], "created_at": look["_created_at"], "looks_count": 1,
            "gender": look["gender"], "default_voice_id": look["default_voice_id"],
            "preview_image_url": look["preview_image_url"], "preview_video_url": look["preview_video_url"],
            "status": look["status"], "consent_status": None, "error": None}


def _ownership(value: str | None, looks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if value in (None, ""):
        return looks
    if value not in ("public", "private"):
        raise invalid("ownership", "ownership: Input should be 'public' or 'private'")
    return [lk for lk in looks if lk["_public"] == (value == "public")]


@router.get("/v3/avatars", summary="Avatar groups", response_model=None)
def groups(caller: CallerDep, session: SessionDep, services: ServicesDep,
           ownership: Ownership = None, limit: LookLimit = None, token: str | None = None) -> dict[str, Any]:
    size = parse_limit(limit, 20, 50)
    looks = _ownership(ownership, all_looks(session, caller.account_id, services))
    rows, has_more, offset = page_list(looks, size, token)
    return listing([group_view(lk) for lk in rows], has_more, offset, size)


@router.get("/v3/avatars/looks", summary="Avatar looks (their id is a video's avatar_id)", response_model=None)
def looks(caller: CallerDep, session: SessionDep, services: ServicesDep, group_id: str | None = None,
          avatar_type: Annotated[str | None, Query(description=" | ".join(TYPES))] = None,
          ownership: Ownership = None, limit: LookLimit = None, token: str | None = None) -> dict[str, Any]:
    size = parse_limit(limit, 20, 50)
    if avatar_type not in (None, "", *TYPES):
        raise invalid("avatar_type", f"avatar_type: Input should be one of {', '.join(TYPES)}")
    chosen = _ownership(ownership, all_looks(session, caller.account_id, services))
    if avatar_type:
        chosen = [lk for lk in chosen if lk["avatar_type"] == avatar_type]
    if group_id:
        chosen = [lk for lk in chosen if lk["group_id"] == group_id]
    rows, has_more, offset = page_list(chosen, size, token)
    return listing([look_view(lk) for lk in rows], has_more, offset, size)


def _find(session: Session, caller: Caller, services: Services, field: str, value: str,
          missing: Exception) -> dict[str, Any]:
    """The first look whose `field` is `value`, else raise `missing`."""
    for lk in all_looks(session, caller.account_id, services):
        if lk[field] == value:
            return lk
    raise missing


@router.get("/v3/avatars/looks/{look_id}", summary="One look", response_model=Data)
def look(look_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    missing = not_found("Avatar look", look_id, "avatar_not_found", "look_id")
    return {"data": look_view(_find(session, caller, services, "id", look_id, missing))}


@router.get("/v3/avatars/{group_id}", summary="One avatar group", response_model=Data)
def group(group_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    missing = not_found("Avatar group", group_id, "not_found", "group_id")
    return {"data": group_view(_find(session, caller, services, "group_id", group_id, missing))}


_CREATE_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["type", "name", "file"], "properties": {
        "type": {"type": "string", "enum": ["photo", "digital_twin", "prompt"],
                 "description": "prompt is refused: it needs a text-to-image model"},
        "name": {"type": "string"},
        "file": {"type": "object", "description": "AssetRef: {type: url|asset_id|base64, ...}"},
        "avatar_group_id": {"type": ["string", "null"]}}}}}}}


@router.post("/v3/avatars", summary="Create an avatar: photo (a talking photo) or digital_twin (trained from a "
             "30-120 s clip); poll GET /v3/avatars/looks/{id} for its status", openapi_extra=_CREATE_BODY,
             response_model=Data)
async def create(request: Request, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    body = await json_object(request)
    kind = body.get("type")
    if kind == "prompt":
        raise invalid("type", "type 'prompt' is not supported by this server: it needs a text-to-image model "
                      "that talkframe does not have. Use 'photo' or 'digital_twin'.")
    if not isinstance(kind, str) or kind not in ("photo", "digital_twin"):
        raise invalid("type", "type: Input should be 'photo', 'digital_twin' or 'prompt'")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 300:
        raise invalid("name", "name: a non-empty string of at most 300 characters is required")
    if body.get("avatar_group_id") is not None:
        raise invalid("avatar_group_id", "avatar_group_id: every look here is alone in its group; adding looks to "
                      "an existing group is not supported")
    if body.get("file") is None:
        raise invalid("file", "file: Field required")
    look = await run_db(services, _create_look, caller, services, kind, body["file"], name.strip())
    if kind == "digital_twin":
        request.app.state.wake_workers()
    return {"data": look}


def _create_look(session: Session, caller: Caller, services: Services, kind: str, file: Any,
                 name: str) -> dict[str, Any]:
    """Store the photo, or queue the clip's training, on a worker thread with its own committed session."""
    ids = AccountIds(session, caller.account_id)
    if kind == "photo":
        ref = asset_ref(file, "file", ids, {"image"})
        look_id = store_photo(session, services, caller.account_id, ref, name)
    else:
        from talkframe.db import video_avatars as repo

        ref = asset_ref(file, "file", ids, {"video"})
        look_id = new_id()
        key = store_clip(session, services, ref, f"video_avatars/{look_id}/source")
        repo.create(session, caller.account_id, name, key, None, look_id)
    session.flush()
    for lk in all_looks(session, caller.account_id, services):
        if lk["id"] == look_id:
            return {"avatar_group": group_view(lk), "avatar_item": look_view(lk)}
    raise AssertionError("the new look is missing")  # pragma: no cover
