"""Every v3 router under one, registered once by the application."""

from __future__ import annotations

from fastapi import APIRouter

from talkframe.api.v3 import assets, avatars, users, videos, voices, webhooks

router = APIRouter()
for module in (videos, voices, avatars, assets, users, webhooks):
    router.include_router(module.router)
