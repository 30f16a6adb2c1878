"""A render that cannot succeed ends `failed` with a code and a message; it is never left `processing`."""

from __future__ import annotations

from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.jobs.runner import EmbeddedRunner
from talkframe.services import build_services
from tests.helpers import body, silent_scene, wait_for_status


def test_too_long_video_fails_with_heygens_code(settings, api_key) -> None:  # type: ignore[no-untyped-def]
    settings.max_video_seconds = 0.5
    services = build_services(settings)
    with TestClient(create_app(services, EmbeddedRunner(services, 1, 0.05))) as c:
        c.headers["X-Api-Key"] = api_key
        vid = c.post("/v2/video/generate", json=body(silent_scene(1.0))).json()["data"]["video_id"]
        data = wait_for_status(c, vid, {"completed", "failed"})
    assert data["status"] == "failed"
    assert data["error"]["code"] == 40119
    assert data["error"]["message"] == "Video is too long (> 0.5s)"
    assert data["video_url"] is None


def test_crash_inside_the_pipeline_ends_failed(live_client, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """The client learns the code and an error id; the traceback goes to the log under that id, never out."""
    import re

    import talkframe.jobs.render_job as job

    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("injected fault")

    monkeypatch.setattr(job, "render_video", broken)
    vid = live_client.post("/v2/video/generate", json=body(silent_scene())).json()["data"]["video_id"]
    data = wait_for_status(live_client, vid, {"completed", "failed"})
    assert data["status"] == "failed"
    assert data["error"]["code"] == 500001
    detail = data["error"]["detail"]
    assert "ZeroDivisionError" not in detail and "Traceback" not in detail and "/" not in detail
    error_id = re.search(r"error id ([0-9a-f]{16})", detail).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and "injected fault" in str(logged[0].exc_info[1])


def test_missing_uploaded_photo_fails_clearly(live_client, services) -> None:  # type: ignore[no-untyped-def]
    """A talking photo whose file vanished from storage: failed with a message, not a stuck video."""
    from talkframe.core.clock import now
    from talkframe.db.models import TalkingPhoto
    from talkframe.db.session import session_scope

    key = live_client.headers["X-Api-Key"]
    with session_scope(services.db_url) as s:
        from talkframe.db.keys import find_key

        account = find_key(s, key).account_id
        s.add(TalkingPhoto(id="a" * 32, account_id=account, name="gone", image_key="photos/gone.png",
                           faces_found=1, created_at=now()))
    payload = body({"character": {"type": "talking_photo", "talking_photo_id": "a" * 32},
                    "voice": {"type": "silence", "duration": 0.5}})
    vid = live_client.post("/v2/video/generate", json=payload).json()["data"]["video_id"]
    data = wait_for_status(live_client, vid, {"completed", "failed"})
    assert data["status"] == "failed"
    assert data["error"]["code"] and data["error"]["message"]
