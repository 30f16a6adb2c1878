"""Sharing: `POST /v1/video/share` returns the URL of a small public page that plays the video."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.responses import HTMLResponse

from talkframe.api.deps import CallerDep, ServicesDep, SessionDep
from talkframe.api.envelope import v1
from talkframe.api.routes.videos import owned_video
from talkframe.core.errors import INVALID_VIDEO_ID, ApiError
from talkframe.db import videos as repo
from talkframe.sharing import share_url, valid_share

router = APIRouter(tags=["share"])


@router.post("/v1/video/share", summary="Public share link of a completed video")
def share(caller: CallerDep, session: SessionDep, services: ServicesDep,
          video_id: Annotated[str, Body(embed=True)]) -> dict:
    video = owned_video(session, caller, video_id)
    if video.status != "completed":
        raise ApiError(400, "video_not_ready", f"Video {video_id} is {video.status}; share it once it is completed",
                       INVALID_VIDEO_ID)
    # HeyGen's doc form: `data` is the URL string.
    return v1(share_url(services, video.id))


@router.get("/share/{video_id}", response_class=HTMLResponse, include_in_schema=False)
def share_page(video_id: str, session: SessionDep, services: ServicesDep, t: str = "") -> HTMLResponse:
    video = repo.get(session, video_id)
    if video is None or video.status != "completed" or not valid_share(services, video_id, t):
        return HTMLResponse("<!doctype html><title>Not found</title><p>This video is not available.</p>", 404)
    title = html.escape(video.title or "Video")
    src = html.escape(services.url_for(video.outputs.get("video")) or "")
    poster = html.escape(services.url_for(video.outputs.get("thumbnail")) or "")
    return HTMLResponse(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>
<style>body{{margin:0;background:#111;color:#eee;font:16px system-ui,sans-serif;display:flex;flex-direction:column;
align-items:center;justify-content:center;min-height:100vh}}video{{max-width:96vw;max-height:84vh}}</style></head>
<body><video controls playsinline preload="metadata" poster="{poster}" src="{src}"></video><h1>{title}</h1></body>
</html>""")
