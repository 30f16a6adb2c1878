"""`talkframe worker`: one Celery render worker (prefork: a crashed render loses only its own scene)."""

from __future__ import annotations

import logging
import os
import sys
import tempfile

log = logging.getLogger(__name__)


def _serve_metrics(port: int) -> None:
    """Expose every pool process's series on one port (Prometheus multiprocess mode)."""
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    start_http_server(port, registry=registry)


def run_worker(concurrency: int = 1, hostname: str | None = None, loglevel: str = "INFO",
               metrics_port: int | None = None) -> int:
    """Migrate, make sure the bucket exists, then consume the render queue until stopped."""
    if metrics_port is not None and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # must be set before prometheus_client is first imported, in this process and the pool's
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="talkframe-metrics-")

    from talkframe.core.config import get_settings
    from talkframe.services import build_services

    settings = get_settings()
    if not settings.broker_url:
        print("error: set TALKFRAME_BROKER_URL (redis://... or amqp://...) to run a worker", file=sys.stderr)
        return 2
    build_services(settings)  # migrations and the bucket, once, before the pool starts
    if metrics_port is not None:
        _serve_metrics(metrics_port)

    from talkframe.jobs.tasks import app

    argv = ["worker", "--queues", settings.queue_name, "--concurrency", str(concurrency), "--pool", "prefork",
            "--loglevel", loglevel, "--without-gossip", "--without-mingle"]
    if hostname:
        argv += ["--hostname", hostname]
    app.worker_main(argv)
    return 0
