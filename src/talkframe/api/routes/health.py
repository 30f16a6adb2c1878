"""Liveness and queue depth."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from talkframe import __version__
from talkframe.api.deps import SessionDep
from talkframe.db.videos import count_by_status

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service health and videos by status")
def health(session: SessionDep) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "videos": count_by_status(session)}
