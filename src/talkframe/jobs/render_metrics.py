"""Prometheus series recorded where rendering happens (the API process when embedded, each Celery worker else)."""

from __future__ import annotations

from prometheus_client import Histogram

_SECONDS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600)
_RTF = (0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32)

RENDER_SECONDS = Histogram("talkframe_render_seconds", "Compute seconds spent rendering, by step "
                           "(video: a whole video on one machine; scene, join: the scale-out steps)",
                           ["step"], buckets=_SECONDS)
RENDER_RTF = Histogram("talkframe_render_rtf", "Real-time factor: render seconds per second of video, by step",
                       ["step"], buckets=_RTF)


def observe(step: str, seconds: float, video_seconds: float) -> None:
    """Record one render step (`video`, `scene` or `join`) that produced `video_seconds` of video."""
    RENDER_SECONDS.labels(step).observe(seconds)
    if video_seconds > 0:
        RENDER_RTF.labels(step).observe(seconds / video_seconds)
