"""Talking-photo uploads: analysed at once (no face -> 400), listed, usable in generate, private per account."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from talkframe.api.app import create_app
from talkframe.avatar.catalog import astronaut_rgb
from talkframe.db.keys import create_key
from talkframe.db.session import session_scope
from tests.helpers import body


def _png(arr) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def test_upload_list_use_delete(client, services) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/v1/talking_photo", content=_png(astronaut_rgb()), headers={"Content-Type": "image/png"})
    assert resp.status_code == 200, resp.text
    photo_id = resp.json()["data"]["talking_photo_id"]
    assert resp.json()["data"]["talking_photo_url"].startswith("http://testserver/files/")
    ids = [p["id"] for p in client.get("/v1/talking_photo.list").json()["data"]]
    assert ids == ["tf_astronaut", photo_id]  # the built-in photo first

    scene = {"character": {"type": "talking_photo", "talking_photo_id": photo_id},
             "voice": {"type": "silence", "duration": 0.5}}
    assert client.post("/v2/video/generate", json=body(scene)).status_code == 200

    other = TestClient(create_app(services))
    with session_scope(services.db_url) as s:
        other.headers["X-Api-Key"] = create_key(s, name="other")[1]
    assert other.post("/v2/video/generate", json=body(scene)).json()["error"]["code"] == "talking_photo_not_found"
    assert other.delete(f"/v2/talking_photo/{photo_id}").status_code == 404
    assert client.delete(f"/v2/talking_photo/{photo_id}").json()["error"] is None
    assert [p["id"] for p in client.get("/v1/talking_photo.list").json()["data"]] == ["tf_astronaut"]


def test_photo_without_a_face_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    blank = Image.new("RGB", (256, 256), (90, 140, 200))
    buf = io.BytesIO()
    blank.save(buf, "JPEG")
    resp = client.post("/v1/talking_photo", content=buf.getvalue(), headers={"Content-Type": "image/jpeg"})
    assert resp.status_code == 400
    assert resp.json()["message"].startswith("no face found")
