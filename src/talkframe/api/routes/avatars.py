"""Avatar catalogue: `GET /v2/avatars`, `/v2/avatar/{id}/details`, `/v2/avatar_group.list`,
`/v2/avatar_group/{id}/avatars`, `/v1/avatar.list`, plus the public preview files they link to.

Items carry the union of the documented fields and those strict clients (heygen-mcp) require, and every preview URL
is a real file served here: the image at once, the video rendered once on first request and kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep
from talkframe.api.envelope import v1, v2
from talkframe.api.routes.talking_photos import list_photos
from talkframe.avatar.catalog import DEFAULT_VOICE_ID, AvatarEntry, all_avatars, find_avatar
from talkframe.core.errors import ApiError
from talkframe.db import video_avatars
from talkframe.db.models import VideoAvatar
from talkframe.db.owned import get_owned
from talkframe.render.avatar_preview import preview_image_file, preview_video_file
from talkframe.services import Services

router = APIRouter(tags=["avatars"])
GROUP_SUFFIX = "_group"


def _base(services: Services) -> str:
    return services.settings.public_base_url.rstrip("/")


def avatar_item(a: AvatarEntry, services: Services) -> dict[str, Any]:
    base = _base(services)
    return {"avatar_id": a.avatar_id, "avatar_name": a.name, "gender": a.gender,
            "preview_image_url": f"{base}/avatars/preview/{a.avatar_id}.png",
            "preview_video_url": f"{base}/avatars/preview/{a.avatar_id}.mp4",
            "premium": False, "type": a.kind, "tags": list(a.tags), "default_voice_id": a.default_voice_id}


def video_avatar_item(row: VideoAvatar, services: Services) -> dict[str, Any]:
    """A user's trained avatar in the catalogue: its previews are signed storage URLs (image and source clip)."""
    return {"avatar_id": row.id, "avatar_name": row.name, "gender": "unknown",
            "preview_image_url": services.url_for(row.preview_key),
            "preview_video_url": services.url_for(row.source_key),
            "premium": False, "type": "video_avatar", "tags": ["video_avatar"], "default_voice_id": DEFAULT_VOICE_ID}


def _not_found(avatar_id: str) -> ApiError:
    return ApiError(404, "avatar_not_found", f"Avatar {avatar_id} not found or no longer available.")


@router.get("/v2/avatars", summary="Avatars and talking photos")
def avatars(caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    photos = [{"talking_photo_id": p["id"], "talking_photo_name": p["talking_photo_name"],
               "preview_image_url": p["preview_image_url"]} for p in list_photos(session, caller.account_id, services)]
    mine = [video_avatar_item(r, services) for r in video_avatars.list_owned(session, caller.account_id, True)]
    return v2({"avatars": [avatar_item(a, services) for a in all_avatars()] + mine, "talking_photos": photos})


def _item(session: Session, caller: Caller, services: Services, avatar_id: str) -> tuple[dict[str, Any], bool]:
    """The catalogue item of a built-in avatar or of the caller's ready video avatar, and whether it is public."""
    a = find_avatar(avatar_id)
    if a is not None:
        return avatar_item(a, services), True
    row = get_owned(session, VideoAvatar, caller.account_id, avatar_id)
    if row is None or row.status != "ready":
        raise _not_found(avatar_id)
    return video_avatar_item(row, services), False


@router.get("/v2/avatar/{avatar_id}/details", summary="One avatar")
def details(avatar_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    item, public = _item(session, caller, services, avatar_id)
    return v2({"type": "avatar", "id": item["avatar_id"], "name": item["avatar_name"], "gender": item["gender"],
               "preview_image_url": item["preview_image_url"], "preview_video_url": item["preview_video_url"],
               "premium": False, "is_public": public, "default_voice_id": item["default_voice_id"],
               "tags": item["tags"]})


def group_item(a: AvatarEntry, services: Services) -> dict[str, Any]:
    return {"id": a.avatar_id + GROUP_SUFFIX, "name": a.name, "created_at": 0, "num_looks": 1,
            "preview_image": f"{_base(services)}/avatars/preview/{a.avatar_id}.png", "group_type": "PUBLIC_PHOTO",
            "train_status": "ready", "default_voice_id": a.default_voice_id}


def private_group_item(row: VideoAvatar, services: Services) -> dict[str, Any]:
    """A user's video avatar as a private group; `train_status` follows its training."""
    return {"id": row.id + GROUP_SUFFIX, "name": row.name, "created_at": int(row.created_at), "num_looks": 1,
            "preview_image": services.url_for(row.preview_key), "group_type": "PRIVATE", "train_status": row.status,
            "default_voice_id": DEFAULT_VOICE_ID}


@router.get("/v2/avatar_group.list", summary="Avatar groups: your video avatars, and the public ones")
def groups(caller: CallerDep, session: SessionDep, services: ServicesDep,
           include_public: bool = True) -> dict[str, Any]:
    items = [private_group_item(r, services) for r in video_avatars.list_owned(session, caller.account_id)]
    if include_public:
        items += [group_item(a, services) for a in all_avatars()]
    return v2({"total_count": len(items), "avatar_group_list": items})


@router.get("/v2/avatar_group/{group_id}/avatars", summary="The looks (avatars) of one group")
def group_avatars(group_id: str, caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    if not group_id.endswith(GROUP_SUFFIX):
        raise ApiError(404, "avatar_group_not_found", f"Avatar group {group_id} not found")
    try:
        item, _public = _item(session, caller, services, group_id.removesuffix(GROUP_SUFFIX))
    except ApiError as exc:
        raise ApiError(404, "avatar_group_not_found", f"Avatar group {group_id} not found") from exc
    return v2({"avatar_list": [{
        **item, "id": item["avatar_id"], "image_url": item["preview_image_url"], "created_at": 0.0,
        "name": item["avatar_name"],
        "status": "completed", "group_id": group_id, "is_motion": False,
        "motion_preview_url": item["preview_video_url"], "business_type": "generated",
        "upscale_availability": {"available": False, "reason": "already rendered at the output resolution"},
        "upscaled": False, "background_sound_effect": None}]})


@router.get("/v1/avatar.list", summary="Avatars (legacy v1 list)")
def avatar_list_v1(caller: CallerDep, services: ServicesDep) -> dict:
    return v1({"avatars": [avatar_item(a, services) for a in all_avatars()]})


@router.get("/avatars/preview/{avatar_id}.{ext}", include_in_schema=False)
async def preview(avatar_id: str, ext: str, services: ServicesDep) -> FileResponse:
    """A built-in avatar's preview: `.png` still or `.mp4` clip, made on first request and cached."""
    a = find_avatar(avatar_id)
    make = {"png": preview_image_file, "mp4": preview_video_file}.get(ext)
    if a is None or make is None:
        raise _not_found(avatar_id)
    path = await run_in_threadpool(make, a, services.settings.cache_dir / "avatar_previews")
    return FileResponse(path, media_type="image/png" if ext == "png" else "video/mp4")
