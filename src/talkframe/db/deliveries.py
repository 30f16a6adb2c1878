"""Webhook delivery rows: one event to one receiver, stored before the first attempt, claimed by a lease."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.core.ids import new_id
from talkframe.db.models import WebhookDelivery


def create(session: Session, account_id: str, endpoint_id: str | None, url: str, event_type: str, body: str,
           api_version: str = "v1", at: float | None = None) -> WebhookDelivery:
    """A pending delivery, due at once (`at`: its creation time, now unless given)."""
    t = now() if at is None else at
    row = WebhookDelivery(id=new_id(), account_id=account_id, endpoint_id=endpoint_id, url=url,
                          event_type=event_type, body=body, status="pending", attempts=0, next_attempt_at=t,
                          created_at=t, api_version=api_version)
    session.add(row)
    return row


def get(session: Session, delivery_id: str) -> WebhookDelivery | None:
    return session.get(WebhookDelivery, delivery_id)


def claim_due(session: Session, lease_seconds: float, limit: int = 20) -> list[WebhookDelivery]:
    """Lease up to `limit` due, unleased pending deliveries for `lease_seconds` (one conditional UPDATE each, so
    concurrent dispatchers never take the same row); commits."""
    t = now()
    free = or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < t)
    ids = session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= t, free,
    ).order_by(WebhookDelivery.next_attempt_at).limit(limit)).all()
    claimed = []
    for delivery_id in ids:
        result = session.execute(update(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending", free,
        ).values(claimed_until=t + lease_seconds))
        if result.rowcount == 1:
            claimed.append(delivery_id)
    session.commit()
    return [session.get(WebhookDelivery, i, populate_existing=True) for i in claimed]


def recent(session: Session, account_id: str, limit: int = 50) -> list[WebhookDelivery]:
    return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.account_id == account_id)
                                .order_by(WebhookDelivery.created_at.desc()).limit(limit)))
