"""All settings in one place: `TALKFRAME_*` environment variables (or a `.env` file) with embedded defaults.

With nothing set, talkframe runs on one machine: SQLite (WAL) and local files under `./data`, an in-process runner.
"""

from __future__ import annotations

import functools
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
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=0, description="Embedded render workers in `serve` (0 = none).")
    url_ttl_seconds: int = Field(default=7 * 24 * 3600, description="Signed URL lifetime (HeyGen: 7 days).")
    max_video_seconds: float = Field(default=1800.0, description="Longest video a render may produce.")
    poll_interval_seconds: float = Field(default=0.5, description="How often idle workers look for work.")
    allow_private_hosts: str = Field(default="", description="Comma-separated hosts/CIDRs URL inputs may reach.")

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
