"""v3 voices, speech, users/me, assets and avatars through the ASGI app: exact shapes."""

from __future__ import annotations

import io
import wave

import httpx
from fastapi.testclient import TestClient

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID, BUILTIN_PHOTO_ID
from talkframe.voice.catalog import DEFAULT_VOICE_ID
from tests.v3.server import face_png
from tests.v3.test_videos_api import _error

LOOK_KEYS = {"id", "name", "avatar_type", "group_id", "gender", "default_voice_id", "preview_image_url",
             "preview_video_url", "image_width", "image_height", "preferred_orientation", "status",
             "supported_api_engines", "tags", "error"}
GROUP_KEYS = {"id", "name", "created_at", "looks_count", "gender", "default_voice_id", "preview_image_url",
              "preview_video_url", "status", "consent_status", "error"}


def test_voices_list_filters_and_paging(client: TestClient) -> None:
    first = client.get("/v3/voices").json()
    assert set(first) == {"data", "has_more", "next_token"} and len(first["data"]) == 20 and first["has_more"]
    assert set(first["data"][0]) == {"voice_id", "name", "language", "gender", "preview_audio_url",
                                     "support_pause", "support_locale", "type"}
    second = client.get("/v3/voices", params={"token": first["next_token"]}).json()
    assert not {v["voice_id"] for v in first["data"]} & {v["voice_id"] for v in second["data"]}
    english = client.get("/v3/voices", params={"language": "English", "gender": "female", "limit": 100}).json()
    assert english["data"] and all(v["language"] == "English" and v["gender"].lower() == "female"
                                   for v in english["data"])
    assert client.get("/v3/voices", params={"engine": "starfish"}).json()["data"]  # n8n's default filter
    assert client.get("/v3/voices", params={"type": "private"}).json() == {"data": [], "has_more": False,
                                                                           "next_token": None}
    _error(client.get("/v3/voices", params={"limit": 0}), 400, "invalid_parameter", "limit")


def test_voice_get(client: TestClient) -> None:
    data = client.get(f"/v3/voices/{DEFAULT_VOICE_ID}").json()["data"]
    assert data["voice_id"] == DEFAULT_VOICE_ID and data["support_pause"] is True
    assert {"name", "language", "gender", "preview_audio_url", "support_interactive_avatar"} <= set(data)
    _error(client.get("/v3/voices/nope"), 404, "voice_not_found", "voice_id")


def test_speech_gives_audio_duration_and_words(client: TestClient) -> None:
    r = client.post("/v3/voices/speech", json={"text": "Hello world.", "voice_id": DEFAULT_VOICE_ID})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == {"audio_url", "duration", "request_id", "word_timestamps"}
    assert [w["word"].strip(".").lower() for w in data["word_timestamps"]] == ["hello", "world"]
    assert all(0 <= w["start"] < w["end"] <= data["duration"] + 1e-6 for w in data["word_timestamps"])
    wav = client.get(httpx.URL(data["audio_url"]).raw_path.decode()).content
    with wave.open(io.BytesIO(wav)) as w:
        assert abs(w.getnframes() / w.getframerate() - data["duration"]) < 0.01
    _error(client.post("/v3/voices/speech", json={"voice_id": DEFAULT_VOICE_ID}), 400, "invalid_parameter", "text")
    _error(client.post("/v3/voices/speech", json={"text": "x", "voice_id": "nope"}), 404, "voice_not_found",
           "voice_id")
    _error(client.post("/v3/voices/speech", json={"text": "x", "voice_id": DEFAULT_VOICE_ID, "speed": 9}), 400,
           "invalid_parameter", "speed")


def test_users_me(client: TestClient) -> None:
    for path in ("/v3/users/me", "/v3/user/me"):
        data = client.get(path).json()["data"]
        assert {"username", "email", "first_name", "last_name", "billing_type", "wallet"} <= set(data)
        assert data["billing_type"] == "wallet" and data["wallet"]["currency"] == "credits"


def test_assets_multipart_roundtrip(client: TestClient) -> None:
    png = face_png()
    r = client.post("/v3/assets", files={"file": ("face.bin", png, "application/octet-stream")})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == {"asset_id", "url", "mime_type", "size_bytes"}
    assert data["mime_type"] == "image/png" and data["size_bytes"] == len(png)  # typed from the bytes
    assert client.get(httpx.URL(data["url"]).raw_path.decode()).content == png
    got = client.get(f"/v3/assets/{data['asset_id']}").json()["data"]
    assert set(got) == {"id", "name", "owner", "space_id", "type", "uploaded_at", "url", "folder_id"}
    assert got["type"] == "image" and got["name"] == "face.bin"
    # usable as a v3 AssetRef
    vid = client.post("/v3/videos", json={"type": "image", "script": "Hi.",
                                          "image": {"type": "asset_id", "asset_id": data["asset_id"]}})
    assert vid.status_code == 200, vid.text
    assert client.delete(f"/v3/assets/{data['asset_id']}").json() == {"data": {"id": data["asset_id"]}}
    _error(client.get(f"/v3/assets/{data['asset_id']}"), 404, "asset_not_found", "asset_id")


def test_assets_refusals(client: TestClient) -> None:
    _error(client.post("/v3/assets", files={"file": ("x.txt", b"hello", "text/plain")}), 400, "invalid_parameter",
           "file")
    _error(client.post("/v3/assets", files={"other": ("x.png", face_png(), "image/png")}), 400,
           "invalid_parameter", "file")
    _error(client.post("/v3/assets", content=b"raw", headers={"Content-Type": "image/png"}), 400,
           "invalid_parameter", "file")
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (32 * 1024 * 1024 + 70_000)
    _error(client.post("/v3/assets", files={"file": ("big.png", big, "image/png")}), 413, "payload_too_large",
           "file")


def test_avatar_groups_and_looks(client: TestClient) -> None:
    photo = client.post("/v1/talking_photo", content=face_png(), headers={"Content-Type": "image/png"})
    photo_id = photo.json()["data"]["talking_photo_id"]
    looks = client.get("/v3/avatars/looks", params={"limit": 50}).json()
    assert set(looks) == {"data", "has_more", "next_token"}
    by_id = {lk["id"]: lk for lk in looks["data"]}
    assert all(set(lk) == LOOK_KEYS for lk in looks["data"])
    assert by_id[photo_id]["avatar_type"] == "photo_avatar"
    assert by_id[BUILTIN_AVATAR_ID]["avatar_type"] == "photo_avatar"
    assert by_id[BUILTIN_PHOTO_ID]["avatar_type"] == "photo_avatar"
    assert any(lk["avatar_type"] == "studio_avatar" for lk in looks["data"])
    studio = client.get("/v3/avatars/looks", params={"avatar_type": "studio_avatar"}).json()["data"]
    assert studio and all(lk["avatar_type"] == "studio_avatar" for lk in studio)
    # the preview URLs play
    preview = client.get(httpx.URL(by_id[BUILTIN_AVATAR_ID]["preview_image_url"]).raw_path.decode())
    assert preview.status_code == 200 and preview.content[:4] == b"\x89PNG"
    private = client.get("/v3/avatars", params={"ownership": "private"}).json()["data"]
    assert [g["id"] for g in private] == [photo_id + "_group"] and set(private[0]) == GROUP_KEYS
    assert client.get(f"/v3/avatars/{photo_id}_group").json()["data"]["looks_count"] == 1
    assert client.get(f"/v3/avatars/looks/{photo_id}").json()["data"]["id"] == photo_id
    # every look id works as a v3 avatar_id
    for look_id in (photo_id, BUILTIN_AVATAR_ID, BUILTIN_PHOTO_ID, studio[0]["id"]):
        r = client.post("/v3/videos", json={"type": "avatar", "avatar_id": look_id, "script": "Hi."})
        assert r.status_code == 200, (look_id, r.text)
    _error(client.get("/v3/avatars/looks/nope"), 404, "avatar_not_found", "look_id")
    _error(client.get("/v3/avatars/nope"), 404, "not_found", "group_id")
    _error(client.get("/v3/avatars", params={"ownership": "mine"}), 400, "invalid_parameter", "ownership")


def _tiny_mp4() -> bytes:
    import av
    import numpy as np

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as c:
        s = c.add_stream("libx264", rate=25)
        s.width, s.height, s.pix_fmt = 64, 64, "yuv420p"
        for _ in range(5):
            c.mux(s.encode(av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")))
        c.mux(s.encode())
    return buf.getvalue()


def test_create_photo_and_digital_twin_avatars(client: TestClient) -> None:
    import base64

    r = client.post("/v3/avatars", json={"type": "photo", "name": "Me",
                                         "file": {"type": "base64", "data": base64.b64encode(face_png()).decode()}})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert set(data) == {"avatar_group", "avatar_item"}
    look = data["avatar_item"]
    assert set(look) == LOOK_KEYS and look["avatar_type"] == "photo_avatar" and look["name"] == "Me"
    assert look["status"] == "completed" and data["avatar_group"]["id"] == look["group_id"]
    assert client.post("/v3/videos", json={"type": "avatar", "avatar_id": look["id"], "script": "Hi."}).status_code \
        == 200
    asset = client.post("/v3/assets", files={"file": ("clip.mp4", _tiny_mp4(), "video/mp4")}).json()["data"]
    twin = client.post("/v3/avatars", json={"type": "digital_twin", "name": "Twin",
                                            "file": {"type": "asset_id", "asset_id": asset["asset_id"]}})
    assert twin.status_code == 200, twin.text
    item = twin.json()["data"]["avatar_item"]
    assert item["avatar_type"] == "digital_twin" and item["status"] == "processing"
    assert client.get(f"/v3/avatars/looks/{item['id']}").json()["data"]["status"] == "processing"
    # the same training row as POST /v2/video_avatar
    assert client.get(f"/v2/video_avatar/{item['id']}").json()["data"]["train_status"] == "pending"
    _error(client.post("/v3/avatars", json={"type": "prompt", "name": "x", "prompt": "a cat"}), 400,
           "invalid_parameter", "type")
    _error(client.post("/v3/avatars", json={"type": "photo", "name": "x"}), 400, "invalid_parameter", "file")
    _error(client.post("/v3/avatars", json={"type": "photo", "name": "x",
                                            "file": {"type": "asset_id", "asset_id": asset["asset_id"]}}),
           400, "invalid_parameter", "file.asset_id")
