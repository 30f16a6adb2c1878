"""`talkframe serve`'s render workers in a child process, so a render never holds the API's GIL.

A render is mostly NumPy, OpenCV and x264 (which release the GIL) but also a good deal of per-frame Python; in the
API's process that Python competes with the event loop, and pollers wait for it. In a child process the API
answers at its own pace, and the child runs at a lower CPU priority, so pollers are answered first when the
machine is busy. The child is the same `EmbeddedRunner` (database claims, heartbeats, recovery), so nothing
about queueing or restarts changes: it dies with its parent (PR_SET_PDEATHSIG), and a video it was rendering is
re-queued on the next start, like one of a killed `serve`.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event

from talkframe.core.config import Settings

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
RENDER_NICENESS = 10


class RenderProcess:
    """Start/stop/wake like the in-process runner, for `create_app`'s background list. `on_finished(video_id)` is
    called in this process as soon as the child has finished a video (completed or failed), so the API can show
    the new status and deliver its webhook at once rather than at its next poll of the database."""

    def __init__(self, settings: Settings, workers: int,
                 on_finished: Callable[[str], None] | None = None) -> None:
        self.settings, self.workers, self.on_finished = settings, workers, on_finished
        ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks copied from the API
        self._ctx = ctx
        self._wake: Event = ctx.Event()
        self._stop: Event = ctx.Event()
        self._finished: Queue = ctx.Queue()
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._relay: threading.Thread | None = None

    def start(self) -> None:
        """Start the child (once: `serve` starts it before importing the API, so both start up side by side)."""
        if self._proc is not None:
            return
        self._proc = self._ctx.Process(target=run_child, name="talkframe-render", daemon=True,
                                       args=(self.settings, self.workers, os.getpid(), self._wake, self._stop,
                                             self._finished))
        self._proc.start()
        self._relay = threading.Thread(target=self._relay_finished, name="talkframe-render-finished", daemon=True)
        self._relay.start()

    def _relay_finished(self) -> None:
        while not self._stop.is_set():
            try:
                video_id = self._finished.get(timeout=0.5)
            except queue.Empty:
                continue
            except (EOFError, OSError):  # the child is gone
                return
            if self.on_finished is not None:
                try:
                    self.on_finished(video_id)
                except Exception:  # noqa: BLE001 - a listener's failure must not stop the relay
                    log.exception("on_finished(%s) failed", video_id)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._proc is not None:
            self._proc.join(timeout)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join(5)


def _die_with_parent(parent_pid: int) -> None:
    with contextlib.suppress(OSError):  # not Linux: the daemon flag and stop() still end it on a clean exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def run_child(settings: Settings, workers: int, parent_pid: int, wake: Event, stop: Event,
              finished: Queue | None = None) -> None:
    """The child's main: an `EmbeddedRunner` woken by the API's submissions, until told to stop; the id of each
    video it finishes is put on `finished`."""
    _die_with_parent(parent_pid)
    os.nice(RENDER_NICENESS)  # batch work yields the CPU to the API's answers (interactive) when both want it
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from talkframe.jobs.runner import EmbeddedRunner
    from talkframe.services import build_services

    runner = EmbeddedRunner(build_services(settings, migrated=True), workers, settings.poll_interval_seconds,
                            on_finished=None if finished is None else finished.put)
    runner.start()
    try:
        while not stop.is_set():
            if wake.wait(1.0):
                wake.clear()
                runner.wake()
    finally:
        runner.stop()
