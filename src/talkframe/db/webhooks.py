"""Webhook endpoint rows (v1 and v3, told apart by `api_version`) and the v3 event log."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.db.models import WebhookEndpoint, WebhookEvent


def create_endpoint(session: Session, endpoint_id: str, account_id: str, url: str, secret: str,
                    events: list[str] | None, api_version: str = "v1") -> WebhookEndpoint:
    row = WebhookEndpoint(id=endpoint_id, account_id=account_id, url=url, secret=secret, events=events,
                          status="enabled", created_at=now(), api_version=api_version)
    session.add(row)
    session.flush()
    return row


def get_endpoint(session: Session, endpoint_id: str) -> WebhookEndpoint | None:
    return session.get(WebhookEndpoint, endpoint_id)


def endpoints_query(account_id: str, api_version: str | None = None) -> Select:
    """The account's endpoints, oldest first (optionally only one API version's)."""
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.account_id == account_id)
    if api_version is not None:
        stmt = stmt.where(WebhookEndpoint.api_version == api_version)
    return stmt.order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)


def list_endpoints(session: Session, account_id: str) -> list[WebhookEndpoint]:
    return list(session.scalars(endpoints_query(account_id)))


def enabled_endpoints(session: Session, account_id: str) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.account_id == account_id, WebhookEndpoint.status == "enabled")))


def secrets_of(session: Session, endpoint_ids: Iterable[str]) -> dict[str, str]:
    """Signing secret by endpoint id, for those of `endpoint_ids` that still exist."""
    rows = session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.id.in_(set(endpoint_ids))))
    return {e.id: e.secret for e in rows}


def record_event(session: Session, event_id: str, account_id: str, event_type: str, entity_id: str | None,
                 event_data: dict, created_at: float) -> None:
    session.add(WebhookEvent(id=event_id, account_id=account_id, event_type=event_type, entity_id=entity_id,
                             event_data=event_data, created_at=created_at))


def events_query(account_id: str, event_type: str | None = None, entity_id: str | None = None) -> Select:
    """The account's events, newest first (optionally of one type, or about one entity)."""
    stmt = select(WebhookEvent).where(WebhookEvent.account_id == account_id)
    if event_type:
        stmt = stmt.where(WebhookEvent.event_type == event_type)
    if entity_id:
        stmt = stmt.where(WebhookEvent.entity_id == entity_id)
    return stmt.order_by(WebhookEvent.created_at.desc(), WebhookEvent.id)
