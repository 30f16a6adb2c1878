"""The Celery application, configured from `TALKFRAME_*` settings (broker, result backend, queue).

Tasks are acknowledged only after they finish (`acks_late`) and handed back to the queue when the process running
them dies (`reject_on_worker_lost`); each worker holds one task at a time (`worker_prefetch_multiplier=1`), so a
long scene never blocks a second one queued behind it on the same busy worker.
"""

from __future__ import annotations

import functools

from celery import Celery

from talkframe.core.config import Settings, get_settings


def result_backend_url(settings: Settings) -> str:
    """Chords need results: the configured backend, else a Redis broker itself, else the database."""
    if settings.result_backend:
        return settings.result_backend
    broker = settings.broker_url or ""
    if broker.startswith(("redis://", "rediss://")):
        return broker
    return "db+" + settings.resolved_database_url


def make_celery(settings: Settings) -> Celery:
    app = Celery("talkframe", broker=settings.broker_url or "memory://", backend=result_backend_url(settings),
                 include=["talkframe.jobs.tasks"])
    transport = {"visibility_timeout": settings.broker_visibility_timeout}
    app.conf.update(
        task_default_queue=settings.queue_name,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=7 * 24 * 3600,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        broker_connection_retry_on_startup=True,
        worker_send_task_events=False,
        enable_utc=True,
    )
    return app


@functools.lru_cache(maxsize=1)
def get_celery() -> Celery:
    """The process's app, from the environment (API enqueuer, workers and tests share this one)."""
    return make_celery(get_settings())
