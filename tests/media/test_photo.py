"""Phone photos are stored sideways with an EXIF orientation tag: talkframe reads them upright."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from talkframe.avatar.face import analyse_photo
from talkframe.media.photo import photo_size, read_photo
from talkframe.resolve.scene import PhotoSource

DATA = Path(__file__).parent.parent / "avatar" / "data"


def _sideways_jpeg(tmp_path: Path) -> tuple[Path, np.ndarray]:
    """Biden's portrait, widened to 320x400 so a quarter turn shows, saved turned a quarter turn counter-clockwise
    with EXIF orientation 6 ("turn 90 degrees clockwise to view"), as a phone held upright saves it."""
    upright = Image.open(DATA / "biden.jpg").convert("RGB").resize((320, 400))
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    stored.save(path, quality=95, exif=exif.tobytes())
    return path, np.asarray(upright)


def test_a_photo_with_an_orientation_tag_is_read_upright(tmp_path: Path) -> None:
    path, upright = _sideways_jpeg(tmp_path)
    with Image.open(path) as im:
        assert im.size == (400, 320)  # stored sideways
    rgb = read_photo(path)
    assert rgb.shape == (400, 320, 3) and photo_size(path) == (320, 400)
    assert float(np.abs(rgb.astype(np.int16) - upright.astype(np.int16)).mean()) < 4.0
    # the render reads it upright too: eyes above the mouth
    lm = analyse_photo(PhotoSource(path).rgb).landmarks
    assert lm[[468, 473], 1].max() < lm[13, 1] - 20


def test_a_photo_without_a_tag_is_read_as_stored(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.open(DATA / "biden.jpg").convert("RGB").resize((320, 400)).save(path)
    assert read_photo(path).shape == (400, 320, 3) and photo_size(path) == (320, 400)


def test_a_cut_out_with_transparency_is_put_on_white(tmp_path: Path) -> None:
    rgba = np.zeros((40, 30, 4), np.uint8)  # transparent pixels that store black
    rgba[10:30, 5:25] = (200, 120, 90, 255)
    path = tmp_path / "cutout.png"
    Image.fromarray(rgba, "RGBA").save(path)
    rgb = read_photo(path)
    assert (rgb[0, 0] == 255).all() and tuple(rgb[20, 15]) == (200, 120, 90)
