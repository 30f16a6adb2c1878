"""Time as the API reports it: integer unix seconds."""

from __future__ import annotations

import time


def now() -> float:
    return time.time()


def unix_seconds() -> int:
    return int(time.time())
