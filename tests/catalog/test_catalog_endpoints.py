"""Catalogue responses carry every field strict clients validate, and every preview URL serves a real file."""

from __future__ import annotations

import io
import wave

import av
from PIL import Image

AVATAR_FIELDS = {"avatar_id", "avatar_name", "gender", "preview_image_url", "preview_video_url", "premium", "type",
                 "tags", "default_voice_id"}
VOICE_FIELDS = {"voice_id", "language", "gender", "name", "preview_audio", "support_pause", "emotion_support",
                "support_interactive_avatar", "support_locale"}


def _get(client, url: str):  # type: ignore[no-untyped-def]
    assert url.startswith("http://testserver/"), url
    resp = client.get(url.removeprefix("http://testserver"))
    assert resp.status_code == 200, (url, resp.text[:200])
    return resp


def test_avatars_and_previews(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/v2/avatars").json()["data"]
    assert data["avatars"] and data["talking_photos"]
    for a in data["avatars"]:
        assert set(a) >= AVATAR_FIELDS
        assert isinstance(a["premium"], bool)
    for p in data["talking_photos"]:
        assert set(p) >= {"talking_photo_id", "talking_photo_name", "preview_image_url"}
        Image.open(io.BytesIO(_get(client, p["preview_image_url"]).content)).verify()
    first = data["avatars"][0]
    Image.open(io.BytesIO(_get(client, first["preview_image_url"]).content)).verify()
    video = tmp_path / "preview.mp4"
    video.write_bytes(_get(client, first["preview_video_url"]).content)
    with av.open(str(video)) as c:
        assert sum(1 for _ in c.decode(video=0)) > 10


def test_details_groups_and_v1_list(client) -> None:  # type: ignore[no-untyped-def]
    avatar_id = client.get("/v2/avatars").json()["data"]["avatars"][0]["avatar_id"]
    d = client.get(f"/v2/avatar/{avatar_id}/details").json()["data"]
    assert set(d) >= {"type", "id", "name", "gender", "preview_image_url", "preview_video_url", "premium",
                      "is_public", "default_voice_id", "tags"}
    missing = client.get("/v2/avatar/nobody/details")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "avatar_not_found"
    groups = client.get("/v2/avatar_group.list", params={"include_public": "true"}).json()["data"]
    assert groups["total_count"] == len(groups["avatar_group_list"]) > 0
    g = groups["avatar_group_list"][0]
    assert set(g) >= {"id", "name", "created_at", "num_looks", "preview_image", "group_type", "train_status",
                      "default_voice_id"}
    looks = client.get(f"/v2/avatar_group/{g['id']}/avatars").json()["data"]["avatar_list"]
    assert set(looks[0]) >= AVATAR_FIELDS | {"id", "image_url", "created_at", "name", "status", "group_id",
                                             "is_motion", "motion_preview_url", "business_type",
                                             "upscale_availability", "upscaled", "background_sound_effect",
                                             "default_voice_id"}
    assert client.get("/v2/avatar_group.list", params={"include_public": "false"}).json()["data"]["total_count"] == 0
    assert client.get("/v1/avatar.list").json()["code"] == 100


def test_voices_locales_and_a_preview_that_plays(client) -> None:  # type: ignore[no-untyped-def]
    voices = client.get("/v2/voices").json()["data"]["voices"]
    assert len(voices) > 50
    for v in voices:
        assert set(v) >= VOICE_FIELDS
        assert v["preview_audio"].startswith("http://testserver/voices/preview/")
    wav = _get(client, voices[0]["preview_audio"]).content
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getnframes() / w.getframerate() > 0.5
    locales = client.get("/v2/voices/locales").json()["data"]["locales"]
    assert {"en-US"} <= {loc["locale"] for loc in locales}
    for loc in locales:
        assert set(loc) >= {"value", "label", "language", "tag", "locale", "language_code"}
    assert client.get("/v1/voice.list").json()["code"] == 100
