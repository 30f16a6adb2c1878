"""All settings in one place: `TALKFRAME_*` environment variables (or a `.env` file) with embedded defaults.

With nothing set, talkframe runs on one machine: SQLite (WAL) and local files under `./data`, an in-process runner.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TALKFRAME_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Database, media and outputs live here.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir.")
    public_base_url: str = Field(default="http://127.0.0.1:8000", description="Absolute base of served URLs.")
    signing_secret: str | None = Field(default=None, description="HMAC key for URLs; default kept in data_dir.")
    access_log: bool = Field(default=False, description="uvicorn's per-request access log (costs CPU per poll).")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=0, description="Embedded render workers in `serve` (0 = none).")
    render_process: bool = Field(default=True, description="`serve` runs its render workers in a child process, "
                                 "so renders never compete with the API for the GIL (False: threads in the API's "
                                 "process).")
    # x264 already keeps two cores busy (measured: no gain from 2 processes on 2 cores, benchmarks/scenes.py), so
    # side-by-side scenes start paying off from 4 cores.
    scene_processes: int = Field(default_factory=lambda: max(1, (os.cpu_count() or 1) // 2), ge=1,
                                 description="Processes one long multi-scene video renders its scenes in.")
    url_ttl_seconds: int = Field(default=7 * 24 * 3600, description="Signed URL lifetime (HeyGen: 7 days).")
    max_video_seconds: float = Field(default=1800.0, description="Longest video a render may produce.")
    # The API runs blocking work (database, files) on this many threads, and its database pool has as many
    # connections, so a request thread never waits for a connection another request holds.
    api_threads: int = Field(default=40, ge=1, description="Threads for the API's blocking work (and DB pool).")
    db_acquire_timeout_seconds: float = Field(default=5.0, gt=0, description="Longest wait for a database "
                                              "connection before the API answers 503 with Retry-After.")
    max_json_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="Largest JSON request body (413).")
    max_json_depth: int = Field(default=64, ge=4, description="Deepest nesting of a JSON request body (400).")
    poll_interval_seconds: float = Field(default=0.5, description="How often idle workers look for work.")
    warm_up: bool = Field(default=True, description="Render workers load the voice, face models and built-in rig "
                          "at start (in the background), so the first video pays no load.")
    allow_private_hosts: str = Field(default="", description="Comma-separated hosts/CIDRs URL inputs may reach.")
    # scale-out (deploy/README.md): a broker switches `serve` from embedded workers to Celery workers
    broker_url: str | None = Field(default=None, description="Celery broker, redis://... or amqp://...")
    result_backend: str | None = Field(default=None, description="Celery results (chords); default: a redis "
                                       "broker's URL, else the database (db+URL).")
    queue_name: str = Field(default="talkframe", description="Celery queue the API and workers share.")
    broker_visibility_timeout: int = Field(default=3600, description="Redis broker: seconds before a task held "
                                           "by a vanished worker is delivered again (longer than any scene).")
    storage: str = Field(default="local", pattern="^(local|s3)$", description="`local` files or `s3` objects.")
    s3_endpoint_url: str | None = Field(default=None, description="S3 API endpoint (MinIO, SeaweedFS); None: AWS.")
    s3_public_endpoint_url: str | None = Field(default=None, description="Endpoint clients download from, when "
                                               "it differs from the one workers use (presigned URLs).")
    s3_bucket: str = "talkframe"
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"
    webhook_retry_base_seconds: float = Field(default=10.0, description="First webhook retry delay (x3 each time).")
    webhook_max_attempts: int = Field(default=8, description="Webhook attempts before a delivery is given up.")
    webhook_timeout_seconds: float = Field(default=10.0, description="Timeout of one webhook attempt.")
    webhook_validate_timeout_seconds: float = Field(default=2.0, description="OPTIONS check in endpoint.add.")
    quota_seconds: int | None = Field(default=None, description="Seconds of video per account; unset = unlimited.")
    max_concurrent_videos: int = Field(default=0, description="Queued+rendering videos per account; 0 = no limit.")
    v3_strict: bool = Field(default=False, description="v3: refuse keys outside HeyGen's schema (400 'Extra "
                            "inputs are not permitted') instead of ignoring or mapping them.")
    video_avatar_min_seconds: float = Field(default=30.0, description="Shortest clip a video avatar trains on.")
    video_avatar_max_seconds: float = Field(default=120.0, description="Longest clip a video avatar trains on.")
    # live streaming (/v1/streaming.*): each session renders 25 frames a second on the CPU
    streaming_max_sessions: int = Field(default=4, ge=0, description="Live streaming sessions on this server "
                                        "(429 beyond).")
    streaming_max_sessions_per_account: int = Field(default=3, ge=0, description="Live streaming sessions per "
                                                    "account (429 beyond; HeyGen's trial allows 3).")
    streaming_min_idle_timeout_seconds: float = Field(default=30.0, gt=0, description="Shortest "
                                                      "`activity_idle_timeout` a session may ask for.")
    streaming_start_timeout_seconds: float = Field(default=60.0, gt=0, description="A session not started "
                                                   "(no SDP answer) within this long is ended.")
    streaming_token_ttl_seconds: int = Field(default=3600, ge=60, description="Lifetime of a token from "
                                             "streaming.create_token.")
    streaming_ice_servers: str = Field(default="", description="Comma-separated STUN/TURN URLs for sessions "
                                       "across NAT (e.g. stun:stun.example.org:3478,turn:turn.example.org:3478); "
                                       "empty: host candidates only (LAN, loopback, a public address).")
    streaming_turn_username: str | None = Field(default=None, description="Username for the TURN servers.")
    streaming_turn_credential: str | None = Field(default=None, description="Credential for the TURN servers.")

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'talkframe.db').resolve()}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def secret_key(self) -> bytes:
        """The URL-signing key: configured, or generated once and kept in the data directory."""
        if self.signing_secret:
            return self.signing_secret.encode()
        path = self.data_dir / "signing.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(secrets.token_hex(32))
            tmp.replace(path)
        return path.read_text().strip().encode()


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
