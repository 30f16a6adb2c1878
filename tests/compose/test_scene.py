"""Whole-frame composition: watermark, 4K, static and streaming backgrounds agree."""

import numpy as np

from talkframe.compose.background import solid
from talkframe.compose.scene import SceneComposer
from talkframe.request import Background, Character, TextOverlay

from .media import FileResolver, opened, write_bar_clip


def rgba(w, h, rgb=(200, 50, 50), a=255):
    img = np.zeros((h, w, 4), np.uint8)
    img[..., :3], img[..., 3] = rgb, a
    return img


def test_watermark_is_visible_on_light_and_dark_backgrounds():
    for colour in ("#ffffff", "#000000", "#808080"):
        size = (1280, 720)
        av = rgba(64, 64)
        plain = SceneComposer(size, (64, 64), Character(scale=0.2), solid(size, colour)).frame(0, av)
        marked = SceneComposer(size, (64, 64), Character(scale=0.2), solid(size, colour), watermark=True).frame(0, av)
        diff = np.abs(plain.astype(int) - marked.astype(int)).max(axis=2)
        changed = diff > 60
        assert changed.sum() > 0.01 * size[0] * size[1]
        ys, xs = np.nonzero(changed)
        assert abs(xs.mean() - 640) < 60 and abs(ys.mean() - 360) < 60  # centred


def test_watermark_covers_the_avatar_too():
    size = (1280, 720)
    av = rgba(100, 100)
    c = SceneComposer(size, (100, 100), Character(), solid(size, "#ffffff"), watermark=True)
    out = c.frame(0, av)
    centre = out[300:420, 400:880]
    assert not np.all(centre == (200, 50, 50))
    assert np.any(np.all(centre == (200, 50, 50), axis=2))


def test_4k_frame_composes_at_full_size():
    size = (3840, 2160)
    c = SceneComposer(size, (512, 1024), Character(), solid(size, "#102030"),
                      text=TextOverlay(text="4K", position={"x": 100, "y": 100}), watermark=True)
    out = c.frame(0, rgba(512, 1024, a=255))
    assert out.shape == (2160, 3840, 3) and out.dtype == np.uint8
    assert c.placement.dst.h == 2160 and c.placement.dst.w == 1080
    assert tuple(out[100, 1500]) == (200, 50, 50) and tuple(out[2000, 100]) == (0x10, 0x20, 0x30)


def test_huge_close_up_warps_only_the_visible_part():
    size = (320, 180)
    av = rgba(100, 100)
    av[:, 50:, :3] = (0, 0, 200)
    c = SceneComposer(size, (100, 100), Character(scale=8), solid(size, "#ffffff"))
    out = c.frame(0, av)
    # centred 1440x1440 box: the left half of the canvas is red, the right half blue
    assert tuple(out[90, 100]) == (200, 50, 50) and tuple(out[90, 220]) == (0, 0, 200)


def test_frames_do_not_alias_each_other():
    size = (64, 36)
    c = SceneComposer(size, (10, 10), Character(), solid(size, "#ffffff"))
    first = c.frame(0, rgba(10, 10, (255, 0, 0)))
    c.frame(1, rgba(10, 10, (0, 255, 0)))
    assert tuple(first[18, 32]) == (255, 0, 0)


def test_dynamic_background_gets_the_same_layers(tmp_path):
    clip = write_bar_clip(tmp_path / "c.mp4", 5, with_audio=False)
    size = (160, 96)
    bg = opened(Background(type="video", url="c", play_style="freeze", fit="none"), size, 25, 5,
                         FileResolver({"c": clip}))
    text = TextOverlay(text="T", position={"x": 0.05, "y": 0.05}, font_size=200, color="#ff0000")
    character = Character(scale=0.3, avatar_style="circle", circle_background_color="#00ff00")
    c = SceneComposer(size, (10, 10), character, bg, text=text, watermark=True)
    assert not c.static
    out = c.frame(0, rgba(10, 10, a=0))
    still = SceneComposer(size, (10, 10), character, _Still(bg.frame(0)), text=text, watermark=True)
    assert still.static
    reference = still.frame(0, rgba(10, 10, a=0))
    assert np.abs(out.astype(int) - reference.astype(int)).max() <= 2
    assert tuple(out[48, 80]) != tuple(bg.frame(0)[48, 80])  # circle fill / watermark are drawn
    c.close()


class _Still:
    static = True

    def __init__(self, rgb):
        self.rgb = rgb

    def frame(self, index):
        return self.rgb
