"""HeyGen's legacy streaming API (v1 envelope) over raw WebRTC: the server offers, the client answers.

    POST /v1/streaming.create_token   a short-lived token for browsers (sent as `Authorization: Bearer`)
    POST /v1/streaming.new            -> session_id + the server's SDP offer
    POST /v1/streaming.start          the client's SDP answer
    POST /v1/streaming.ice            a trickled client ICE candidate
    POST /v1/streaming.task           text to speak (task_type repeat; task_mode sync|async) -> duration_ms, task_id
    POST /v1/streaming.interrupt      stop speaking now, drop queued tasks
    POST /v1/streaming.keep_alive     reset the idle timer
    POST /v1/streaming.stop           end the session
    GET  /v1/streaming.list           the caller's live sessions
    GET  /v1/streaming/avatar.list    avatars that can stream

The sessions themselves (peer connections, tracks, the speaking queue) live in `talkframe.streaming`.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import time
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, get_caller, get_services
from talkframe.api.envelope import v1
from talkframe.avatar.catalog import (
    BUILTIN_AVATAR_ID,
    BUILTIN_PHOTOS,
    PHOTO_AVATARS,
    builtin_photo_path,
    find_avatar,
)
from talkframe.avatar.face import NoFaceError
from talkframe.core.errors import INVALID_PARAMETER, INVALID_TEXT_INPUT, MISSING_PARAMS, ApiError
from talkframe.db import talking_photos
from talkframe.db.models import TalkingPhoto
from talkframe.db.owned import get_owned
from talkframe.db.session import session_scope
from talkframe.media.photo import read_photo
from talkframe.services import Services
from talkframe.streaming import (
    LimitReached,
    LiveSession,
    SessionNotFound,
    SessionOptions,
    SessionStateError,
    StreamingSessions,
)
from talkframe.streaming.session import QUALITY, TaskQueueFull
from talkframe.streaming.speech import VoiceChoice

router = APIRouter(tags=["streaming"])
TOKEN_PREFIX = "tfs_"
MAX_TEXT = 5000
MAX_IDLE_TIMEOUT = 3600.0
DEFAULT_IDLE_TIMEOUT = 120.0


def sessions_of(app: Any) -> StreamingSessions:
    """The app's live sessions (made on first use, with the limits from settings)."""
    registry = getattr(app.state, "streaming", None)
    if registry is None:
        s = app.state.services.settings
        registry = app.state.streaming = StreamingSessions(
            s.streaming_max_sessions, s.streaming_max_sessions_per_account, s.streaming_start_timeout_seconds)
    return registry


# --- tokens --------------------------------------------------------------------------------------------------------

def make_token(secret: bytes, caller: Caller, ttl: int) -> str:
    body = base64.urlsafe_b64encode(json.dumps({"a": caller.account_id, "k": caller.key_id,
                                                "e": int(time.time()) + ttl}).encode()).decode().rstrip("=")
    sig = hmac.new(secret, b"streaming:" + body.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{TOKEN_PREFIX}{body}.{sig}"


def read_token(secret: bytes, token: str) -> Caller | None:
    if not token.startswith(TOKEN_PREFIX) or "." not in token:
        return None
    body, sig = token[len(TOKEN_PREFIX):].rsplit(".", 1)
    good = hmac.new(secret, b"streaming:" + body.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(sig, good):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    return Caller(data["a"], data["k"]) if data.get("e", 0) > time.time() else None


async def streaming_caller(request: Request, services: Annotated[Services, Depends(get_services)]) -> Caller:
    """The caller from a streaming token (`Authorization: Bearer tfs_...`) or, as everywhere else, an API key."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip().startswith(TOKEN_PREFIX):
        caller = read_token(services.secret, auth[7:].strip())
        if caller is not None:
            return caller
    return await get_caller(request, services)


StreamingCaller = Annotated[Caller, Depends(streaming_caller)]
ServicesDep = Annotated[Services, Depends(get_services)]


# --- helpers -------------------------------------------------------------------------------------------------------

def _required(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if value is None or value == "":
        raise ApiError(400, "missing_parameter", f"{name} is required", v1_code=MISSING_PARAMS)
    return value


def _session(request: Request, body: dict[str, Any], caller: Caller) -> LiveSession:
    session_id = _required(body, "session_id")
    try:
        return sessions_of(request.app).get(str(session_id), caller.account_id)
    except SessionNotFound as exc:
        raise ApiError(404, "session_not_found", str(exc), v1_code=INVALID_PARAMETER) from exc


def _photo_rgb(services: Services, account_id: str, avatar_id: str) -> np.ndarray:
    """The photo behind a streamable avatar id: a built-in photo avatar or photo, or one of the account's photos."""
    if avatar_id in PHOTO_AVATARS:
        avatar_id = PHOTO_AVATARS[avatar_id].photo_id or ""
    if avatar_id in BUILTIN_PHOTOS:
        path = builtin_photo_path(avatar_id, services.settings.cache_dir)
    else:
        with session_scope(services.db_url) as session:
            row = get_owned(session, TalkingPhoto, account_id, avatar_id)
            if row is None:
                entry = find_avatar(avatar_id)
                why = "is not available for streaming (photo avatars and talking photos stream)" if entry else \
                    "not found"
                raise ApiError(400, "avatar_not_found", f"Avatar {avatar_id} {why}", v1_code=INVALID_PARAMETER)
            path = services.storage.path(row.image_key)
    return read_photo(path)


def _options(body: dict[str, Any], services: Services) -> SessionOptions:
    settings = services.settings
    quality = str(body.get("quality") or "medium").lower()
    if quality not in QUALITY:
        raise ApiError(400, "invalid_parameter", "quality must be one of high, medium, low")
    encoding = str(body.get("video_encoding") or "VP8").upper()
    if encoding not in ("VP8", "H264"):
        raise ApiError(400, "invalid_parameter", "video_encoding must be VP8 or H264")
    if str(body.get("version") or "v1").lower() not in ("v1", ""):
        raise ApiError(400, "invalid_parameter", "Only the raw WebRTC flow (version v1: the server sends an SDP "
                       "offer) is served; LiveKit (v2) is not")
    voice = body.get("voice") or {}
    if not isinstance(voice, dict):
        raise ApiError(400, "invalid_parameter", "voice must be an object")
    try:
        rate = float(voice.get("rate") or 1.0)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, "invalid_parameter", "voice.rate must be a number") from exc
    voice_id = voice.get("voice_id") or None
    if voice_id is not None:
        from talkframe.voice import voice_exists

        if not voice_exists(str(voice_id)):
            raise ApiError(400, "invalid_parameter", f"Voice {voice_id} not found")
    if body.get("disable_idle_timeout"):
        idle = MAX_IDLE_TIMEOUT
    else:
        try:
            idle = float(body.get("activity_idle_timeout") or DEFAULT_IDLE_TIMEOUT)
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "invalid_parameter", "activity_idle_timeout must be a number of seconds") from exc
        low = settings.streaming_min_idle_timeout_seconds
        if not low <= idle <= MAX_IDLE_TIMEOUT:
            raise ApiError(400, "invalid_parameter", f"activity_idle_timeout must be between {low:g} and "
                           f"{MAX_IDLE_TIMEOUT:g} seconds")
    return SessionOptions(avatar_id="", quality=quality, video_encoding=encoding,
                          voice=VoiceChoice(voice_id, min(1.5, max(0.5, rate)), voice.get("emotion") or None),
                          idle_timeout=idle, ice_servers=ice_servers(services))


def ice_servers(services: Services) -> tuple[dict[str, Any], ...]:
    """The configured STUN/TURN servers, as both ends of the session use them (HeyGen's `ice_servers2`)."""
    s = services.settings
    urls = [u.strip() for u in s.streaming_ice_servers.split(",") if u.strip()]
    if not urls:
        return ()
    server: dict[str, Any] = {"urls": urls}
    if s.streaming_turn_username:
        server["username"] = s.streaming_turn_username
        server["credential"] = s.streaming_turn_credential or ""
    return (server,)


# --- routes --------------------------------------------------------------------------------------------------------

@router.post("/v1/streaming.create_token", summary="A short-lived token for a browser to call the streaming API")
async def create_token(caller: Annotated[Caller, Depends(get_caller)], services: ServicesDep) -> dict:
    """Only an API key makes tokens: a token cannot renew itself."""
    return v1({"token": make_token(services.secret, caller, services.settings.streaming_token_ttl_seconds)})


@router.post("/v1/streaming.new", summary="Create a live session: its id and the server's SDP offer")
async def new_session(request: Request, caller: StreamingCaller, services: ServicesDep) -> dict:
    body = await json_object(request, empty="{}")
    avatar_id = str(body.get("avatar_id") or body.get("avatar_name") or BUILTIN_AVATAR_ID)
    options = _options(body, services)
    rgb = await run_in_threadpool(_photo_rgb, services, caller.account_id, avatar_id)
    options = dataclasses.replace(options, avatar_id=avatar_id)
    try:
        session, offer = await sessions_of(request.app).create(caller.account_id, options, rgb)
    except LimitReached as exc:
        raise ApiError(429, "concurrent_limit", str(exc), v1_code=429, headers={"Retry-After": "10"}) from exc
    except NoFaceError as exc:
        raise ApiError(400, "no_face_found", f"Avatar {avatar_id}: no face found in its photo") from exc
    servers = list(options.ice_servers)
    return v1({"session_id": session.session_id, "sdp": offer, "ice_servers": [u for s in servers for u in s["urls"]],
               "ice_servers2": servers,
               "access_token": "", "url": "", "realtime_endpoint": "", "is_paid": True,
               "session_duration_limit": int(options.idle_timeout), "video_size": list(session.size),
               "bitrate": QUALITY[options.quality][1]})


@router.post("/v1/streaming.start", summary="Start a session with the client's SDP answer")
async def start(request: Request, caller: StreamingCaller) -> dict:
    body = await json_object(request, empty="{}")
    session = _session(request, body, caller)
    sdp = body.get("sdp")
    if not isinstance(sdp, dict) or not sdp.get("sdp"):
        raise ApiError(400, "missing_parameter", "sdp is required: the client's answer {type, sdp}",
                       v1_code=MISSING_PARAMS)
    try:
        await session.start(sdp)
    except SessionStateError as exc:
        raise ApiError(400, "invalid_state", str(exc)) from exc
    except ValueError as exc:
        raise ApiError(400, "invalid_parameter", f"sdp is not a valid answer: {exc}") from exc
    return v1(None)


@router.post("/v1/streaming.ice", summary="Add a trickled ICE candidate of the client")
async def ice(request: Request, caller: StreamingCaller) -> dict:
    body = await json_object(request, empty="{}")
    session = _session(request, body, caller)
    candidate = body.get("candidate")
    if not isinstance(candidate, dict):
        raise ApiError(400, "missing_parameter", "candidate is required: {candidate, sdpMid, sdpMLineIndex}",
                       v1_code=MISSING_PARAMS)
    try:
        await session.add_ice(candidate)
    except (ValueError, IndexError) as exc:
        raise ApiError(400, "invalid_parameter", f"candidate is not a valid ICE candidate: {exc}") from exc
    return v1(None)


@router.post("/v1/streaming.task", summary="Speak text (task_type repeat); sync waits until it has been spoken")
async def task(request: Request, caller: StreamingCaller) -> dict:
    body = await json_object(request, empty="{}")
    session = _session(request, body, caller)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "invalid_text", "text is required and must not be empty", v1_code=INVALID_TEXT_INPUT)
    if len(text) > MAX_TEXT:
        raise ApiError(400, "invalid_text", f"text must be at most {MAX_TEXT} characters",
                       v1_code=INVALID_TEXT_INPUT)
    task_type = str(body.get("task_type") or "repeat").lower()
    if task_type != "repeat":
        raise ApiError(400, "invalid_parameter", "task_type talk needs a language model, which is not served; "
                       "use repeat")
    mode = str(body.get("task_mode") or "sync").lower()
    if mode not in ("sync", "async"):
        raise ApiError(400, "invalid_parameter", "task_mode must be sync or async")
    try:
        live = session.submit(text)
    except SessionStateError as exc:
        raise ApiError(400, "session_not_started", str(exc)) from exc
    except TaskQueueFull as exc:
        raise ApiError(429, "too_many_tasks", str(exc), v1_code=429, headers={"Retry-After": "1"}) from exc
    if mode == "async":
        return v1({"duration_ms": session.estimated_ms(text), "task_id": live.task_id})
    await live.done.wait()
    return v1({"duration_ms": live.spoken_ms, "task_id": live.task_id})


@router.post("/v1/streaming.interrupt", summary="Stop speaking now and drop the queued tasks")
async def interrupt(request: Request, caller: StreamingCaller) -> dict:
    body = await json_object(request, empty="{}")
    _session(request, body, caller).interrupt()
    return v1(None)


@router.post("/v1/streaming.keep_alive", summary="Reset the session's idle timer")
async def keep_alive(request: Request, caller: StreamingCaller) -> dict:
    body = await json_object(request, empty="{}")
    _session(request, body, caller).touch()
    return v1(None)


@router.post("/v1/streaming.stop", summary="End a session and free its resources")
async def stop(request: Request, caller: StreamingCaller) -> dict:
    body = await json_object(request, empty="{}")
    await _session(request, body, caller).close("stopped by the client")
    return v1(None)


@router.get("/v1/streaming.list", summary="The caller's live sessions")
async def list_sessions(request: Request, caller: StreamingCaller) -> dict:
    sessions = sorted(sessions_of(request.app).live(caller.account_id), key=lambda s: s.created_at)
    return v1({"sessions": [{"session_id": s.session_id, "status": s.status, "created_at": int(s.created_at),
                             "stats": s.stats()} for s in sessions]})


def streamable_avatars(services: Services, account_id: str) -> list[dict[str, Any]]:
    with session_scope(services.db_url) as session:
        photos = [(p.id, p.created_at) for p in talking_photos.list_owned(session, account_id)]
    out = [{"avatar_id": a.avatar_id, "created_at": 0, "is_public": True, "status": "ACTIVE"}
           for a in PHOTO_AVATARS.values()]
    out += [{"avatar_id": pid, "created_at": 0, "is_public": True, "status": "ACTIVE"} for pid in BUILTIN_PHOTOS]
    out += [{"avatar_id": pid, "created_at": int(created or 0), "is_public": False, "status": "ACTIVE"}
            for pid, created in photos]
    return out


@router.get("/v1/streaming/avatar.list", summary="Avatars that can stream: photo avatars and talking photos")
async def avatar_list(caller: StreamingCaller, services: ServicesDep) -> dict:
    return v1(await run_in_threadpool(streamable_avatars, services, caller.account_id))
