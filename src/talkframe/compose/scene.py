"""Compose one scene frame: background, avatar (style, scale, offset, matte), text overlay, test watermark.

Everything that does not change during a scene is prepared in the constructor: the avatar's placement and circle
mask, the text and watermark sprites, and, when the background is static (a colour or an image), the background
with the circle fill and overlays already drawn on it. A frame then costs one copy of that base, one resize of the
avatar, and integer blends inside the avatar's box only (overlays are re-drawn just where they cross that box).

An avatar that moves only inside a box of its picture (a talking photo: its head) goes further on a static
background (`canvas`): the first frame becomes the scene's still canvas, and each frame after it is drawn, scaled
and handed on only inside that box's place on the canvas (`media.canvas.PatchedCanvas`).
"""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.compose.blend import Sprite, blend_color_into, blend_into, mul_alpha, plan_runs
from talkframe.compose.color import color_or_default
from talkframe.compose.fit import Rect
from talkframe.compose.layout import FaceBox, Placement, place_avatar
from talkframe.compose.text import render_text
from talkframe.compose.watermark import watermark_sprite
from talkframe.core.types import FrameSource
from talkframe.media.canvas import Canvas, PatchedCanvas, StillCanvas
from talkframe.request import Character, TextOverlay

# a sprite larger than this many canvases is not resized whole: only its visible part is warped
_MAX_SPRITE_CANVASES = 2


class SceneComposer:
    """Per-scene compositor; `frame(i, avatar_rgba)` returns a new RGB uint8 canvas of `size` (w, h)."""

    def __init__(self, size: tuple[int, int], avatar_size: tuple[int, int], character: Character,
                 background: FrameSource, *, text: TextOverlay | None = None, watermark: bool = False,
                 face_box: FaceBox | None = None, moving_box: tuple[int, int, int, int] | None = None) -> None:
        self.size = size
        self.avatar_size = avatar_size
        self.background = background
        self.placement: Placement = place_avatar(size, avatar_size, character, face_box)
        self.visible: Rect | None = self.placement.visible(size)
        self.overlays: list[Sprite] = [s for s in (render_text(text, size),) if s is not None]
        if watermark:
            self.overlays.append(watermark_sprite(size))
        self.circle_mask = self._circle_mask() if self.placement.circle else None
        self.circle_runs = plan_runs(self.circle_mask) if self.circle_mask is not None else None
        self.circle_fill: tuple[int, int, int, int] | None = None
        if self.circle_mask is not None and character.circle_background_color:
            self.circle_fill = color_or_default(character.circle_background_color, "#ffffff",
                                                "circle_background_color")
        self.static = bool(getattr(background, "static", False))
        # static backgrounds: `under` is what lies beneath the avatar, `base` adds the overlays on top
        self.under = self._underlay(background.frame(0).copy()) if self.static else None
        self.base: np.ndarray | None = None
        if self.under is not None:
            self.base = self.under.copy()
            self._overlay(self.base, None)
        self.moving: Rect | None = self._moving_rect(moving_box)
        self._still: StillCanvas | None = None
        self._scratch: np.ndarray | None = None  # the still, redrawn inside `moving` each frame
        self._runs: dict[Rect, list] = {}

    def canvas(self, index: int, avatar_rgba: np.ndarray) -> Canvas:
        """Frame `index` for the writer: a `PatchedCanvas` when only the avatar's moving box can differ from the
        scene's still canvas, else the whole RGB canvas (`frame`)."""
        if self.moving is None or self.under is None or self.visible is None:
            return self.frame(index, avatar_rgba)
        if self._still is None:
            still = self.under.copy()
            self._draw_avatar(still, avatar_rgba, self.visible)
            self._overlay(still, None)
            self._still, self._scratch = StillCanvas(still), still.copy()
        m, scratch = self.moving, self._scratch
        assert scratch is not None
        scratch[m.y : m.y1, m.x : m.x1] = self.under[m.y : m.y1, m.x : m.x1]
        self._draw_avatar(scratch, avatar_rgba, _intersect(m, self.visible))
        self._overlay(scratch, m)
        return PatchedCanvas(self._still, (m.x, m.y, m.x1, m.y1), scratch[m.y : m.y1, m.x : m.x1].copy())

    def frame(self, index: int, avatar_rgba: np.ndarray) -> np.ndarray:
        if self.base is not None:
            canvas = self.base.copy()
        else:
            canvas = self._underlay(np.array(self.background.frame(index), copy=True))
        if self.visible is None:
            if self.base is None:
                self._overlay(canvas, None)
            return canvas
        v = self.visible
        rgb, alpha = self._avatar_sprite(avatar_rgba)
        runs = None
        if self.circle_mask is not None:
            if alpha is None:
                alpha, runs = self.circle_mask, self.circle_runs
            else:
                alpha = mul_alpha(alpha, self.circle_mask)
        region = canvas[v.y : v.y1, v.x : v.x1]
        if self.under is not None and self.overlays and alpha is not None:
            region[...] = self.under[v.y : v.y1, v.x : v.x1]  # overlays are re-drawn above the avatar below
        if alpha is None:
            region[...] = rgb
        else:
            blend_into(region, rgb, alpha, runs)
        self._overlay(canvas, v if self.base is not None else None)
        return canvas

    def close(self) -> None:
        """Release the background's decoder, if it has one."""
        close = getattr(self.background, "close", None)
        if callable(close):
            close()

    # --- per-scene preparation -------------------------------------------------------------------------------

    def _moving_rect(self, box: tuple[int, int, int, int] | None) -> Rect | None:
        """Where on the canvas frames can differ, for an avatar that moves only inside `box` (x0, y0, x1, y1 of its
        picture): the box's place, 2 px wider for interpolation, on even pixels (4:2:0 blocks); None when frames
        are drawn whole (a changing background, an odd-sized canvas, no box)."""
        v, p = self.visible, self.placement
        if box is None or self.under is None or v is None or self.size[0] % 2 or self.size[1] % 2:
            return None
        kx, ky = p.dst.w / p.src.w, p.dst.h / p.src.h
        x0 = int(np.floor(p.dst.x + (box[0] - p.src.x) * kx)) - 2
        y0 = int(np.floor(p.dst.y + (box[1] - p.src.y) * ky)) - 2
        x1 = int(np.ceil(p.dst.x + (box[2] - p.src.x) * kx)) + 2
        y1 = int(np.ceil(p.dst.y + (box[3] - p.src.y) * ky)) + 2
        x0, y0 = max(v.x, x0), max(v.y, y0)
        x1, y1 = min(v.x1, x1), min(v.y1, y1)
        if x1 <= x0 or y1 <= y0:
            return None
        x0, y0 = x0 - x0 % 2, y0 - y0 % 2
        x1, y1 = min(self.size[0], x1 + x1 % 2), min(self.size[1], y1 + y1 % 2)
        return Rect(x0, y0, x1 - x0, y1 - y0)

    def _circle_mask(self) -> np.ndarray:
        """Anti-aliased disc over the visible part of the avatar's box (drawn at 1/16 pixel precision)."""
        p, v = self.placement.dst, self.visible
        if v is None:
            return np.zeros((0, 0), np.uint8)
        mask = np.zeros((v.h, v.w), np.uint8)
        cx, cy, r = (p.x - v.x) + p.w / 2, (p.y - v.y) + p.h / 2, min(p.w, p.h) / 2
        cv2.circle(mask, (round((cx - 0.5) * 16), round((cy - 0.5) * 16)), round(r * 16), 255, -1, cv2.LINE_AA,
                   shift=4)
        return mask

    def _underlay(self, canvas: np.ndarray) -> np.ndarray:
        """Layers between background and avatar: the circle's fill colour."""
        if self.circle_fill is not None and self.circle_mask is not None and self.visible is not None:
            v = self.visible
            *rgb, a = self.circle_fill
            mask = self.circle_mask if a == 255 else mul_alpha(self.circle_mask, np.full_like(self.circle_mask, a))
            blend_color_into(canvas[v.y : v.y1, v.x : v.x1], tuple(rgb), mask)  # type: ignore[arg-type]
        return canvas

    # --- per-frame work --------------------------------------------------------------------------------------

    def _avatar_sprite(self, avatar_rgba: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The avatar's visible pixels on the canvas as (rgb, alpha); alpha None when fully opaque."""
        if (avatar_rgba.shape[1], avatar_rgba.shape[0]) != self.avatar_size:
            avatar_rgba = cv2.resize(avatar_rgba, self.avatar_size, interpolation=cv2.INTER_AREA)
        src, dst, v = self.placement.src, self.placement.dst, self.visible
        assert v is not None
        window = avatar_rgba[src.y : src.y1, src.x : src.x1]
        # OpenCV's SIMD channel split is several times faster than numpy's strided copies
        rgb = cv2.cvtColor(window, cv2.COLOR_RGBA2RGB) if window.shape[2] == 4 else np.ascontiguousarray(window)
        alpha = cv2.extractChannel(window, 3) if window.shape[2] == 4 else None
        if alpha is not None and int(alpha.min()) == 255:
            alpha = None
        rgb = _resample(rgb, src, dst, v, self.size)
        return rgb, None if alpha is None else _resample(alpha, src, dst, v, self.size)

    def _draw_avatar(self, canvas: np.ndarray, avatar_rgba: np.ndarray, a: Rect | None) -> None:
        """Blend the avatar's pixels inside `a` (a part of the visible rectangle) over what `canvas` holds there."""
        if a is None:
            return
        v = self.visible
        assert v is not None
        rgb, alpha = self._avatar_part(avatar_rgba, a)
        runs = None
        if self.circle_mask is not None:
            circle = self.circle_mask[a.y - v.y : a.y1 - v.y, a.x - v.x : a.x1 - v.x]
            if alpha is None:
                if a not in self._runs:
                    self._runs[a] = plan_runs(circle)
                alpha, runs = circle, self._runs[a]
            else:
                alpha = mul_alpha(alpha, circle)
        region = canvas[a.y : a.y1, a.x : a.x1]
        if alpha is None:
            region[...] = rgb
        else:
            blend_into(region, rgb, alpha, runs)

    def _avatar_part(self, avatar_rgba: np.ndarray, a: Rect) -> tuple[np.ndarray, np.ndarray | None]:
        """The avatar's pixels on the canvas inside `a`, as (rgb, alpha); alpha None when fully opaque.

        Scaled up (or 1:1), only the source pixels under `a` are read and warped (the same pixel-centre mapping for
        any `a`, so a part drawn alone matches the whole); scaled down, the whole window is area-averaged and cut."""
        if (avatar_rgba.shape[1], avatar_rgba.shape[0]) != self.avatar_size:
            avatar_rgba = cv2.resize(avatar_rgba, self.avatar_size, interpolation=cv2.INTER_AREA)
        src, dst = self.placement.src, self.placement.dst
        if dst.w < src.w or dst.h < src.h:
            rgb, alpha = self._avatar_sprite(avatar_rgba)
            v = self.visible
            assert v is not None
            cut = (slice(a.y - v.y, a.y1 - v.y), slice(a.x - v.x, a.x1 - v.x))
            return rgb[cut], None if alpha is None else alpha[cut]
        kx, ky = dst.w / src.w, dst.h / src.h
        # source pixels under `a` (window coordinates), with a 2-pixel margin for the bilinear taps
        sx0 = max(0, int(np.floor((a.x - dst.x + 0.5) / kx - 0.5)) - 2)
        sy0 = max(0, int(np.floor((a.y - dst.y + 0.5) / ky - 0.5)) - 2)
        sx1 = min(src.w, int(np.ceil((a.x1 - dst.x + 0.5) / kx - 0.5)) + 3)
        sy1 = min(src.h, int(np.ceil((a.y1 - dst.y + 0.5) / ky - 0.5)) + 3)
        window = avatar_rgba[src.y + sy0 : src.y + sy1, src.x + sx0 : src.x + sx1]
        rgb = cv2.cvtColor(window, cv2.COLOR_RGBA2RGB) if window.shape[2] == 4 else np.ascontiguousarray(window)
        alpha = cv2.extractChannel(window, 3) if window.shape[2] == 4 else None
        if alpha is not None and int(alpha.min()) == 255:
            alpha = None
        m = np.array([[kx, 0, kx * sx0 + 0.5 * kx - 0.5 - (a.x - dst.x)],
                      [0, ky, ky * sy0 + 0.5 * ky - 0.5 - (a.y - dst.y)]])

        def warp(image: np.ndarray) -> np.ndarray:
            return cv2.warpAffine(image, m, (a.w, a.h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

        return warp(rgb), None if alpha is None else warp(alpha)

    def _overlay(self, canvas: np.ndarray, within: Rect | None) -> None:
        for sprite in self.overlays:
            sprite.draw(canvas, within)


def _intersect(a: Rect, b: Rect) -> Rect | None:
    x0, y0, x1, y1 = max(a.x, b.x), max(a.y, b.y), min(a.x1, b.x1), min(a.y1, b.y1)
    return Rect(x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def _resample(image: np.ndarray, src: Rect, dst: Rect, v: Rect, canvas: tuple[int, int]) -> np.ndarray:
    """Scale the `src` window to `dst` and return the part inside the visible rectangle `v`."""
    if dst.w * dst.h <= _MAX_SPRITE_CANVASES * canvas[0] * canvas[1]:
        shrink = dst.w < src.w or dst.h < src.h
        out = cv2.resize(image, (dst.w, dst.h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
        return out[v.y - dst.y : v.y1 - dst.y, v.x - dst.x : v.x1 - dst.x]
    # a huge close-up: warp only the visible pixels (same pixel-centre mapping as cv2.resize)
    kx, ky = dst.w / src.w, dst.h / src.h
    m = np.array([[kx, 0, 0.5 * kx - 0.5 - (v.x - dst.x)], [0, ky, 0.5 * ky - 0.5 - (v.y - dst.y)]])
    return cv2.warpAffine(image, m, (v.w, v.h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
