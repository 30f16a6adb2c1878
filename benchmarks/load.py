"""Polling load against a live `talkframe serve` on loopback, while a render runs.

N clients, each on its own keep-alive connection, poll `GET /v1/video_status.get` (or v3's `GET /v3/videos/{id}`
with `--route v3`) (every `--interval` seconds, with
random phase, or back to back with `--interval 0`) for `--seconds`, while the server's embedded worker renders a
long video. Each client polls its own video, as HeyGen's clients do (`--videos 1`: all poll the one rendering); the
other videos wait in the queue behind the render. Reports requests/s, p50/p99/max latency and errors, then checks
that the render still completes.

    .venv/bin/python benchmarks/load.py --db sqlite --clients 500 --interval 2 --seconds 30
    .venv/bin/python benchmarks/load.py --db postgres --clients 500 --interval 0 --seconds 30
    make bench-load      # both databases, both loads

The client is raw asyncio streams (no HTTP library), so it costs little of the machine's two cores. Loopback only;
the run is bounded in clients and time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

SCRIPT = ("Polling is how most clients learn that a video is ready. They ask every few seconds, and the server must "
          "answer quickly however many of them ask at once. ") * 4
REQUEST_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_url(name: str) -> str:
    """A fresh database on the local PostgreSQL (trust auth on 127.0.0.1, as on the test machines)."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1/{name}"


def start_server(data_dir: Path, port: int, db_url: str | None,
                 extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """A live `talkframe serve` on loopback and its first API key; its log goes next to `data_dir`."""
    env = {**os.environ, "TALKFRAME_DATA_DIR": str(data_dir), "TALKFRAME_PORT": str(port),
           "TALKFRAME_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "TALKFRAME_POLL_INTERVAL_SECONDS": "0.2",
           **(extra_env or {})}
    if db_url:
        env["TALKFRAME_DATABASE_URL"] = db_url
    log = open(data_dir.parent / "serve.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([sys.executable, "-m", "talkframe.cli", "serve"], env=env, stdout=subprocess.PIPE,
                            stderr=log, text=True)
    key = ""
    while not key:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line:
            raise SystemExit(f"server exited: see {log.name}")
        key = line.strip() if line.strip().startswith("tf_") else ""
    # keep draining the server's stdout (uvicorn's access log): a full pipe would stall the server itself
    threading.Thread(target=lambda: [log.write(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc, key
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def submit_render(port: int, key: str, script: str = SCRIPT, http: httpx.Client | None = None) -> str:
    body = {"video_inputs": [{"character": {"type": "avatar", "avatar_id": "tf_astronaut_avatar"},
                              "voice": {"type": "text", "input_text": script}}],
            "dimension": {"width": 1280, "height": 720}}
    reply = (http or httpx).post(f"http://127.0.0.1:{port}/v2/video/generate", json=body,
                                 headers={"X-Api-Key": key}, timeout=30)
    reply.raise_for_status()
    return reply.json()["data"]["video_id"]


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def client(port: int, request: bytes, interval: float, until: float, latencies: list[float],
                 errors: dict[str, int]) -> None:
    reader = writer = None
    if interval:
        await asyncio.sleep(random.uniform(0, interval))
    next_at = time.perf_counter()
    while time.perf_counter() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            started = time.perf_counter()
            writer.write(request)
            status = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
        if interval:
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    if writer is not None:
        writer.close()


async def run_load(port: int, key: str, video_ids: list[str], clients: int, interval: float,
                   seconds: float, route: str = "v1") -> dict[str, object]:
    def request(video_id: str) -> bytes:
        path = f"/v3/videos/{video_id}" if route == "v3" else f"/v1/video_status.get?video_id={video_id}"
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Api-Key: {key}\r\n\r\n".encode()

    latencies: list[float] = []
    errors: dict[str, int] = {}
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(client(port, request(video_ids[i % len(video_ids)]), interval, until, latencies, errors)
                           for i in range(clients)))
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    return {"route": route, "clients": clients, "videos": len(video_ids), "interval_s": interval,
            "seconds": round(wall, 1), "requests": len(latencies),
            "rps": round(len(latencies) / wall, 1), "p50_ms": round(pct(0.50), 1), "p99_ms": round(pct(0.99), 1),
            "max_ms": round(latencies[-1] * 1000 if latencies else float("nan"), 1),
            "errors": sum(errors.values()), "error_kinds": errors}


def wait_done(port: int, key: str, video_id: str, timeout: float = 600) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        data = httpx.get(f"http://127.0.0.1:{port}/v1/video_status.get", params={"video_id": video_id},
                         headers={"X-Api-Key": key}, timeout=30).json()["data"]
        if data["status"] in ("completed", "failed"):
            return data
        time.sleep(1)
    raise SystemExit(f"video {video_id} did not finish in {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a client's polls; 0 = back "
                        "to back (saturation)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--route", choices=("v1", "v3"), default="v1",
                        help="v1: GET /v1/video_status.get; v3: GET /v3/videos/{id}")
    parser.add_argument("--videos", type=int, default=0, help="distinct videos polled (default: one per client)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, port = Path(tmp) / "data", free_port()
        data_dir.mkdir()
        db_url = postgres_url("talkframe_load") if args.db == "postgres" else None
        proc, key = start_server(data_dir, port, db_url)
        try:
            video_id = submit_render(port, key)
            with httpx.Client() as http:  # the videos the other clients wait for, queued behind the render
                video_ids = [video_id] + [submit_render(port, key, f"Video number {i}.", http)
                                          for i in range(1, args.videos or args.clients)]
            while wait_progress(port, key, video_id) < 2:  # the render is running before the load starts
                time.sleep(0.2)
            result = asyncio.run(run_load(port, key, video_ids, args.clients, args.interval, args.seconds,
                                          args.route))
            result["db"] = args.db
            try:
                result["render"] = wait_done(port, key, video_id)["status"]
                result["health_after"] = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code
            except httpx.HTTPError as exc:
                result["after_load"] = f"server unresponsive: {type(exc).__name__}"
            print(json.dumps(result))
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_progress(port: int, key: str, video_id: str) -> int:
    reply = httpx.get(f"http://127.0.0.1:{port}/v1/video_status.get", params={"video_id": video_id},
                      headers={"X-Api-Key": key}, timeout=60)
    return int(reply.json()["data"]["progress"])


if __name__ == "__main__":
    main()
