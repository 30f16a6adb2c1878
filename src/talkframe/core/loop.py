"""Background threads that poll for work: the embedded render workers, the Celery enqueuer, webhook delivery."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class PollingLoop:
    """`threads` daemon threads each call `tick(index)` until stopped.

    A tick that did work (returned True) is followed by another at once; otherwise the thread sleeps for
    `poll_seconds` or until `wake()`. An exception in a tick is logged and the loop goes on, so a database or
    broker hiccup never kills a worker.
    """

    name = "talkframe-loop"

    def __init__(self, poll_seconds: float, threads: int = 1) -> None:
        self.poll_seconds = poll_seconds
        self.thread_count = threads
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []

    def tick(self, index: int) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        for n in range(self.thread_count):
            t = threading.Thread(target=self._run, args=(n,), name=f"{self.name}-{n}", daemon=True)
            t.start()
            self._threads.append(t)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout)
        self._threads.clear()

    def _run(self, index: int) -> None:
        while not self._stop.is_set():
            try:
                if self.tick(index):
                    continue
            except Exception:  # noqa: BLE001 - keep going whatever one tick did
                log.exception("%s-%d: unexpected error", self.name, index)
                self._stop.wait(min(5.0, self.poll_seconds * 10))
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
