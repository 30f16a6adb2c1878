"""Durable, at-least-once webhook delivery.

A delivery row is written in the same transaction that marks the video completed or failed, before any attempt,
so no crash or restart can lose it. A dispatcher sends due rows; a 2xx answer marks them delivered, anything else
(error status, timeout, refused connection) schedules a retry with exponential backoff and +-20% jitter:

    attempt n failed -> wait base * 3**(n-1) seconds (base 10 s: 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min,
    40.5 min, then 1 h), at most `max_attempts` (8) attempts in all, then the row ends `failed` with its last error.

Registered endpoints get the body signed (hex HMAC-SHA256 of the exact body under the endpoint's secret, sent as
both `Signature` and `X-HeyGen-Signature`); a video's own `callback_url` gets the same body unsigned.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talkframe.core.clock import now
from talkframe.core.loop import PollingLoop
from talkframe.db import deliveries
from talkframe.db import webhooks as endpoints_db
from talkframe.db.models import Video, WebhookDelivery
from talkframe.db.session import session_scope
from talkframe.media.fetch import FetchPolicy
from talkframe.services import Services
from talkframe.sharing import share_url
from talkframe.webhooks import v3 as webhooks_v3
from talkframe.webhooks.events import video_events
from talkframe.webhooks.send import SendError, send

log = logging.getLogger(__name__)
LEASE_SECONDS = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 10.0
    factor: float = 3.0
    cap_seconds: float = 3600.0
    max_attempts: int = 8
    jitter: float = 0.2
    timeout_seconds: float = 10.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed attempt."""
        raw = min(self.cap_seconds, self.base_seconds * self.factor ** (attempts - 1))
        return raw * (1 + random.uniform(-self.jitter, self.jitter))


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def enqueue_video_events(session: Session, video: Video, services: Services) -> int:
    """Store deliveries of this video's events to its account's endpoints and its `callback_url`."""
    endpoints = endpoints_db.enabled_endpoints(session, video.account_id)
    t = now()
    count = 0
    share = share_url(services, video.id)
    v3_callback = webhooks_v3.is_v3_video(video)
    for version, events in (("v1", video_events(video, services, share)),
                            ("v3", webhooks_v3.record_events(session, video, services, share))):
        targets_of_version = [e for e in endpoints if (e.api_version or "v1") == version]
        for event_type, body in events:
            targets = [(e.id, e.url) for e in targets_of_version if not e.events or event_type in e.events]
            if video.callback_url and event_type.startswith("avatar_video.") and v3_callback == (version == "v3"):
                targets.append((None, video.callback_url))
            for endpoint_id, url in targets:
                deliveries.create(session, video.account_id, endpoint_id, url, event_type, body, version, at=t)
                count += 1
    return count


def _attempt(delivery: WebhookDelivery, secret: str | None, policy: FetchPolicy,
             retry: RetryPolicy) -> tuple[int | None, str | None, bool]:
    """(HTTP status, error, final): a refused URL is final, retrying it cannot succeed."""
    body = delivery.body.encode()
    headers = {"Content-Type": "application/json"}
    signature = sign(secret, body) if secret is not None else None
    if signature is not None:
        headers["Signature"] = signature
        headers["X-HeyGen-Signature"] = signature
    if delivery.api_version == "v3":
        headers.update(webhooks_v3.headers(delivery.body, signature))
    try:
        reply = send("POST", delivery.url, body, headers, policy, retry.timeout_seconds)
    except SendError as exc:
        return None, str(exc), exc.refused
    if 200 <= reply.status < 300:
        return reply.status, None, False
    return reply.status, f"HTTP {reply.status}: {reply.body[:200].decode(errors='replace')}", False


def deliver_due(services: Services, policy: FetchPolicy, retry: RetryPolicy) -> int:
    """Attempt every due delivery once; returns how many were attempted."""
    with session_scope(services.db_url) as session:
        due = deliveries.claim_due(session, LEASE_SECONDS)
        secrets = endpoints_db.secrets_of(session, (d.endpoint_id for d in due if d.endpoint_id))
    for delivery in due:
        if delivery.endpoint_id is not None and delivery.endpoint_id not in secrets:
            status, error = None, "webhook endpoint was deleted"
            final = True
        else:
            status, error, final = _attempt(delivery, secrets.get(delivery.endpoint_id or ""), policy, retry)
        with session_scope(services.db_url) as session:
            row = deliveries.get(session, delivery.id)
            if row is None:
                continue
            row.attempts += 1
            row.last_status_code, row.claimed_until = status, None
            if error is None:
                row.status, row.delivered_at, row.last_error = "delivered", now(), None
            else:
                row.last_error = error
                v3_window = row.api_version == "v3" and webhooks_v3.keep_retrying(row.created_at)
                if final or (row.attempts >= retry.max_attempts and not v3_window):
                    row.status = "failed"
                    log.warning("webhook %s to %s gave up after %d attempts: %s", row.id, row.url, row.attempts,
                                error)
                else:
                    row.next_attempt_at = now() + retry.delay(row.attempts)
    return len(due)


class WebhookDispatcher(PollingLoop):
    """A background thread that delivers due webhooks; wake it when new deliveries are stored."""

    name = "talkframe-webhooks"

    def __init__(self, services: Services, policy: FetchPolicy, retry: RetryPolicy, poll_seconds: float = 1.0):
        super().__init__(poll_seconds)
        self.services, self.policy, self.retry = services, policy, retry

    def tick(self, index: int) -> bool:
        return deliver_due(self.services, self.policy, self.retry) > 0


def build_dispatcher(services: Services) -> WebhookDispatcher:
    """The dispatcher configured from settings (retry schedule, timeouts, private-host allow-list)."""
    s = services.settings
    retry = RetryPolicy(base_seconds=s.webhook_retry_base_seconds, max_attempts=s.webhook_max_attempts,
                        timeout_seconds=s.webhook_timeout_seconds)
    poll = min(1.0, s.poll_interval_seconds * 4)
    return WebhookDispatcher(services, services.fetch_policy(), retry, poll_seconds=poll)
