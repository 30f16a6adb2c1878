"""Account endpoints: `GET /v2/user/remaining_quota` and `GET /v1/user/me`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from talkframe.api.deps import Caller, get_caller
from talkframe.api.envelope import v1, v2

router = APIRouter(tags=["user"])

# No quota is configured by default: report a large integer so strict clients (integers required) stay happy.
UNLIMITED = 2_147_483_647


@router.get("/v2/user/remaining_quota", summary="Remaining quota (seconds x 60 = credits)")
def remaining_quota(caller: Caller = Depends(get_caller)) -> dict[str, Any]:
    return v2({"remaining_quota": UNLIMITED,
               "details": {"api": UNLIMITED, "streaming_avatar": 0, "streaming_avatar_instance_quota": 0,
                           "seat": 1}})


@router.get("/v1/user/me", summary="The calling account")
def me(caller: Caller = Depends(get_caller)) -> dict[str, Any]:
    return {**v1({"username": caller.account_id, "email": None, "first_name": None, "last_name": None}),
            "msg": None}
