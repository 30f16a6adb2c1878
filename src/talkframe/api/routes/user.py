"""Account endpoints: `GET /v2/user/remaining_quota` and `GET /v1/user/me`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from talkframe.api.deps import CallerDep, ServicesDep, SessionDep
from talkframe.api.envelope import v1, v2
from talkframe.api.limits import remaining_seconds

router = APIRouter(tags=["user"])

# No quota is configured by default: report a large integer, since strict clients require integers.
UNLIMITED = 2_147_483_647


@router.get("/v2/user/remaining_quota", summary="Remaining quota in seconds of video (credits = quota / 60)")
def remaining_quota(caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    remaining = remaining_seconds(session, caller.account_id, services.settings)
    quota = UNLIMITED if remaining is None else remaining
    return v2({"remaining_quota": quota,
               "details": {"api": quota, "streaming_avatar": 0, "streaming_avatar_instance_quota": 0, "seat": 1}})


@router.get("/v1/user/me", summary="The calling account")
def me(caller: CallerDep) -> dict[str, Any]:
    return {**v1({"username": caller.account_id, "email": None, "first_name": None, "last_name": None}),
            "msg": None}
