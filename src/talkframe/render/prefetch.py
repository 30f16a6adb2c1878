"""Run an iterator a few items ahead on its own thread: speech is synthesised while earlier sentences are drawn.

Piper (onnxruntime), like x264 and most NumPy/OpenCV work, releases the GIL, so the next sentence is synthesised
on another core while this thread draws and composes frames of the previous ones. The queue is bounded, so at most
`depth` pieces wait in memory however long the script is.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
_END = object()


class Prefetch(Generic[T]):
    """Iterate `items` on a worker thread, at most `depth` items ahead; errors are raised where the item would
    have been. `close` (or leaving a `with` block) stops the worker after its current item."""

    def __init__(self, items: Iterator[T], depth: int = 2, name: str = "talkframe-prefetch") -> None:
        self._items = items
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def __iter__(self) -> Prefetch[T]:
        return self

    def __next__(self) -> T:
        item, error = self._queue.get()
        if error is not None:
            raise error
        if item is _END:
            self._queue.put((_END, None))  # stay exhausted
            raise StopIteration
        return item

    def _run(self) -> None:
        try:
            for item in self._items:
                if not self._put((item, None)):
                    return
            self._put((_END, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consuming thread
            self._put((None, exc))

    def _put(self, entry: tuple) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        close = getattr(self._items, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> Prefetch[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
