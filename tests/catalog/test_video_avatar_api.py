"""Video avatars through the API: upload a clip, train in the embedded runner, use the avatar_id in generate."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from talkframe.api.app import create_app
from talkframe.avatar.catalog import astronaut_rgb
from talkframe.db.keys import create_key
from talkframe.db.session import session_scope
from talkframe.jobs.runner import EmbeddedRunner
from talkframe.services import build_services
from talkframe.video_avatar.footage import speak, talking_footage, write_clip
from tests.helpers import body, probe_mp4, wait_for_status

SCRIPT = ("Peter and Bob bought a map of the old boat. We sailed far away, over the blue water, "
          "and found five fine apples.")


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import cv2

    small = cv2.resize(astronaut_rgb(), (384, 384), interpolation=cv2.INTER_AREA)
    return talking_footage(tmp_path_factory.mktemp("va") / "clip.mp4", small, speak(SCRIPT))


def _wait_trained(client: TestClient, avatar_id: str, timeout: float = 240) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        data = client.get(f"/v2/video_avatar/{avatar_id}").json()["data"]
        if data["train_status"] in ("ready", "failed"):
            return data
        time.sleep(0.2)
    raise AssertionError(f"training of {avatar_id} never finished: {data}")


def test_upload_train_and_speak(settings, api_key, footage: Path) -> None:  # type: ignore[no-untyped-def]
    settings.video_avatar_min_seconds = 5
    services = build_services(settings)
    with TestClient(create_app(services, EmbeddedRunner(services, 1, 0.05))) as c:
        c.headers["X-Api-Key"] = api_key
        resp = c.post("/v2/video_avatar", params={"name": "Me"}, content=footage.read_bytes(),
                      headers={"Content-Type": "video/mp4"})
        assert resp.status_code == 200, resp.text
        avatar_id = resp.json()["data"]["avatar_id"]
        assert resp.json()["data"]["train_status"] == "pending"
        data = _wait_trained(c, avatar_id)
        assert data["train_status"] == "ready", data["error"]
        assert data["preview_image_url"] and data["progress"] == 100

        listed = [a["avatar_id"] for a in c.get("/v2/avatars").json()["data"]["avatars"]]
        assert avatar_id in listed
        groups = c.get("/v2/avatar_group.list", params={"include_public": "false"}).json()["data"]
        assert [g["train_status"] for g in groups["avatar_group_list"]] == ["ready"]

        payload = body({"character": {"type": "avatar", "avatar_id": avatar_id},
                        "voice": {"type": "text", "input_text": "Hello, it is me again."}}, width=384, height=384)
        vid = c.post("/v2/video/generate", json=payload).json()["data"]["video_id"]
        done = wait_for_status(c, vid, {"completed", "failed"}, timeout=240)
        assert done["status"] == "completed", done["error"]
        p = probe_mp4(services.storage.path(f"videos/{vid}/video.mp4"))
        assert (p.width, p.height) == (384, 384) and p.frames > 20

        other = TestClient(create_app(services))
        with session_scope(services.db_url) as s:
            other.headers["X-Api-Key"] = create_key(s, name="other")[1]
        assert other.get(f"/v2/video_avatar/{avatar_id}").status_code == 404
        assert other.post("/v2/video/generate", json=payload).json()["error"]["code"] == "avatar_not_found"
        assert c.delete(f"/v2/video_avatar/{avatar_id}").status_code == 200
        assert c.get(f"/v2/video_avatar/{avatar_id}").status_code == 404


def test_faceless_clip_fails_training_clearly(settings, api_key, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.video_avatar_min_seconds = 2
    services = build_services(settings)
    rate = 22050
    t = np.arange(int(4 * rate)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 180 * t) * (np.sin(2 * np.pi * 2 * t) > 0)).astype(np.float32)
    clip = write_clip(tmp_path / "wall.mp4", lambda i: np.full((256, 256, 3), 120, np.uint8), 100, 25.0, tone, rate)
    with TestClient(create_app(services, EmbeddedRunner(services, 1, 0.05))) as c:
        c.headers["X-Api-Key"] = api_key
        asset = c.post("/v1/asset", content=clip.read_bytes(), headers={"Content-Type": "video/mp4"}).json()["data"]
        resp = c.post("/v2/video_avatar", json={"video_asset_id": asset["id"], "name": "wall"})
        data = _wait_trained(c, resp.json()["data"]["avatar_id"])
    assert data["train_status"] == "failed"
    assert data["error"]["code"] == "no_face" and data["error"]["message"]


def test_create_needs_a_clip(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/v2/video_avatar", json={"name": "x"})
    assert resp.status_code == 400 and "video_url or video_asset_id" in resp.json()["error"]["message"]
