"""Session-wide real services for the scale-out tests: one fresh PostgreSQL database, a Redis db, a SeaweedFS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scaleout.services import Seaweed, fresh_postgres_db, redis_url, seaweedfs


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    with fresh_postgres_db() as url:
        yield url


@pytest.fixture(scope="session")
def broker_url() -> str:
    return redis_url()


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    with seaweedfs(Path(tmp_path_factory.mktemp("seaweedfs"))) as server:
        yield server
