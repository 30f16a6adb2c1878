"""`GET /v3/users/me` (and the singular alias `/v3/user/me` one pricing page wrote)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from talkframe.api.deps import CallerDep, ServicesDep, SessionDep
from talkframe.api.limits import remaining_seconds
from talkframe.api.v3.routing import V3Route
from talkframe.api.v3.schemas import ERRORS, Data

router = APIRouter(tags=["v3 users"], route_class=V3Route, responses=ERRORS)


@router.get("/v3/users/me", summary="The calling account; its balance in credits (1 credit = 60 s of video)",
            response_model=Data)
@router.get("/v3/user/me", include_in_schema=False)
def me(caller: CallerDep, session: SessionDep, services: ServicesDep) -> dict[str, Any]:
    remaining = remaining_seconds(session, caller.account_id, services.settings)
    return {"data": {
        "username": caller.account_id, "email": None, "first_name": None, "last_name": None,
        "billing_type": "wallet",
        # null balance: no quota configured (TALKFRAME_QUOTA_SECONDS unset), i.e. unlimited
        "wallet": {"currency": "credits", "remaining_balance": None if remaining is None else remaining / 60,
                   "auto_reload": None},
        "subscription": None, "usage_based": None,
    }}
