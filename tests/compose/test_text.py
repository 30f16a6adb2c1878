"""Text overlays: position, alignment, wrapping, colour, weight and resolution independence, on pixels."""

import logging

import numpy as np

from talkframe.compose.background import solid
from talkframe.compose.scene import SceneComposer
from talkframe.compose.text import render_text
from talkframe.request import Character, TextOverlay

WHITE = "#ffffff"


def text_box(overlay: dict, size=(1920, 1080)):
    """Bounding box (x0, y0, x1, y1) of the non-white pixels of a frame showing only the text."""
    c = SceneComposer(size, (2, 2), Character(offset={"x": 5}), solid(size, WHITE), text=TextOverlay(**overlay))
    out = c.frame(0, np.zeros((2, 2, 4), np.uint8))
    ink = np.any(out < 200, axis=2)
    ys, xs = np.nonzero(ink)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1, out


def test_left_aligned_text_starts_at_the_position():
    x0, y0, x1, y1, _ = text_box({"text": "Hello", "position": {"x": 200, "y": 300}, "font_size": 60})
    assert 200 <= x0 <= 210 and 300 <= y0 <= 318  # glyph side bearing and cap-height gap only
    assert 100 < x1 - x0 < 200 and 35 < y1 - y0 < 60


def test_fractional_position():
    x0, y0, *_ = text_box({"text": "Hello", "position": {"x": 0.5, "y": 0.5}})
    assert 960 <= x0 <= 970 and 540 <= y0 <= 560


def test_alignment_without_width_anchors_at_x():
    base = {"text": "Centred", "position": {"x": 960, "y": 100}, "font_size": 50}
    x0, _, x1, *_ = text_box({**base, "text_align": "center"})
    assert abs((x0 + x1) / 2 - 960) <= 3
    x0, _, x1, *_ = text_box({**base, "text_align": "right"})
    assert 950 <= x1 <= 961


def test_alignment_inside_a_width_box():
    base = {"text": "Hi", "position": {"x": 100, "y": 100}, "width": 1000, "font_size": 50}
    x0, _, x1, *_ = text_box({**base, "text_align": "center"})
    assert abs((x0 + x1) / 2 - 600) <= 3
    x0, _, x1, *_ = text_box({**base, "text_align": "right"})
    assert 1090 <= x1 <= 1101


def test_width_wraps_long_text():
    text = "the quick brown fox jumps over the lazy dog " * 3
    x0, y0, x1, y1, _ = text_box({"text": text, "position": {"x": 100, "y": 100}, "width": 500, "font_size": 40})
    assert x1 <= 100 + 500 + 2 and x0 >= 98
    assert y1 - y0 > 4 * 40  # several lines
    one = text_box({"text": text, "position": {"x": 100, "y": 100}, "width": 500, "font_size": 40,
                    "line_height": 2.0})
    assert one[3] - one[1] > 1.5 * (y1 - y0)


def test_same_placement_at_any_resolution():
    overlay = {"text": "Scale me", "position": {"x": 300, "y": 200}, "font_size": 72}
    small = np.array(text_box(overlay, (1280, 720))[:4])
    big = np.array(text_box(overlay, (3840, 2160))[:4])
    assert np.all(np.abs(small * 3 - big) <= 8)


def test_colour_and_bold():
    *_, out = text_box({"text": "Red", "position": {"x": 100, "y": 100}, "font_size": 80, "color": "#ff0000"})
    ink = np.any(out < 200, axis=2)
    solid_px = out[ink & (out[..., 1] < 10)]
    assert len(solid_px) > 100 and np.all(solid_px[:, 0] > 240) and np.all(solid_px[:, 2] < 10)
    regular = text_box({"text": "Weight", "position": {"x": 100, "y": 100}, "font_size": 80})[4]
    bold = text_box({"text": "Weight", "position": {"x": 100, "y": 100}, "font_size": 80, "font_weight": "bold"})[4]
    assert (bold < 128).sum() > 1.2 * (regular < 128).sum()


def test_anti_aliased_edges():
    *_, out = text_box({"text": "Soft edges", "position": {"x": 100, "y": 100}, "font_size": 60})
    grey = (out[..., 0] > 30) & (out[..., 0] < 220)
    assert grey.sum() > 50


def test_unknown_font_family_falls_back_with_a_note(caplog):
    from talkframe.compose import fonts

    fonts.load_font.cache_clear()
    with caplog.at_level(logging.INFO):
        sprite = render_text(TextOverlay(text="Hi", font_family="No Such Font 123"), (640, 360))
    assert sprite is not None and sprite.alpha.max() == 255
    assert "not installed" in caplog.text


def test_empty_text_draws_nothing():
    assert render_text(TextOverlay(text="   "), (640, 360)) is None
    assert render_text(None, (640, 360)) is None


def test_text_is_drawn_above_the_avatar():
    size = (640, 360)
    c = SceneComposer(size, (100, 100), Character(), solid(size, WHITE),
                      text=TextOverlay(text="OVER", position={"x": 0.3, "y": 0.45}, font_size=80, color="#00ff00"))
    av = np.zeros((100, 100, 4), np.uint8)
    av[..., 0], av[..., 3] = 255, 255
    out = c.frame(0, av)
    box = out[0:360, 140:500]
    assert np.any(np.all(box == (0, 255, 0), axis=2))  # green glyphs over the red avatar
    assert np.any(np.all(box == (255, 0, 0), axis=2))
