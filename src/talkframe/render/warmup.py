"""Pay the first video's one-off costs before it arrives: imports, the Piper voice, MediaPipe's graphs, the
built-in photo's rig.

A render worker (the embedded runner in `talkframe serve`, a Celery pool process) calls `start_warm_up` when it
starts. The work runs on a background thread, so the API answers at once; a job that starts meanwhile shares
what is being loaded (the Piper voice and the face analysis load under locks, never twice). The warm-up renders
one short real video of the built-in avatar at a tiny size, through the same stages a request takes, so every
cache a request fills (voice, face analysis, rig, encoder) is filled the same way; a failure only logs (the first
job then loads what it needs). The voice and the built-in rig come first; when a job has started by then (`busy`),
the tiny video is skipped, because the job itself now fills the rest and the video would only take the cores it
renders on (measured: the first 26 s 720p video posted as the API came up took 6.1-6.25 s instead of 6.45-6.5 s).
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)
WARM_UP_TEXT = "Hello."
DEFAULT_CANVAS = (1920, 1080)  # a request's size when it names none (HeyGen's default)


class WarmUp:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.seconds: float | None = None
        self._thread: threading.Thread | None = None

    def start(self, cache_dir: Path, busy: threading.Event | None = None) -> WarmUp:
        self._thread = threading.Thread(target=self._run, args=(cache_dir, busy), name="talkframe-warm-up",
                                        daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float | None = 120.0) -> bool:
        return self.done.wait(timeout)

    def _run(self, cache_dir: Path, busy: threading.Event | None) -> None:
        started = time.perf_counter()
        try:
            warm_up(cache_dir, busy)
            self.seconds = time.perf_counter() - started
            log.info("render worker warmed up in %.1f s (voice, face models, built-in rig)", self.seconds)
        except Exception:  # noqa: BLE001 - a failed warm-up only means the first video loads what it needs
            log.exception("warm-up failed; the first video will load its models itself")
        finally:
            self.done.set()


def start_warm_up(cache_dir: Path, busy: threading.Event | None = None) -> WarmUp:
    """Warm up on a background thread; `busy`, set by the worker when it starts a job, skips the tiny video."""
    return WarmUp().start(cache_dir, busy)


def warm_up(cache_dir: Path, busy: threading.Event | None = None) -> None:
    """Load the voice and the built-in photo's rigs for 720p and 1080p, then (unless `busy` is set by now) render
    a one-word video of the built-in avatar at 128x128 and throw it away."""
    from talkframe.avatar.catalog import BUILTIN_AVATAR_ID, astronaut_rgb
    from talkframe.avatar.talking_photo import rig_for
    from talkframe.render.avatar_stage import photo_display_scale
    from talkframe.render.pipeline import render_video
    from talkframe.request import Character, GenerateRequest
    from talkframe.resolve import LocalResolver
    from talkframe.voice.engines.piper import preload

    preload()
    photo = astronaut_rgb()
    for canvas in ((1280, 720), DEFAULT_CANVAS):  # clients' usual size, and HeyGen's default (supersampled here)
        rig_for(photo, display_scale=photo_display_scale(Character(), photo, canvas))
    if busy is not None and busy.is_set():
        return

    request = GenerateRequest.model_validate({
        "video_inputs": [{"character": {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID},
                          "voice": {"type": "text", "input_text": WARM_UP_TEXT}}],
        "dimension": {"width": 128, "height": 128},
    })
    with tempfile.TemporaryDirectory(prefix="talkframe-warm-up-") as tmp:
        render_video(request, LocalResolver(cache_dir), Path(tmp))
