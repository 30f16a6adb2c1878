"""Platform tests: webhooks may target loopback receivers, and retries are fast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.core.config import Settings
from talkframe.jobs.runner import EmbeddedRunner
from talkframe.services import Services
from talkframe.webhooks.delivery import build_dispatcher
from tests.platform.receiver import Receiver


@pytest.fixture()
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(data_dir=tmp_path / "data", public_base_url="http://testserver", signing_secret="test-secret",
                    poll_interval_seconds=0.05, allow_private_hosts="127.0.0.1", webhook_retry_base_seconds=0.2)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def serve(services: Services, key: str) -> TestClient:
    """The app as `talkframe serve` wires it: one render worker and the webhook dispatcher."""
    dispatcher = build_dispatcher(services)
    runner = EmbeddedRunner(services, 1, 0.05, on_finished=lambda _v: dispatcher.wake())
    client = TestClient(create_app(services, runner, dispatcher))
    client.headers["X-Api-Key"] = key
    return client
