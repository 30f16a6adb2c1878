"""Shared fixtures: a real SQLite file and media directory per test, the real ASGI app, real keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.core.config import Settings
from talkframe.db.keys import create_key
from talkframe.db.session import session_scope
from talkframe.jobs.runner import EmbeddedRunner
from talkframe.services import Services, build_services


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", public_base_url="http://testserver", signing_secret="test-secret",
                    poll_interval_seconds=0.05)


@pytest.fixture()
def services(settings: Settings) -> Services:
    return build_services(settings)


@pytest.fixture()
def api_key(services: Services) -> str:
    with session_scope(services.db_url) as session:
        _row, plain = create_key(session, name="test")
    return plain


@pytest.fixture()
def client(services: Services, api_key: str) -> Iterator[TestClient]:
    """The API with no workers: videos stay pending unless a test runs the runner."""
    with TestClient(create_app(services)) as c:
        c.headers["X-Api-Key"] = api_key
        yield c


@pytest.fixture()
def live_client(services: Services, api_key: str) -> Iterator[TestClient]:
    """The API with one embedded render worker, as `talkframe serve` runs it."""
    runner = EmbeddedRunner(services, workers=1, poll_seconds=0.05)
    with TestClient(create_app(services, runner)) as c:
        c.headers["X-Api-Key"] = api_key
        yield c
