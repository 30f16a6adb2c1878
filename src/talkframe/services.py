"""The handles every edge (API, runner, CLI) shares: settings, database URL, storage and URL signing."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from talkframe.core.config import Settings, get_settings
from talkframe.db.session import migrate
from talkframe.storage.local import LocalStorage
from talkframe.storage.signing import signed_url


@dataclass
class Services:
    settings: Settings
    storage: LocalStorage
    secret: bytes

    @property
    def db_url(self) -> str:
        return self.settings.resolved_database_url

    def url_for(self, key: str | None) -> str | None:
        """Absolute, signed, expiring URL of a stored object (None passes through)."""
        if not key:
            return None
        return signed_url(self.settings.public_base_url, self.secret, key, self.settings.url_ttl_seconds)


def build_services(settings: Settings | None = None) -> Services:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate(settings.resolved_database_url)
    return Services(settings, LocalStorage(settings.media_dir), settings.secret_key())


@functools.lru_cache(maxsize=1)
def default_services() -> Services:
    return build_services()
