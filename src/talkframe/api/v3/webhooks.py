"""`/v3/webhooks`: endpoints (create, list, patch, delete, rotate-secret), event types and the event log.

Endpoints live in the v1 table marked `api_version = v3`: their deliveries carry v3 bodies and `Heygen-*` headers
(`talkframe.webhooks.v3`) and are durable like v1's (stored with the video's state change, retried for 24 h).
`whsec_` secrets are shown only on create and rotate.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from talkframe.api.body import json_object
from talkframe.api.deps import Caller, CallerDep, ServicesDep, SessionDep, run_db
from talkframe.api.routes.webhooks import _check_reachable
from talkframe.api.v3.errors import V3Error, invalid, not_found
from talkframe.api.v3.paging import Limit, listing, page_list, page_query, parse_limit
from talkframe.api.v3.routing import V3Route
from talkframe.api.v3.schemas import ERRORS, Data
from talkframe.core.errors import ApiError
from talkframe.core.ids import new_id
from talkframe.db import webhooks as repo
from talkframe.db.models import WebhookEndpoint
from talkframe.db.owned import get_owned
from talkframe.services import Services
from talkframe.webhooks.v3 import EVENT_TYPES, iso

router = APIRouter(tags=["v3 webhooks"], route_class=V3Route, responses=ERRORS)

_ENDPOINT_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["url"], "properties": {
        "url": {"type": "string", "description": "public http(s) URL; must answer an OPTIONS request"},
        "events": {"type": ["array", "null"], "items": {"type": "string", "enum": list(EVENT_TYPES)},
                   "description": "null or omitted: every event"},
        "entity_id": {"type": ["string", "null"]}}}}}}}
_PATCH_BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": {
    "type": "object", "properties": {
        "url": {"type": ["string", "null"]},
        "events": {"type": ["array", "null"], "items": {"type": "string", "enum": list(EVENT_TYPES)}}}}}}}}


def view(e: WebhookEndpoint, secret: str | None = None) -> dict[str, Any]:
    return {"endpoint_id": e.id, "url": e.url, "status": e.status, "created_at": iso(e.created_at),
            "events": e.events, "secret": secret}


def _url(body: dict[str, Any], required: bool) -> str | None:
    url = body.get("url")
    if url is None and not required:
        return None
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")) or len(url) > 4096:
        raise invalid("url", "url must be a public http or https URL")
    return url


def _events(body: dict[str, Any]) -> list[str] | None:
    events = body.get("events")
    if events is None:
        return None
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise invalid("events", "events must be a list of event types, or null for every event")
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        raise invalid("events", f"Unknown or unsupported event type(s): {', '.join(unknown)}; this server sends "
                      f"{', '.join(EVENT_TYPES)}")
    return list(dict.fromkeys(events)) or None


async def _reachable(url: str, services: Services) -> None:
    try:
        await _check_reachable(url, services)
    except ApiError as exc:
        raise invalid("url", exc.message) from exc


def _owned(session: Session, caller: Caller, endpoint_id: str) -> WebhookEndpoint:
    e = get_owned(session, WebhookEndpoint, caller.account_id, endpoint_id)
    if e is None or e.api_version != "v3":
        raise not_found("Webhook endpoint", endpoint_id, "not_found", "endpoint_id")
    return e


def _secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@router.post("/v3/webhooks/endpoints", summary="Register a webhook endpoint (the secret is shown once)",
             openapi_extra=_ENDPOINT_BODY, response_model=Data)
async def create(request: Request, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    body = await json_object(request)
    url = _url(body, required=True)
    events = _events(body)
    if body.get("entity_id") is not None and not isinstance(body["entity_id"], str):
        raise invalid("entity_id", "entity_id: Input should be a valid string")
    assert url is not None
    await _reachable(url, services)
    secret = _secret()
    e = await run_db(services, repo.create_endpoint, "ep_" + new_id()[:29], caller.account_id, url, secret, events,
                     "v3")
    return {"data": view(e, secret)}


@router.get("/v3/webhooks/endpoints", summary="List webhook endpoints (secrets are null)", response_model=None)
def list_endpoints(caller: CallerDep, session: SessionDep, limit: Limit = None,
                   token: str | None = None) -> dict[str, Any]:
    size = parse_limit(limit, 10, 100)
    rows, has_more, offset = page_query(session, repo.endpoints_query(caller.account_id, "v3"), size, token)
    return listing([view(e) for e in rows], has_more, offset, size)


@router.patch("/v3/webhooks/endpoints/{endpoint_id}", summary="Change an endpoint's url or events (replaced)",
              openapi_extra=_PATCH_BODY, response_model=Data)
async def patch(endpoint_id: str, request: Request, caller: CallerDep, services: ServicesDep) -> dict:
    current = (await run_db(services, _owned, caller, endpoint_id)).url
    body = await json_object(request, empty="{}")
    url = _url(body, required=False)
    events = _events(body) if "events" in body else None
    if url and url != current:
        await _reachable(url, services)

    def apply(session: Session) -> dict[str, Any]:
        e = _owned(session, caller, endpoint_id)
        if "events" in body:
            e.events = events
        e.url = url or e.url
        return view(e)

    return {"data": await run_db(services, apply)}


@router.delete("/v3/webhooks/endpoints/{endpoint_id}", summary="Delete a webhook endpoint", response_model=None)
def delete(endpoint_id: str, caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    session.delete(_owned(session, caller, endpoint_id))
    return {"data": {}, "error": None}  # the one v3 success schema with an `error` key


@router.post("/v3/webhooks/endpoints/{endpoint_id}/rotate-secret",
             summary="A new signing secret; the old one stops working at once", response_model=Data)
def rotate(endpoint_id: str, caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    e = _owned(session, caller, endpoint_id)
    e.secret = _secret()
    return {"data": {"endpoint_id": e.id, "secret": e.secret}}


@router.get("/v3/webhooks/event-types", summary="Event types this server sends", response_model=None)
def event_types(caller: CallerDep, limit: str | None = None, token: str | None = None) -> dict[str, Any]:
    size = parse_limit(limit, 100, 100)
    items = [{"event_type": k, "description": v} for k, v in EVENT_TYPES.items()]
    rows, has_more, offset = page_list(items, size, token)
    return listing(rows, has_more, offset, size)


@router.get("/v3/webhooks/events", summary="Events, newest first", response_model=None)
def events(caller: CallerDep, session: SessionDep, event_type: str | None = None, entity_id: str | None = None,
           limit: Limit = None, token: str | None = None) -> dict[str, Any]:
    size = parse_limit(limit, 10, 100)
    rows, has_more, offset = page_query(session, repo.events_query(caller.account_id, event_type, entity_id), size,
                                        token)
    return listing([{"event_id": r.id, "event_type": r.event_type, "event_data": r.event_data,
                     "created_at": iso(r.created_at)} for r in rows], has_more, offset, size)


__all__ = ["V3Error", "router"]
