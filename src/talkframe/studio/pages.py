"""Studio pages: sign-in, create, the video page, and the library (videos, photos, avatars, assets, folders,
webhooks). Each reads and writes through the same repositories and route functions as the API.

The API's database rules hold here too (api/deps.py): pages and form posts are sync routes whose request session
(`SessionDep`) is committed before the response is sent, so a redirect's next page already sees the change; the
form body and the signed-in caller come from async dependencies. Async routes take no request session: sign-out
needs no database, and adding a webhook endpoint (which calls the endpoint first) works through `run_db`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from talkframe.api.deps import Caller, ServicesDep, SessionDep, run_db
from talkframe.api.guard import text_problem
from talkframe.api.routes import assets as assets_routes
from talkframe.api.routes import talking_photos, voices
from talkframe.api.routes import video_avatars as video_avatar_routes
from talkframe.api.routes import webhooks as webhook_routes
from talkframe.api.routes.avatars import avatar_item, video_avatar_item
from talkframe.api.routes.folders import folder_view
from talkframe.api.views import video_status
from talkframe.avatar.catalog import all_avatars
from talkframe.core.errors import ApiError
from talkframe.db import assets as asset_rows
from talkframe.db import deliveries as delivery_rows
from talkframe.db import folders as folder_rows
from talkframe.db import talking_photos as photo_rows
from talkframe.db import video_avatars
from talkframe.db import videos as repo
from talkframe.db import webhooks as endpoint_rows
from talkframe.db.keys import find_key
from talkframe.db.models import Video, WebhookEndpoint
from talkframe.db.owned import get_owned
from talkframe.db.paging import window
from talkframe.studio import auth, landmarks
from talkframe.studio.web import FormDep, WhoDep, forbidden, page, secret, services_of, to_login
from talkframe.webhooks.events import SUCCESS, encode

router = APIRouter(prefix="/studio", include_in_schema=False)
MAX_TEXT = 5000  # characters of one scene's script, as the API enforces


def _api_caller(who: auth.StudioCaller) -> Caller:
    return Caller(who.account_id, who.key_id)


def _saved(url: str) -> RedirectResponse:
    """Redirect after a change: `SessionDep` commits it before this response is sent, so the next page sees it."""
    return RedirectResponse(url, status_code=303)


@router.get("")
@router.get("/")
def home(who: WhoDep) -> Response:
    return RedirectResponse("/studio/videos" if who else "/studio/login", status_code=303)


# --- sign-in -------------------------------------------------------------------------------------------------------

@router.get("/login")
def login_page(request: Request, who: WhoDep) -> Response:
    if who:
        return RedirectResponse("/studio/videos", status_code=303)
    return page(request, "login.html", None, title="Sign in")


@router.post("/login")
def login(request: Request, fields: FormDep, session: SessionDep) -> Response:
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    row = find_key(session, fields.get("api_key", "").strip()) if fields.get("api_key", "").strip() else None
    if row is None:
        # 200, not 401: the form is shown again with its message (a 401 document is a console error in browsers)
        return page(request, "login.html", None, title="Sign in",
                    error="That API key is not valid (or has been revoked).")
    response = RedirectResponse("/studio/videos", status_code=303)
    auth.set_session_cookie(response, request, auth.make_session(secret(request), row.account_id, row.id))
    return response


@router.post("/logout")
async def logout(request: Request, fields: FormDep) -> Response:
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    response = RedirectResponse("/studio/login", status_code=303)
    auth.clear_session_cookie(response)
    return response


# --- create ----------------------------------------------------------------------------------------------------------

def _catalogue(session: Session, account_id: str, request: Request) -> dict[str, Any]:
    """Everything the create page picks from, as the API lists it."""
    services = services_of(request)
    presenters = [{"kind": "avatar", "id": a["avatar_id"], "name": a["avatar_name"], "image": a["preview_image_url"],
                   "group": "Illustrated presenters" if a["type"] == "illustrated" else "Built-in avatars",
                   "voice": a["default_voice_id"]} for a in (avatar_item(x, services) for x in all_avatars())]
    presenters += [{"kind": "avatar", "id": v["avatar_id"], "name": v["avatar_name"], "image": v["preview_image_url"],
                    "group": "Your video avatars", "voice": v["default_voice_id"]}
                   for v in (video_avatar_item(r, services)
                             for r in video_avatars.list_owned(session, account_id, True))]
    presenters += [{"kind": "talking_photo", "id": p["id"], "name": p["talking_photo_name"],
                    "image": p["preview_image_url"], "group": "Talking photos", "voice": None}
                   for p in talking_photos.list_photos(session, account_id, services)]
    voice_items = [{k: v[k] for k in ("voice_id", "name", "language", "gender", "preview_audio")}
                   for v in voices._items(services)]
    assets = [{"id": a.id, "name": a.name, "type": a.file_type, "url": services.url_for(a.storage_key)}
              for a in asset_rows.list_owned(session, account_id, ("image", "video"))]
    return {"presenters": presenters, "voices": voice_items, "assets": assets, "max_text": MAX_TEXT,
            "base_url": services.settings.public_base_url.rstrip("/")}


@router.get("/create")
def create_page(request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    data = _catalogue(session, who.account_id, request)
    return page(request, "create.html", who, title="Create video", active="create",
                catalogue=json.dumps(data).replace("</", "<\\/"),
                folders=folder_rows.list_by_name(session, who.account_id), max_text=MAX_TEXT)


# --- videos ----------------------------------------------------------------------------------------------------------

@router.get("/videos")
def videos_page(request: Request, who: WhoDep, session: SessionDep, q: str = "", folder: str = "") -> Response:
    if who is None:
        return to_login(request)
    stmt = repo.videos_query(who.account_id, folder or None, title_contains=q.strip())
    rows, _more = window(session, stmt, 0, 200)
    services = services_of(request)
    thumbs = {v.id: services.url_for((v.outputs or {}).get("thumbnail")) for v in rows}
    return page(request, "videos.html", who, title="Videos", active="videos", videos=rows, thumbs=thumbs, q=q,
                folder=folder, folders=folder_rows.list_by_name(session, who.account_id))


def _owned_video(session: Session, who: auth.StudioCaller, video_id: str) -> Video | None:
    return get_owned(session, Video, who.account_id, video_id)


def _not_found(request: Request, who: auth.StudioCaller, what: str) -> HTMLResponse:
    return page(request, "error.html", who, status_code=404, title="Not found", message=f"{what} not found.")


def _delete(request: Request, who: auth.StudioCaller | None, fields: dict[str, str], what: str, back: str,
            delete: Callable[[Caller], object]) -> Response:
    """A delete form: signed in, CSRF-checked, then the API's own delete for this caller (404 page if not theirs)."""
    if who is None:
        return to_login(request)
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    try:
        delete(_api_caller(who))
    except ApiError:
        return _not_found(request, who, what)
    return _saved(back)


@router.get("/videos/{video_id}")
def video_page(video_id: str, request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    video = _owned_video(session, who, video_id)
    if video is None:
        return _not_found(request, who, "Video")
    status = video_status(video, services_of(request))
    return page(request, "video.html", who, title=video.title or "Video", active="videos", video=video,
                status=status, status_json=json.dumps(status), request_json=json.dumps(video.request, indent=2))


@router.get("/videos/{video_id}/delete")
def confirm_delete_video(video_id: str, request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    video = _owned_video(session, who, video_id)
    if video is None:
        return _not_found(request, who, "Video")
    return page(request, "confirm.html", who, title="Delete video", active="videos",
                question=f"Delete the video “{video.title or video.id}” and all its files?",
                action=f"/studio/videos/{video.id}/delete", back="/studio/videos")


@router.post("/videos/{video_id}/delete")
def delete_video(video_id: str, request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    video = _owned_video(session, who, video_id)
    if video is None:
        return _not_found(request, who, "Video")
    repo.delete(session, video)
    services_of(request).storage.delete_prefix(f"videos/{video_id}")
    return _saved("/studio/videos?deleted=1")


# --- talking photos --------------------------------------------------------------------------------------------------

@router.get("/photos")
def photos_page(request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    services = services_of(request)
    rows = photo_rows.list_owned(session, who.account_id)
    session.commit()  # hand the connection back: a photo uploaded through the API has its landmarks made here
    photos = []
    for r in rows:
        lm = landmarks.load_or_make(services, r.image_key)
        photos.append({"id": r.id, "name": r.name, "url": services.url_for(r.image_key), "lm": lm,
                       "path": landmarks.svg_path(lm) if lm else "", "created_at": r.created_at})
    return page(request, "photos.html", who, title="Talking photos", active="photos", photos=photos)


@router.post("/photos/{photo_id}/delete")
def delete_photo(photo_id: str, request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    return _delete(request, who, fields, "Talking photo", "/studio/photos",
                   lambda caller: talking_photos.delete(photo_id, caller, session, services_of(request)))


# --- video avatars ---------------------------------------------------------------------------------------------------

@router.get("/avatars")
def avatars_page(request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    services = services_of(request)
    rows = [video_avatar_routes.video_avatar_view(r, services)
            for r in video_avatars.list_owned(session, who.account_id)]
    return page(request, "avatars.html", who, title="Video avatars", active="avatars", avatars=rows,
                settings=services.settings)


@router.post("/avatars/{avatar_id}/delete")
def delete_avatar(avatar_id: str, request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    return _delete(request, who, fields, "Video avatar", "/studio/avatars",
                   lambda caller: video_avatar_routes.delete_video_avatar(avatar_id, caller, session,
                                                                          services_of(request)))


# --- assets ----------------------------------------------------------------------------------------------------------

@router.get("/assets")
def assets_page(request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    services = services_of(request)
    rows = asset_rows.list_owned(session, who.account_id)
    return page(request, "assets.html", who, title="Assets", active="assets",
                assets=[assets_routes.asset_view(a, services) for a in rows])


@router.post("/assets/{asset_id}/delete")
def delete_asset(asset_id: str, request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    return _delete(request, who, fields, "Asset", "/studio/assets",
                   lambda caller: assets_routes.delete_asset(asset_id, caller, session, services_of(request)))


# --- folders ---------------------------------------------------------------------------------------------------------

@router.get("/folders")
def folders_page(request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    return page(request, "folders.html", who, title="Folders", active="folders",
                folders=[folder_view(f) for f in folder_rows.list_by_name(session, who.account_id)])


@router.post("/folders")
def create_folder(request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    name = fields.get("name", "").strip()[:300]
    problem = "A folder needs a name." if not name else (f"The name {why}." if (why := text_problem(name)) else "")
    if problem:  # form bodies are not JSON: the request guard does not look at their text, so it is checked here
        return page(request, "folders.html", who, status_code=400, title="Folders", active="folders",
                    error=problem, folders=[folder_view(f) for f in folder_rows.list_by_name(session, who.account_id)])
    folder_rows.create(session, who.account_id, name)
    return _saved("/studio/folders")


# --- webhooks --------------------------------------------------------------------------------------------------------

def _webhooks_data(session: Session, account_id: str) -> dict[str, Any]:
    return {"endpoints": endpoint_rows.list_endpoints(session, account_id),
            "deliveries": delivery_rows.recent(session, account_id, 50)}


def _webhooks_page(request: Request, who: auth.StudioCaller, data: dict[str, Any], status_code: int = 200,
                   **extra: Any) -> HTMLResponse:
    return page(request, "webhooks.html", who, status_code=status_code, title="Webhooks", active="webhooks",
                **data, **extra)


@router.get("/webhooks")
def webhooks_page(request: Request, who: WhoDep, session: SessionDep) -> Response:
    if who is None:
        return to_login(request)
    return _webhooks_page(request, who, _webhooks_data(session, who.account_id))


@router.post("/webhooks")
async def add_webhook(request: Request, who: WhoDep, fields: FormDep, services: ServicesDep) -> Response:
    """Async like the API route it calls (which checks the URL with an OPTIONS request, then stores the endpoint
    through `run_db`): no request session here, the page shown again on an error is read on a worker thread."""
    if who is None:
        return to_login(request)
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    url = fields.get("url", "").strip()
    try:
        if len(url) > webhook_routes.MAX_URL_CHARS or text_problem(url):
            raise ApiError(400, "invalid_parameter", f"The URL must be at most {webhook_routes.MAX_URL_CHARS} "
                           "characters, without control characters.")
        await webhook_routes.add(caller=_api_caller(who), services=services, url=url, events=None, entity_id=None)
    except ApiError as exc:
        data = await run_db(services, _webhooks_data, who.account_id)
        return _webhooks_page(request, who, data, status_code=400, error=exc.message, url=fields.get("url", ""))
    return _saved("/studio/webhooks")


@router.post("/webhooks/{endpoint_id}/delete")
def delete_webhook(endpoint_id: str, request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    return _delete(request, who, fields, "Webhook endpoint", "/studio/webhooks",
                   lambda caller: webhook_routes.delete_endpoint(endpoint_id=endpoint_id, caller=caller,
                                                                 session=session))


@router.post("/webhooks/{endpoint_id}/test")
def test_webhook(endpoint_id: str, request: Request, who: WhoDep, fields: FormDep, session: SessionDep) -> Response:
    """Queue a sample `avatar_video.success` event to one endpoint; it is delivered (and retried) like any other."""
    if who is None:
        return to_login(request)
    if not auth.csrf_ok(request, secret(request), fields.get("csrf")):
        return forbidden(request)
    endpoint = get_owned(session, WebhookEndpoint, who.account_id, endpoint_id)
    if endpoint is None:
        return _not_found(request, who, "Webhook endpoint")
    body = encode(SUCCESS, {"video_id": "test", "url": None, "callback_id": "studio-test", "gif_download_url": None,
                            "thumbnail_url": None, "video_share_page_url": None, "folder_id": None, "duration": 0,
                            "caption_url": None, "test": True})
    delivery_rows.create(session, who.account_id, endpoint.id, endpoint.url, SUCCESS, body)
    return _saved("/studio/webhooks")
