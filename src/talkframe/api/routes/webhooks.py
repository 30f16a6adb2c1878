"""Webhook endpoints: add (checked with an OPTIONS request), list, update, delete, and the event list."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.envelope import v1
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db import webhooks as repo
from talkframe.db.models import WebhookEndpoint
from talkframe.db.owned import require_owned
from talkframe.services import Services
from talkframe.webhooks.events import EVENT_TYPES
from talkframe.webhooks.send import SendError, send

router = APIRouter(tags=["webhooks"])
MAX_URL_CHARS = 2048
Events = Annotated[list[str] | None, Body(embed=True)]


def endpoint_view(e: WebhookEndpoint, caller: Caller) -> dict[str, Any]:
    return {"endpoint_id": e.id, "url": e.url, "secret": e.secret, "status": e.status, "events": e.events,
            "username": caller.account_id, "created_at": int(e.created_at), "space_id": caller.account_id}


def _events(events: list[str] | None) -> list[str] | None:
    if not events:
        return None
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        raise ApiError(400, "invalid_parameter", f"Unknown event type(s): {', '.join(unknown)}; "
                       f"known: {', '.join(EVENT_TYPES)}")
    return list(dict.fromkeys(events))


async def _check_reachable(url: str, services: Services) -> None:
    """HeyGen validates a new endpoint with an OPTIONS request that must be answered quickly."""
    timeout = services.settings.webhook_validate_timeout_seconds
    try:
        reply = await run_in_threadpool(send, "OPTIONS", url, None, {}, services.fetch_policy(), timeout)
    except SendError as exc:
        raise ApiError(400, "invalid_parameter", f"The webhook URL could not be validated: {exc}") from exc
    if reply.status >= 400 and reply.status != 405:
        raise ApiError(400, "invalid_parameter",
                       f"The webhook URL answered the validation request with HTTP {reply.status}")


def _owned(session: Session, caller: Caller, endpoint_id: str) -> WebhookEndpoint:
    return require_owned(session, WebhookEndpoint, caller.account_id, endpoint_id,
                         ApiError(404, "endpoint_not_found", f"Webhook endpoint {endpoint_id} not found"))


@router.post("/v1/webhook/endpoint.add", summary="Register a webhook endpoint")
async def add(caller: CallerDep, services: ServicesDep,
              url: Annotated[str, Body(embed=True, max_length=MAX_URL_CHARS)], events: Events = None,
              entity_id: Annotated[str | None, Body(embed=True)] = None) -> dict:
    chosen = _events(events)
    await _check_reachable(url, services)
    e = await run_db(services, repo.create_endpoint, new_id(), caller.account_id, url, secrets.token_hex(24), chosen)
    return v1(endpoint_view(e, caller))


@router.get("/v1/webhook/endpoint.list", summary="List webhook endpoints")
def list_endpoints(caller: CallerDep, session: SessionDep) -> dict:
    return v1([endpoint_view(e, caller) for e in repo.list_endpoints(session, caller.account_id)])


@router.patch("/v1/webhook/endpoint.update", summary="Change a webhook endpoint's URL or events")
async def update_endpoint(caller: CallerDep, services: ServicesDep, endpoint_id: Annotated[str, Body(embed=True)],
                          url: Annotated[str | None, Body(embed=True, max_length=MAX_URL_CHARS)] = None,
                          events: Events = None) -> dict:
    current = (await run_db(services, _owned, caller, endpoint_id)).url
    chosen = _events(events)
    if url and url != current:
        await _check_reachable(url, services)

    def apply(session: Session) -> dict[str, Any]:
        e = _owned(session, caller, endpoint_id)
        e.url, e.events = url or e.url, chosen
        return endpoint_view(e, caller)

    return v1(await run_db(services, apply))


@router.delete("/v1/webhook/endpoint.delete", summary="Delete a webhook endpoint")
def delete_endpoint(caller: CallerDep, session: SessionDep, endpoint_id: Annotated[str, Query()]) -> dict:
    session.delete(_owned(session, caller, endpoint_id))
    return v1(None)


@router.delete("/v1/webhook/endpoint.delete/{endpoint_id}", summary="Delete a webhook endpoint (id in the path)")
def delete_endpoint_by_path(endpoint_id: str, caller: CallerDep, session: SessionDep) -> dict:
    """A real client sends the id as a path segment instead of the documented query parameter."""
    session.delete(_owned(session, caller, endpoint_id))
    return v1(None)


@router.get("/v1/webhook/webhook.list", summary="Event types a webhook can subscribe to")
def event_types(caller: CallerDep) -> dict:
    return {**v1(EVENT_TYPES), "msg": None}
