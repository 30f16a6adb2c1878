"""Every 400 rule of POST /v2/video/generate, with HeyGen's messages and the offending field named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import body, scene, silent_scene


def _error(resp) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == 400, resp.text
    payload = resp.json()
    assert payload["data"] is None
    return payload["error"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"character": {"type": "avatar", "avatar_id": "tf_astronaut_avatar", "circle_background_color": "red"}},
         "video_inputs[0].character.circle_background_color", "circle_background_color must be in hex format"),
        ({"background": {"type": "image"}}, "video_inputs[0].background",
         "Either url or image_asset_id needs to be provided"),
        ({"background": {"type": "video", "url": ""}}, "video_inputs[0].background",
         "Either url or video_asset_id needs to be provided"),
        ({"voice": {"type": "audio"}}, "video_inputs[0].voice",
         "Either audio_url or audio_asset_id needs to be provided"),
        ({"background": {"type": "color", "value": "blue"}}, "video_inputs[0].background.value",
         "background value must be in hex format"),
        ({"voice": {"type": "text", "input_text": "   "}}, "video_inputs[0].voice.input_text",
         "input_text is required for a text voice"),
        ({"voice": {"type": "text", "input_text": "a" * 5001}}, "video_inputs[0].voice.input_text",
         "input_text must be at most 5000 characters, got 5001"),
    ],
)
def test_scene_rules(client, overrides, field, message) -> None:  # type: ignore[no-untyped-def]
    err = _error(client.post("/v2/video/generate", json=body(scene(**overrides))))
    assert err["message"] == message
    assert err["fields"] == [{"field": field, "message": message}]


@pytest.mark.parametrize("count", [0, 51])
def test_scene_count(client, count: int) -> None:  # type: ignore[no-untyped-def]
    payload = {"video_inputs": [silent_scene(0.1)] * count, "dimension": {"width": 320, "height": 240}}
    err = _error(client.post("/v2/video/generate", json=payload))
    assert err["message"] == "video_inputs must contain between 1 to 50 items"


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (0, 240, "dimension width must be between 128 and 4096, got 0"),
        (320, 5000, "dimension height must be between 128 and 4096, got 5000"),
        (321, 240, "dimension width must be an even number, got 321"),
    ],
)
def test_dimension_rules(client, width: int, height: int, message: str) -> None:  # type: ignore[no-untyped-def]
    err = _error(client.post("/v2/video/generate", json=body(scene(), width=width, height=height)))
    assert message in err["message"]


def test_unknown_avatar_is_heygens_avatar_not_found(client) -> None:  # type: ignore[no-untyped-def]
    err = _error(client.post("/v2/video/generate",
                             json=body(scene(character={"type": "avatar", "avatar_id": "nobody"}))))
    assert err["code"] == "avatar_not_found"
    assert err["message"] == "Avatar nobody not found or no longer available."


def test_unknown_talking_photo(client) -> None:  # type: ignore[no-untyped-def]
    err = _error(client.post("/v2/video/generate", json=body(
        scene(character={"type": "talking_photo", "talking_photo_id": "0" * 32}))))
    assert err["code"] == "talking_photo_not_found"


def test_seed_example_names_each_offending_field(client) -> None:  # type: ignore[no-untyped-def]
    """HeyGen's own documented example body: every placeholder that cannot render is named precisely."""
    seed = json.loads((Path(__file__).parent / "seed_example.json").read_text())
    err = _error(client.post("/v2/video/generate", json=seed))
    fields = {f["field"] for f in err["fields"]}
    assert fields == {
        "video_inputs[0].character.circle_background_color",
        "video_inputs[0].character.avatar_id",
        "video_inputs[0].text.color",
        "dimension.width",
        "dimension.height",
        "callback_url",
        "folder_id",
    }


def test_seed_example_with_real_ids_is_accepted(client) -> None:  # type: ignore[no-untyped-def]
    seed = json.loads((Path(__file__).parent / "seed_example.json").read_text())
    ch = seed["video_inputs"][0]["character"]
    ch["avatar_id"], ch["circle_background_color"] = "tf_astronaut_avatar", "#FFFFFF"
    seed["video_inputs"][0]["text"]["color"] = "#000000"
    seed["callback_url"] = "https://example.invalid/hook"
    del seed["folder_id"]
    seed["video_inputs"][0]["voice"]["input_text"] = "Hello from the seed."
    seed["dimension"] = {"width": 640, "height": 360}
    resp = client.post("/v2/video/generate", json=seed)
    assert resp.status_code == 200, resp.text
    assert len(resp.json()["data"]["video_id"]) == 32


def test_lenient_values_are_accepted(client) -> None:  # type: ignore[no-untyped-def]
    """Junk real clients send: numbers as strings, misspelt settings, unknown enums, `dimensions`."""
    payload = {
        "video_inputs": [{
            "character": {"type": "talking_photo", "talking_photo_id": "tf_astronaut",
                          "talking_photo_style": "stable", "super_resolution": "string", "scale": "1.0"},
            "voice": {"type": "silence", "duration": "1"},
            "background": {"type": "color", "value": "#FAFAFA", "fit": "weird", "play_style": ""},
        }],
        "dimensions": {"width": "640", "height": "360"},
        "aspect_ratio": None, "caption": "false", "test": False,
    }
    resp = client.post("/v2/video/generate", json=payload)
    assert resp.status_code == 200, resp.text
    vid = resp.json()["data"]["video_id"]
    status = client.get("/v1/video_status.get", params={"video_id": vid}).json()["data"]
    assert status["status"] == "pending"


def test_body_that_is_not_json(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/v2/video/generate", content=b"{not json", headers={"Content-Type": "application/json"})
    assert _error(resp)["message"].startswith("Request body is not valid JSON")
