"""Hex colours as HeyGen accepts them: #RGB, #RRGGBB, #RRGGBBAA (the leading # may be missing)."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")

RGBA = tuple[int, int, int, int]


def is_hex_color(value: str | None) -> bool:
    return isinstance(value, str) and bool(_HEX.match(value.strip()))


def parse_hex_color(value: str) -> RGBA:
    """Return (r, g, b, a); raises ValueError for anything but a hex colour."""
    m = _HEX.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"not a hex colour: {value!r}")
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) == 6:
        h += "ff"
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), int(h[6:8], 16)


def color_or_default(value: str | None, default: str, what: str) -> RGBA:
    """Parse a colour a client may have mangled; fall back to `default` (logged) rather than fail the render.

    The documented 400 (`circle_background_color must be in hex format`) is raised by request validation;
    by the time a render runs, a bad colour is a leniency case.
    """
    if value is None:
        return parse_hex_color(default)
    try:
        return parse_hex_color(value)
    except ValueError:
        log.info("%s %r is not a hex colour; using %s", what, value, default)
        return parse_hex_color(default)


def over_black(rgba: RGBA) -> tuple[int, int, int]:
    """An opaque colour for a video canvas, which has no transparency: alpha is composited over black."""
    r, g, b, a = rgba
    return (r * a + 127) // 255, (g * a + 127) // 255, (b * a + 127) // 255
