"""Hex colours as HeyGen accepts them: #RGB, #RRGGBB, #RRGGBBAA."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


def is_hex_color(value: str | None) -> bool:
    return bool(value) and bool(_HEX.match(value.strip()))


def parse_hex_color(value: str) -> tuple[int, int, int, int]:
    """Return (r, g, b, a); raises ValueError for anything but a hex colour."""
    m = _HEX.match(value.strip())
    if not m:
        raise ValueError(f"not a hex colour: {value!r}")
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) == 6:
        h += "ff"
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), int(h[6:8], 16)
