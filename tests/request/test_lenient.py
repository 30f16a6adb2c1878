"""The lenient field types, each declared once in `talkframe.request.lenient`, parse as HeyGen clients need."""

from __future__ import annotations

from talkframe.request import Background, Character, Dimension, GenerateRequest, TextOverlay, Voice


def test_numbers_sent_as_strings_are_read_and_junk_becomes_the_default() -> None:
    assert Voice.model_validate({"duration": "1.5", "speed": "abc", "pitch": True}).model_dump(
        include={"duration", "speed", "pitch"}) == {"duration": 1.5, "speed": 1.0, "pitch": 0.0}


def test_zero_means_the_default_where_heygen_says_so() -> None:
    assert Voice.model_validate({"speed": 0}).speed == 1.0  # HeyGen's own example
    assert Character.model_validate({"scale": "0"}).scale == 1.0
    assert GenerateRequest.model_validate({"fps": 0}).fps == 25.0
    assert Voice.model_validate({"duration": 0}).duration == 0.0  # left for the validation to refuse
    assert TextOverlay.model_validate({"font_size": 0}).font_size is None


def test_enums_fall_back_and_match_any_case() -> None:
    c = Character.model_validate({"type": "TALKING_PHOTO", "avatar_style": "closeup", "talking_style": "wild"})
    assert (c.type, c.avatar_style, c.talking_style) == ("talking_photo", "closeUp", "stable")
    assert Voice.model_validate({"emotion": "nope"}).emotion is None
    assert GenerateRequest.model_validate({"caption_mode": "Burn_In"}).caption_mode == "burn_in"


def test_flags_blanks_and_objects() -> None:
    r = GenerateRequest.model_validate({"test": "yes", "caption": "string", "title": "", "dimension": "1080p",
                                        "video_inputs": "x"})
    assert (r.test, r.caption, r.title, r.dimension, r.video_inputs) == (True, False, None, None, [])
    assert Character.model_validate({"offset": "left"}).offset.x == 0.0
    assert Background.model_validate({"url": 5}).url == "5"
    assert Dimension.model_validate({"width": "1280.7"}).width == 1280
