import numpy as np
import pytest

from talkframe.compose.background import DEFAULT_COLOR, open_background, solid
from talkframe.compose.color import color_or_default, is_hex_color, over_black, parse_hex_color
from talkframe.request import Background


@pytest.mark.parametrize(
    ("value", "rgba"),
    [
        ("#FFF", (255, 255, 255, 255)),
        ("#1a2", (0x11, 0xAA, 0x22, 255)),
        ("#FAFAFA", (0xFA, 0xFA, 0xFA, 255)),
        ("#10203040", (0x10, 0x20, 0x30, 0x40)),
        ("  #abcdef  ", (0xAB, 0xCD, 0xEF, 255)),
        ("abcdef", (0xAB, 0xCD, 0xEF, 255)),
    ],
)
def test_parse_hex_forms(value, rgba):
    assert parse_hex_color(value) == rgba
    assert is_hex_color(value)


@pytest.mark.parametrize("value", ["red", "#12345", "#GGGGGG", "", "#", "#1234567", "string", "rgb(1,2,3)"])
def test_parse_hex_rejects(value):
    assert not is_hex_color(value)
    with pytest.raises(ValueError):
        parse_hex_color(value)


def test_invalid_colour_falls_back_with_a_note(caplog):
    with caplog.at_level("INFO"):
        assert color_or_default("blue", "#010203", "text color") == (1, 2, 3, 255)
    assert "not a hex colour" in caplog.text


def test_alpha_composites_over_black():
    assert over_black((200, 100, 50, 255)) == (200, 100, 50)
    assert over_black((200, 100, 50, 0)) == (0, 0, 0)
    assert over_black((200, 100, 50, 128)) == (100, 50, 25)


def test_color_background_default_and_value():
    default = open_background(None, (64, 36), 25, 10, None).frame(0)
    assert default.shape == (36, 64, 3)
    assert tuple(default[5, 5]) == parse_hex_color(DEFAULT_COLOR)[:3] == (0xF6, 0xF6, 0xFC)
    red = open_background(Background(type="color", value="#f00"), (64, 36), 25, 10, None).frame(3)
    assert np.all(red == (255, 0, 0))
    # an invalid value does not fail the render: the default colour shows
    bad = solid((8, 8), "not-a-colour").frame(0)
    assert tuple(bad[0, 0]) == (0xF6, 0xF6, 0xFC)
