"""Many pollers against a live `talkframe serve` with a deliberately small thread pool and database pool: every
request is answered (no deadlock between threads waiting for connections and connections waiting for threads).

Before the fix, 70 pollers against 40 threads and 15 pooled connections hung every request for 30 s."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import body, silent_scene
from tests.jobs.test_restart import _free_port, _wait_up

CLIENTS, SECONDS = 60, 3.0


async def _poll(base: str, key: str, video_id: str) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + SECONDS

    async def one_client(c: httpx.AsyncClient) -> None:
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                resp = await c.get("/v1/video_status.get", params={"video_id": video_id})
                if resp.status_code != 200:
                    errors.append(f"HTTP {resp.status_code}")
            except httpx.HTTPError as exc:
                errors.append(type(exc).__name__)
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, headers={"X-Api-Key": key}, timeout=10, limits=limits) as c:
        await asyncio.gather(*(one_client(c) for _ in range(CLIENTS)))
    return latencies, errors


def test_many_pollers_on_small_pools_all_get_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TALKFRAME_DATA_DIR": str(tmp_path / "data"), "TALKFRAME_PORT": str(port),
           "TALKFRAME_WORKERS": "0", "TALKFRAME_API_THREADS": "4"}
    proc = subprocess.Popen([sys.executable, "-m", "talkframe.cli", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        key = ""
        while not key.startswith("tf_"):
            key = proc.stdout.readline().strip()  # type: ignore[union-attr]
            assert key or proc.poll() is None, "server exited"
        proc.stdout.close()  # type: ignore[union-attr]
        _wait_up(port, proc)
        base = f"http://127.0.0.1:{port}"
        video_id = httpx.post(f"{base}/v2/video/generate", json=body(silent_scene()), headers={"X-Api-Key": key},
                              timeout=10).json()["data"]["video_id"]
        latencies, errors = asyncio.run(_poll(base, key, video_id))
        assert errors == []
        assert len(latencies) >= CLIENTS  # every client was answered (rates are for benchmarks/load.py)
        assert max(latencies) < 10.0  # nothing hung: the old deadlock held requests for 30 s
        assert httpx.get(f"{base}/health", timeout=5).status_code == 200
    finally:
        proc.kill()
        proc.wait(10)
