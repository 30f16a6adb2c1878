"""The studio's Live page: a streaming session in the browser (WebRTC), fed text and interrupted from the page.

The page is a plain client of the public streaming API: it gets a short-lived streaming token (as HeyGen's
`streaming.create_token` gives one) and calls `/v1/streaming.*` with it, exactly as a customer's page would."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from talkframe.api.deps import Caller
from talkframe.api.routes.streaming import make_token, streamable_avatars
from talkframe.studio.web import WhoDep, page, services_of, to_login

router = APIRouter(prefix="/studio", include_in_schema=False)


@router.get("/live")
async def live_page(request: Request, who: WhoDep) -> Response:
    if who is None:
        return to_login(request)
    services = services_of(request)
    token = make_token(services.secret, Caller(who.account_id, who.key_id),
                       services.settings.streaming_token_ttl_seconds)
    avatars = await run_in_threadpool(streamable_avatars, services, who.account_id)
    return page(request, "live.html", who, title="Live", active="live", token=token, avatars=avatars)
