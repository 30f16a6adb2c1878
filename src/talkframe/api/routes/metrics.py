"""Prometheus metrics: `GET /metrics` (queue depth, videos by status, and render timings rendered here)."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Gauge, generate_latest

from talkframe.api.deps import ServicesDep
from talkframe.db.session import session_scope
from talkframe.db.videos import count_by_status
from talkframe.jobs import render_metrics  # noqa: F401 - registers the render histograms
from talkframe.services import Services

log = logging.getLogger(__name__)
router = APIRouter(tags=["metrics"])

STATUSES = ("pending", "processing", "completed", "failed")
VIDEOS = Gauge("talkframe_videos", "Videos by status", ["status"])
QUEUE_DEPTH = Gauge("talkframe_queue_depth", "Render tasks waiting in the broker queue (scale-out), else pending "
                    "videos waiting for an embedded worker", ["queue"])


def broker_queue_depth(services: Services) -> int:
    """Messages waiting in the Celery queue (not those being rendered now)."""
    from talkframe.jobs.celery_app import get_celery

    with get_celery().connection_for_read() as conn:
        try:
            return conn.default_channel.queue_declare(queue=services.settings.queue_name, passive=True).message_count
        except conn.channel_errors:
            return 0  # not declared yet: no worker has started and nothing was sent


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
def metrics(services: ServicesDep) -> Response:
    with session_scope(services.db_url) as session:
        counts = count_by_status(session)
    for status in set(STATUSES) | set(counts):
        VIDEOS.labels(status).set(counts.get(status, 0))
    queue = services.settings.queue_name
    if services.settings.broker_url:
        try:
            QUEUE_DEPTH.labels(queue).set(broker_queue_depth(services))
        except Exception:  # noqa: BLE001 - an unreachable broker must not break the scrape
            log.warning("queue depth unavailable: broker unreachable", exc_info=True)
            QUEUE_DEPTH.labels(queue).set(float("nan"))
    else:
        QUEUE_DEPTH.labels("embedded").set(counts.get("pending", 0))
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
