"""v3 conventions and POST /v3/videos validation through the ASGI app (no renders)."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from talkframe.avatar.catalog import BUILTIN_AVATAR_ID
from talkframe.db.models import Video
from talkframe.db.session import session_scope
from talkframe.services import Services
from tests.v3.server import face_png

BODY = {"type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "script": "Hi there.", "resolution": "720p"}


def _error(r, status: int, code: str, param: str | None) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "param", "doc_url"}
    assert body["error"]["code"] == code and body["error"]["param"] == param, body
    assert body["error"]["doc_url"].endswith("#" + code.replace("_", "-"))
    assert r.headers["x-request-id"].startswith("req_")
    return body["error"]


def _stored(services: Services, video_id: str) -> dict:
    with session_scope(services.db_url) as s:
        return s.get(Video, video_id).request


def test_create_answer_and_stored_request(client: TestClient, services: Services) -> None:
    r = client.post("/v3/videos", json={**BODY, "aspect_ratio": "9:16", "voice_settings": {"speed": 1.2},
                                        "expressiveness": "high", "remove_background": True,
                                        "caption": {"style": "default"}, "callback_id": "cb"})
    assert r.status_code == 200 and "error" not in r.json()
    data = r.json()["data"]
    assert set(data) == {"video_id", "status", "output_format"} and data["status"] == "waiting"
    req = _stored(services, data["video_id"])
    assert req["dimension"] == {"width": 720, "height": 1280}
    scene = req["video_inputs"][0]
    assert scene["voice"]["speed"] == 1.2 and scene["voice"]["input_text"] == "Hi there."
    assert scene["character"]["talking_style"] == "expressive" and scene["character"]["use_avatar_iv_model"]
    assert scene["character"]["matting"] is True
    assert req["caption_mode"] == "burn_in" and req["callback_id"] == "cb"


@pytest.mark.parametrize(("resolution", "aspect", "size"), [
    ("720p", "16:9", (1280, 720)), ("1080p", "1:1", (1080, 1080)), ("4k", "16:9", (3840, 2160)),
    ("1080p", "4:5", (1080, 1350)), ("720p", "5:4", (900, 720)), (None, None, (1920, 1080)),
])
def test_resolution_and_aspect(client: TestClient, services: Services, resolution, aspect, size) -> None:  # type: ignore[no-untyped-def]
    body = {k: v for k, v in {**BODY, "resolution": resolution, "aspect_ratio": aspect}.items() if v is not None}
    vid = client.post("/v3/videos", json=body).json()["data"]["video_id"]
    assert tuple(_stored(services, vid)["dimension"].values()) == size


def test_cinematic_avatar_refused(client: TestClient) -> None:
    err = _error(client.post("/v3/videos", json={"type": "cinematic_avatar", "prompt": "x", "avatar_id": ["a"]}),
                 400, "invalid_parameter", "type")
    assert "text-to-video" in err["message"]


@pytest.mark.parametrize(("body", "status", "code", "param"), [
    ({**BODY, "engine": "avatar_iv"}, 400, "invalid_parameter", "engine"),
    ({**BODY, "engine": {"type": "avatar_ii"}}, 400, "invalid_parameter", "engine.type"),
    ({**BODY, "engine": {"type": "avatar_iii"}, "expressiveness": "high"}, 400, "invalid_parameter",
     "expressiveness"),
    ({**BODY, "avatar_id": "nope"}, 404, "avatar_not_found", "avatar_id"),
    ({**BODY, "voice_id": "nope"}, 404, "voice_not_found", "voice_id"),
    ({**BODY, "audio_url": "https://example.com/a.wav"}, 400, "invalid_parameter", "audio_url"),
    ({k: v for k, v in BODY.items() if k != "script"}, 400, "invalid_parameter", "script"),
    ({**BODY, "script": "x" * 5001}, 400, "invalid_parameter", "script"),
    ({**BODY, "resolution": "8k"}, 400, "invalid_parameter", "resolution"),
    ({**BODY, "aspect_ratio": "3:2"}, 400, "invalid_parameter", "aspect_ratio"),
    ({**BODY, "voice_settings": {"speed": 3}}, 400, "invalid_parameter", "voice_settings.speed"),
    ({**BODY, "background": {"type": "color", "value": "blue"}}, 400, "invalid_parameter", "background.value"),
    ({**BODY, "output_format": "webm", "background": {"type": "color", "value": "#000000"}}, 400,
     "invalid_parameter", "background"),
    ({"type": "studio", "output_format": "webm", "scenes": [{"type": "avatar_video", "input": {
        "type": "avatar", "avatar_id": BUILTIN_AVATAR_ID, "script": "Hi"}}]}, 400, "invalid_parameter",
     "output_format"),
    ({**BODY, "caption": {"file_format": "vtt"}}, 400, "invalid_parameter", "caption.file_format"),
    ({**BODY, "folder_id": "nope"}, 404, "not_found", "folder_id"),
    ({**BODY, "callback_url": "ftp://x"}, 400, "invalid_parameter", "callback_url"),
    ({"type": "image", "script": "Hi."}, 400, "invalid_parameter", "image"),
    ({"type": "image", "script": "Hi.", "image": {"type": "base64", "data": "!!"}}, 400, "invalid_parameter",
     "image.data"),
    ({"type": "image", "script": "Hi.", "image": {"type": "asset_id", "asset_id": "nope"}}, 404,
     "asset_not_found", "image.asset_id"),
    ({"type": "image", "script": "Hi.", "image": {"type": "file"}}, 400, "invalid_parameter", "image.type"),
    ({"type": "studio", "scenes": []}, 400, "invalid_parameter", "scenes"),
    ({"type": "studio", "scenes": [{"type": "avatar_video"}]}, 400, "invalid_parameter", "scenes[0].input"),
    ({"type": "studio", "scenes": [{"type": "avatar_video", "input": {"type": "avatar", "avatar_id": "x",
                                                                      "script": "Hi"}}]},
     404, "avatar_not_found", "scenes[0].input.avatar_id"),
    ({"type": "studio", "scenes": [{"type": "x"}] * 51}, 400, "invalid_parameter", "scenes"),
    ({"type": "video"}, 400, "invalid_parameter", "type"),
])
def test_bad_input_names_param(client: TestClient, body, status, code, param) -> None:  # type: ignore[no-untyped-def]
    _error(client.post("/v3/videos", json=body), status, code, param)


def test_legacy_keys_are_mapped(client: TestClient, services: Services) -> None:
    png = face_png()
    asset_id = client.post("/v1/asset", content=png, headers={"Content-Type": "image/png"}).json()["data"]["id"]
    r = client.post("/v3/videos", json={"type": "avatar", "image_asset_id": asset_id, "script": "Hi.",
                                        "test": True, "enable_caption": True, "folder_id": None,
                                        "background": {"type": "image", "url": "https://example.com/clip.mp4"},
                                        "n8n_extra": 1})
    assert r.status_code == 200, r.text
    req = _stored(services, r.json()["data"]["video_id"])
    scene = req["video_inputs"][0]
    assert scene["character"]["type"] == "talking_photo" and scene["character"]["talking_photo_id"]
    assert req["test"] is True and req["caption_mode"] == "file_only"
    assert scene["background"]["type"] == "video" and scene["background"]["url"].endswith("clip.mp4")


def test_flat_image_url_beside_an_avatar_id_is_ignored(client: TestClient, services: Services) -> None:
    r = client.post("/v3/videos", json={**BODY, "image_url": "https://example.com/a.png"})
    assert r.status_code == 200, r.text
    assert _stored(services, r.json()["data"]["video_id"])["video_inputs"][0]["character"]["avatar_id"] == \
        BUILTIN_AVATAR_ID


def test_strict_mode_rejects_extra_keys(client: TestClient, services: Services) -> None:
    services.settings.v3_strict = True  # TALKFRAME_V3_STRICT=1
    for key, value in (("test", False), ("dimension", {"width": 1, "height": 1}), ("enable_caption", True),
                       ("image_url", "https://example.com/a.png")):
        err = _error(client.post("/v3/videos", json={**BODY, key: value}), 400, "invalid_parameter", key)
        assert err["message"] == "Extra inputs are not permitted"
    assert client.post("/v3/videos", json={**BODY, "folder_id": None}).status_code == 200


def test_image_base64_makes_a_talking_photo(client: TestClient, services: Services) -> None:
    data = base64.b64encode(face_png()).decode()
    r = client.post("/v3/videos", json={"type": "image", "image": {"type": "base64", "data": data},
                                        "script": "Hi.", "aspect_ratio": "auto", "resolution": "720p"})
    assert r.status_code == 200, r.text
    req = _stored(services, r.json()["data"]["video_id"])
    assert req["dimension"] == {"width": 720, "height": 720}  # auto: the image's own (square) ratio


def test_image_fit_cover_fills_the_canvas(client: TestClient, services: Services) -> None:
    data = base64.b64encode(face_png()).decode()  # a square photo on a 16:9 canvas
    for fit, scale in (("contain", 1.0), ("cover", 16 / 9)):
        r = client.post("/v3/videos", json={"type": "image", "image": {"type": "base64", "data": data},
                                            "script": "Hi.", "aspect_ratio": "16:9", "fit": fit})
        character = _stored(services, r.json()["data"]["video_id"])["video_inputs"][0]["character"]
        assert character["scale"] == pytest.approx(scale, rel=0.01)


def test_auth_errors_and_unknown_paths(client: TestClient) -> None:
    _error(client.get("/v3/videos", headers={"X-Api-Key": "nope"}), 401, "unauthorized", None)
    r = client.get("/v3/videos", headers={"X-Api-Key": "", "Authorization": f"Bearer {client.headers['X-Api-Key']}"})
    assert r.status_code == 200
    _error(client.get("/v3/no-such-thing"), 404, "not_found", None)
    _error(client.post("/v3/videos", content=b"{not json"), 400, "invalid_parameter", None)
    _error(client.post("/v3/videos", json=BODY, headers={"Idempotency-Key": "bad key!"}), 400,
           "invalid_parameter", "Idempotency-Key")


def test_get_list_paging_delete(client: TestClient) -> None:
    ids = [client.post("/v3/videos", json={**BODY, "title": f"t{i}"}).json()["data"]["video_id"] for i in range(3)]
    got = client.get(f"/v3/videos/{ids[0]}").json()
    assert got["data"]["status"] == "pending" and got["data"]["video_url"] is None
    first = client.get("/v3/videos", params={"limit": 2}).json()
    assert set(first) == {"data", "has_more", "next_token"} and first["has_more"] is True
    second = client.get("/v3/videos", params={"limit": 2, "token": first["next_token"]}).json()
    assert second["has_more"] is False and second["next_token"] is None
    assert [v["id"] for v in first["data"] + second["data"]] == ids[::-1]
    _error(client.get("/v3/videos", params={"token": "garbage"}), 400, "invalid_parameter", "token")
    _error(client.get("/v3/videos", params={"limit": 101}), 400, "invalid_parameter", "limit")
    statuses = client.get("/v3/videos/statuses", params={"video_ids": f"{ids[0]},missing"}).json()
    assert statuses["data"] == [{"video_id": ids[0], "status": "queued", "error": None},
                                {"video_id": "missing", "status": "not_found", "error": None}]
    assert client.delete(f"/v3/videos/{ids[0]}").json() == {"data": {"id": ids[0], "deleted": True}}
    _error(client.get(f"/v3/videos/{ids[0]}"), 404, "video_not_found", "video_id")
    _error(client.delete(f"/v3/videos/{ids[0]}"), 404, "video_not_found", "video_id")
