"""Find a real font file offline for a `font_family` name: system fonts, then the DejaVu set in matplotlib's wheel.

Nothing is downloaded. Common web/OS families (Arial, Helvetica, Roboto, Times New Roman, Courier...) map onto the
DejaVu family of the same kind; an unknown family falls back to DejaVu Sans with a logged note.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

DEFAULT_FAMILY = "dejavusans"
_SANS = ("arial", "helvetica", "helveticaneue", "inter", "roboto", "opensans", "lato", "montserrat", "poppins",
         "sansserif", "sans", "verdana", "segoeui", "calibri", "notosans", "sourcesanspro", "systemui", "tahoma")
_SERIF = ("timesnewroman", "times", "georgia", "serif", "garamond", "cambria", "notoserif", "merriweather",
          "playfairdisplay")
_MONO = ("couriernew", "courier", "monospace", "mono", "consolas", "menlo", "robotomono", "sourcecodepro")
ALIASES = {**{k: "dejavusans" for k in _SANS}, **{k: "dejavuserif" for k in _SERIF},
           **{k: "dejavusansmono" for k in _MONO}}
_STYLE_WORDS = ("bold", "italic", "oblique", "regular", "book", "medium", "light", "extralight", "condensed")


def font_dirs() -> list[Path]:
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
    spec = importlib.util.find_spec("matplotlib")  # located, not imported (importing it is slow)
    if spec and spec.submodule_search_locations:
        dirs.append(Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf")
    return [d for d in dirs if d.is_dir()]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _split(stem: str) -> tuple[str, frozenset[str]]:
    """'DejaVuSans-BoldOblique' -> ('dejavusans', {'bold', 'oblique'})."""
    family, _, style = stem.partition("-")
    words = frozenset(w for w in _STYLE_WORDS if w in style.lower())
    return _key(family), words


@functools.lru_cache(maxsize=1)
def font_index() -> dict[str, dict[frozenset[str], Path]]:
    """family key -> style words -> file, for every .ttf/.otf found (first directory wins)."""
    index: dict[str, dict[frozenset[str], Path]] = {}
    for d in font_dirs():
        for path in sorted(d.rglob("*")):
            if path.suffix.lower() in (".ttf", ".otf"):
                family, style = _split(path.stem)
                index.setdefault(family, {}).setdefault(style, path)
    return index


def find_font(family: str | None, bold: bool) -> Path | None:
    """The file for `family` (bold face when asked and available), else the default family's, else None."""
    index = font_index()
    key = _key(family or "")
    if key and key not in index:
        key = ALIASES.get(key, key)
    if key not in index:
        if family:
            log.info("font_family %r is not installed; using DejaVu Sans", family)
        key = DEFAULT_FAMILY
    faces = index.get(key) or next(iter(index.values()), None)
    if not faces:
        return None
    wanted = frozenset({"bold"}) if bold else frozenset()
    return faces.get(wanted) or faces.get(frozenset()) or faces.get(frozenset({"book"})) or next(iter(faces.values()))


@functools.lru_cache(maxsize=32)
def load_font(family: str | None, bold: bool, size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A FreeType font at `size_px`; Pillow's built-in scalable font when no file exists at all."""
    path = find_font(family, bold)
    if path is None:
        log.warning("no TrueType fonts found; using Pillow's built-in font")
        return ImageFont.load_default(size=size_px)
    return ImageFont.truetype(str(path), size=size_px)
