"""Avatar placement: units, styles, the circle mask and alpha compositing, checked on composed pixels."""

import numpy as np

from talkframe.compose.background import solid
from talkframe.compose.fit import Rect
from talkframe.compose.layout import place_avatar
from talkframe.compose.scene import SceneComposer
from talkframe.request import Character

BG = (0, 0, 255)


def avatar(w=100, h=200, rgb=(255, 0, 0), a=255):
    img = np.zeros((h, w, 4), np.uint8)
    img[..., :3] = rgb
    img[..., 3] = a
    return img


def compose(character, av, size=(400, 200), **kw):
    c = SceneComposer(size, (av.shape[1], av.shape[0]), character, solid(size, "#0000ff"), **kw)
    return c, c.frame(0, av)


def test_scale_one_fits_the_canvas_height_and_is_centred():
    p = place_avatar((1920, 1080), (512, 1024), Character())
    assert p.dst == Rect(690, 0, 540, 1080) and p.src == Rect(0, 0, 512, 1024)
    half = place_avatar((1920, 1080), (512, 1024), Character(scale=0.5))
    assert (half.dst.w, half.dst.h) == (270, 540) and half.dst.x + 135 == 960 and half.dst.y + 270 == 540


def test_offset_is_a_fraction_of_the_canvas_at_any_resolution():
    ch = Character(scale=0.5, offset={"x": 0.25, "y": -0.1})
    for w, h in [(1280, 720), (1920, 1080), (3840, 2160)]:
        d = place_avatar((w, h), (512, 1024), ch).dst
        assert abs((d.x + d.w / 2) / w - 0.75) < 1.5 / w
        assert abs((d.y + d.h / 2) / h - 0.4) < 1.5 / h
        assert abs(d.h / h - 0.5) < 1.5 / h


def test_avatar_pixels_land_in_the_placed_box():
    c, out = compose(Character(scale=0.5, offset={"x": -0.25}), avatar())
    d = c.placement.dst  # 50x100 centred at (100, 100)
    assert d == Rect(75, 50, 50, 100)
    red = np.all(out == (255, 0, 0), axis=2)
    ys, xs = np.nonzero(red)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (75, 124, 50, 149)
    assert red.sum() == 50 * 100


def test_avatar_partly_off_canvas_is_clipped():
    c, out = compose(Character(offset={"x": 0.5}), avatar())
    red = np.all(out == (255, 0, 0), axis=2)
    assert red[:, 350:].all() and not red[:, :349].any()


def test_matte_is_alpha_composited():
    av = avatar(a=0)
    av[:, 50:, 3] = 255  # right half opaque
    av[:100, :50, 3] = 128  # top-left quarter half transparent
    _, out = compose(Character(), av)  # 100x200 box at x=150
    assert tuple(out[150, 170]) == BG  # transparent: background
    assert tuple(out[150, 230]) == (255, 0, 0)  # opaque: avatar
    r, g, b = (int(v) for v in out[50, 170])
    assert abs(r - 128) <= 2 and g == 0 and abs(b - 127) <= 2


def test_circle_mask_and_fill_colour():
    av = avatar(w=200, h=200, a=0)
    av[:, :100, 3] = 255  # left half is the person, right half transparent
    c, out = compose(Character(avatar_style="circle", circle_background_color="#00ff00"), av)
    d = c.placement.dst
    assert d == Rect(100, 0, 200, 200) and c.placement.circle
    cx, cy, r = 200, 100, 100
    assert tuple(out[cy, cx - 50]) == (255, 0, 0)  # person inside the circle
    assert tuple(out[cy, cx + 50]) == (0, 255, 0)  # fill colour behind the transparent part
    assert tuple(out[5, 105]) == BG  # box corner outside the circle
    assert tuple(out[cy, cx - r + 3]) == (255, 0, 0) and tuple(out[cy, cx - r - 3]) == BG
    edge = out[cy, cx - r - 1 : cx - r + 2, 0]
    assert np.any((edge > 0) & (edge < 255)) or np.all(np.diff(edge.astype(int)) >= 0)  # anti-aliased ramp


def test_talking_photo_circle_style_without_fill_shows_the_background():
    av = avatar(w=200, h=200, a=0)
    _, out = compose(Character(type="talking_photo", talking_photo_style="circle"), av)
    assert np.all(out == BG)
    _, out = compose(Character(type="talking_photo", talking_photo_style="circle"), avatar(200, 200))
    assert tuple(out[100, 200]) == (255, 0, 0) and tuple(out[5, 105]) == BG


def test_close_up_crops_towards_the_face():
    av = avatar(w=512, h=512, rgb=(128, 128, 128))
    face = (320, 80, 100, 100)
    av[80:180, 320:420, :3] = (255, 0, 0)
    normal, out_n = compose(Character(), av, size=(512, 512))
    close, out_c = compose(Character(avatar_style="closeUp"), av, size=(512, 512), face_box=face)
    src = close.placement.src
    assert src.w < 512 and src.x <= 320 and src.x1 >= 420 and src.y <= 80 and src.y1 >= 180
    assert close.placement.dst == normal.placement.dst  # same box, zoomed content
    share_n = np.all(out_n == (255, 0, 0), axis=2).mean()
    share_c = np.all(out_c == (255, 0, 0), axis=2).mean()
    assert share_c > 3 * share_n
    # the face centre lands in the horizontal middle of the box and 40 % down from its top
    ys, xs = np.nonzero(np.all(out_c == (255, 0, 0), axis=2))
    assert abs(xs.mean() - 256) < 4 and abs(ys.mean() - 0.4 * 512) < 4


def test_close_up_window_stays_inside_the_image():
    p = place_avatar((512, 512), (512, 512), Character(avatar_style="closeUp"), face_box=(480, 0, 30, 30))
    assert p.src.x1 <= 512 and p.src.y >= 0 and p.src.w == p.src.h


def test_close_up_without_face_box_zooms_the_upper_middle():
    p = place_avatar((1920, 1080), (1000, 1000), Character(avatar_style="closeUp"))
    assert p.src.w == 625 and p.src.x == 188 and p.src.y < 250
