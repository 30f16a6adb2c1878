"""The handles every edge (API, runner, CLI) shares: settings, database URL, storage and URL signing."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from talkframe.core.config import Settings, get_settings
from talkframe.db.session import PoolConfig, migrate
from talkframe.media.fetch import FetchPolicy
from talkframe.storage.base import Storage
from talkframe.storage.factory import build_storage


@dataclass
class Services:
    settings: Settings
    storage: Storage
    secret: bytes

    @functools.cached_property
    def db_url(self) -> str:
        return self.settings.resolved_database_url  # resolves a path (file-system calls): once, not per request

    @functools.cached_property
    def api_pool(self) -> PoolConfig:
        """The API's own connections: room for a session per request in flight (`api_threads` of them) plus one
        short session per API thread (key lookups, async routes), with a margin: see api/deps.py."""
        return PoolConfig("api", self.settings.api_threads + 4, self.settings.db_acquire_timeout_seconds)

    def fetch_policy(self) -> FetchPolicy:
        """Outbound URL rules (inputs and webhooks): public hosts only, plus the configured private allow-list."""
        hosts = frozenset(h.strip() for h in self.settings.allow_private_hosts.split(",") if h.strip())
        return FetchPolicy(allow_private=hosts)

    def url_for(self, key: str | None) -> str | None:
        """Absolute, signed, expiring URL of a stored object (None passes through); presigned on S3."""
        if not key:
            return None
        return self.storage.url(key, self.settings.url_ttl_seconds)


def build_services(settings: Settings | None = None, *, migrated: bool = False) -> Services:
    """`migrated`: the caller's parent has brought the database up to date (the render child of `serve`)."""
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not migrated:
        migrate(settings.resolved_database_url)
    secret = settings.secret_key()
    return Services(settings, build_storage(settings, secret), secret)


@functools.lru_cache(maxsize=1)
def default_services() -> Services:
    return build_services()
