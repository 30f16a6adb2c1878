"""Each fit mode on a 200x100 picture with known regions, fitted to a 160x160 canvas."""

import numpy as np
import pytest

from talkframe.compose.fit import Rect, fit_geometry, fit_image
from talkframe.request import Background

from .media import BLUE, CYAN, GREEN, MAGENTA, RED, YELLOW, FileResolver, opened, regions_image, write_png

FILL = (0xF6, 0xF6, 0xFC)


def near(pixel, rgb, tol=12):
    return bool(np.all(np.abs(pixel.astype(int) - np.array(rgb)) <= tol))


def test_cover_fills_and_crops_the_overflow():
    out = fit_image(regions_image(), (160, 160), "cover")
    # scaled 1.6x to 320x160, centre 160 columns kept: the magenta and cyan quarters are cut away
    assert near(out[40, 40], RED) and near(out[40, 120], GREEN)
    assert near(out[120, 40], BLUE) and near(out[120, 120], YELLOW)
    for colour in (MAGENTA, CYAN, FILL):
        assert not np.any(np.all(np.abs(out.astype(int) - colour) <= 12, axis=2))


def test_contain_letterboxes_with_the_fill_colour():
    out = fit_image(regions_image(), (160, 160), "contain")
    # scaled 0.8x to 160x80, centred vertically: bars of 40 rows above and below
    assert near(out[10, 80], FILL) and near(out[150, 80], FILL)
    assert near(out[50, 20], MAGENTA) and near(out[50, 60], RED) and near(out[110, 60], BLUE)
    assert near(out[60, 140], CYAN)
    rows = np.flatnonzero(~np.all(np.abs(out[:, 80].astype(int) - FILL) <= 3, axis=1))
    assert rows.min() == 40 and rows.max() == 119


def test_crop_keeps_pixels_one_to_one():
    img = regions_image()
    out = fit_image(img, (160, 160), "crop")
    # source columns 20..180 and all 100 rows land at canvas rows 30..130, unscaled
    assert np.array_equal(out[30:130], img[:, 20:180])
    assert near(out[10, 80], FILL) and near(out[140, 80], FILL)
    assert near(out[80, 10], MAGENTA) and near(out[80, 150], CYAN)


def test_none_stretches_to_the_canvas():
    out = fit_image(regions_image(), (160, 160), "none")
    assert near(out[80, 20], MAGENTA) and near(out[40, 60], RED) and near(out[120, 60], BLUE)
    assert near(out[40, 100], GREEN) and near(out[120, 100], YELLOW) and near(out[80, 140], CYAN)
    assert near(out[0, 80], RED) or near(out[0, 80], GREEN)  # no bars


def test_geometry_is_exact_for_a_big_picture():
    g = fit_geometry((4000, 1000), (1920, 1080), "cover")
    assert g.dst == Rect(0, 0, 1920, 1080) and g.src.h == 1000 and abs(g.src.w - 1778) <= 1
    g = fit_geometry((4000, 1000), (1920, 1080), "contain")
    assert g.dst.w == 1920 and g.dst.h == 480 and g.dst.y == 300
    g = fit_geometry((100, 50), (1920, 1080), "crop")
    assert g.dst == Rect(910, 515, 100, 50)


@pytest.mark.parametrize("fit", ["cover", "contain", "crop", "none"])
def test_image_background_goes_through_the_resolver(tmp_path, fit):
    path = write_png(tmp_path / "bg.png", regions_image())
    resolver = FileResolver({"asset-1": path, "https://x/bg.png": path})
    by_asset = opened(Background(type="image", image_asset_id="asset-1", fit=fit), (160, 160), 25, 5,
                               resolver)
    by_url = opened(Background(type="image", url="https://x/bg.png", fit=fit), (160, 160), 25, 5,
                             resolver)
    assert resolver.calls == [("asset", "asset-1"), ("image", "https://x/bg.png")]
    assert np.array_equal(by_asset.frame(0), fit_image(regions_image(), (160, 160), fit))
    assert np.array_equal(by_url.frame(4), by_asset.frame(0))


def test_transparent_png_shows_the_default_colour(tmp_path):
    rgba = np.zeros((50, 50, 4), np.uint8)
    path = tmp_path / "clear.png"
    from PIL import Image

    Image.fromarray(rgba).save(path)
    out = opened(Background(type="image", url="u", fit="cover"), (40, 40), 25, 1,
                          FileResolver({"u": path})).frame(0)
    assert near(out[20, 20], FILL, tol=1)
