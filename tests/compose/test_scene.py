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


def _moving_avatar(w: int, h: int, box: tuple[int, int, int, int], n: int, alpha: bool) -> list[np.ndarray]:
    """`n` RGBA frames of a picture (detail a few pixels across, as a face's) that change only inside `box`."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    texture = [127 + 120 * np.sin(x / 4), 127 + 120 * np.cos(y / 5), 127 + 120 * np.sin((x + y) / 6)]
    base = np.stack([*texture, np.full_like(x, 255)], axis=-1).astype(np.uint8)
    if alpha:
        base[..., 3] = np.clip(255 - 3 * np.abs(x - w / 2), 0, 255).astype(np.uint8)  # a soft-edged matte
    frames = []
    for i in range(n):
        f = base.copy()
        x0, y0, x1, y1 = box
        f[y0:y1, x0:x1, :3] = np.roll(base[y0:y1, x0:x1, :3], 3 * i, axis=1)
        frames.append(f)
    return frames


def test_a_frame_that_moves_only_in_its_box_is_handed_on_as_that_box_and_equals_the_whole_frame():
    from talkframe.media.canvas import PatchedCanvas, rgb_to_i420

    size = (320, 180)
    text = TextOverlay(text="Hi", position={"x": 0.4, "y": 0.3}, font_size=40, color="#ff0000")
    cases = [  # (avatar size, moving box, character, alpha, text + watermark)
        ((120, 120), (30, 10, 90, 70), Character(), False, False),  # scaled up, opaque
        ((120, 120), (31, 9, 91, 71), Character(avatar_style="circle", circle_background_color="#00ff00"), False,
         True),
        ((80, 100), (20, 20, 60, 80), Character(scale=0.8, offset={"x": 0.2, "y": 0.1}), True, True),  # matte
        ((400, 400), (100, 50, 300, 250), Character(), False, True),  # scaled down: area-averaged whole
    ]
    for av_size, box, character, alpha, overlays in cases:
        frames = _moving_avatar(*av_size, box, 4, alpha)
        kw = {"text": text, "watermark": True} if overlays else {}
        patched = SceneComposer(size, av_size, character, solid(size, "#334455"), moving_box=box, **kw)
        whole = SceneComposer(size, av_size, character, solid(size, "#334455"), **kw)
        for i, frame in enumerate(frames):
            out = patched.canvas(i, frame)
            assert isinstance(out, PatchedCanvas)
            x0, y0, x1, y1 = out.box
            assert x0 % 2 == y0 % 2 == x1 % 2 == y1 % 2 == 0
            assert (x1 - x0) * (y1 - y0) < 0.5 * size[0] * size[1]  # only the moving part travels
            if i == 0:  # the box drawn alone matches the still drawn whole from the same frame: no seam
                assert np.array_equal(out.patch, out.still.rgb[y0:y1, x0:x1])
            # the whole-frame path scales with cv2.resize, the box with an equivalent warp: rounding apart only (a
            # level or two, a few more where a rounded matte blends two very different colours)
            diff = np.abs(out.rgb().astype(int) - whole.frame(i, frame).astype(int))
            assert diff.max() <= (6 if alpha else 4) and diff.mean() < 0.2, (av_size, i, diff.max(), diff.mean())
            assert np.array_equal(out.i420(), rgb_to_i420(out.rgb()))  # the box converted alone: byte for byte
    # a changing background, or no box, draws whole frames
    assert isinstance(SceneComposer(size, (120, 120), Character(), solid(size, "#334455")).canvas(0, frames[0]),
                      np.ndarray)
