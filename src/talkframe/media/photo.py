"""Photos as a viewer shows them: a phone stores a portrait sideways, with an EXIF tag saying how to turn it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

ORIENTATION = 0x0112  # EXIF tag; values 5-8 turn the picture a quarter turn


def read_photo(path: Path) -> np.ndarray:
    """The photo's RGB uint8 pixels, upright; a cut-out with transparency is put on white."""
    with Image.open(path) as im:
        return upright_rgb(im, (255, 255, 255))


def upright_rgb(im: Image.Image, fill: tuple[int, int, int]) -> np.ndarray:
    """An opened image's RGB uint8 pixels: EXIF orientation applied, transparency composited on `fill` (dropping
    the alpha would show whatever colour the transparent pixels happen to store, often black)."""
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, tuple(fill) + (255,)), rgba)
    return np.asarray(im.convert("RGB"))


def photo_size(path: Path) -> tuple[int, int]:
    """(width, height) of the upright photo, read from its header."""
    with Image.open(path) as im:
        w, h = im.size
        turned = im.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
    return (h, w) if turned else (w, h)
