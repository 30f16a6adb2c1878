"""The inside of an open mouth: cavity, upper teeth (rigid with the skull), lower teeth, tongue.

Everything is drawn at the photo's own resolution in face-frame coordinates, coloured from the person's lips,
skin and lighting, and composited with an anti-aliased coverage of the inner-lip polygon.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from talkframe.avatar.geometry import FaceFrame, smoothstep
from talkframe.avatar.neutralise import colourfulness, smooth_curve


@dataclass
class MouthColours:
    lip: np.ndarray  # float32 RGB 0..255
    skin: np.ndarray
    teeth: np.ndarray
    colour: float = 1.0  # the photo's colourfulness: 0 greyscale (the interior is drawn grey) .. 1 full colour
    black: np.ndarray | None = None  # the photo's black and white levels (RGB): a washed-out photo's mouth is too
    white: np.ndarray | None = None

    def to_levels(self, img: np.ndarray) -> np.ndarray:
        """Colours drawn on a full 0..255 range, put into the photo's own range (lifted blacks, dimmed whites)."""
        if self.black is None or self.white is None:
            return img
        return self.black + img * ((self.white - self.black) / 255.0)

    def from_levels(self, rgb: np.ndarray) -> np.ndarray:
        """The inverse of `to_levels`, for colours sampled from the photo (they are in its range already)."""
        if self.black is None or self.white is None:
            return rgb
        return (rgb - self.black) * (255.0 / np.maximum(self.white - self.black, 1.0))


def sample_colours(rgb: np.ndarray, lm: np.ndarray, contours: dict[str, list[int]],
                   teeth_hint: np.ndarray | None) -> MouthColours:
    """Lip colour from the lower lip, skin from the cheeks, teeth from the photo (if shown) or the skin's light."""
    poly = np.concatenate([lm[contours["lower_outer"], :2], lm[contours["lower_inner"][::-1], :2]])
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
    lip = rgb[mask > 0].reshape(-1, 3).astype(np.float32)
    lip_c = np.median(lip, axis=0) if len(lip) else np.array([170, 90, 90], np.float32)
    ipd = float(np.linalg.norm(lm[468, :2] - lm[473, :2]))
    skins = []
    for idx in (205, 425):  # mid cheeks
        x, y = np.round(lm[idx, :2]).astype(int)
        r = max(2, int(0.08 * ipd))
        patch = rgb[max(0, y - r): y + r, max(0, x - r): x + r].reshape(-1, 3)
        if len(patch):
            skins.append(np.median(patch, axis=0))
    skin = np.mean(skins, axis=0).astype(np.float32) if skins else np.array([200, 160, 140], np.float32)
    light = float(np.clip(skin.mean() / 165.0, 0.55, 1.2))
    if teeth_hint is not None:
        teeth = np.asarray(teeth_hint, np.float32)
    else:
        teeth = np.array([232, 226, 212], np.float32) * light + 0.08 * (skin - skin.mean())
    black, white = photo_levels(rgb, skin)
    return MouthColours(lip_c.astype(np.float32), skin, np.clip(teeth, 0, 255).astype(np.float32),
                        colourfulness(rgb, lm), black, white)


def photo_levels(rgb: np.ndarray, skin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The photo's black and white points (0.5th and 99.5th percentiles of its lightness, the same for all three
    channels so that a coloured backdrop casts nothing), bounded by the skin's: black under 60% of it, white over it.
    A washed-out or matte photo has no deep shadow anywhere, so the mouth's cavity must not be one either; a normal
    photo gives about 0 and 255, and nothing changes."""
    lum = rgb[::2, ::2, :3].astype(np.float32).mean(axis=2)
    s = float(np.mean(skin))
    black = min(float(np.percentile(lum, 0.5)), 0.6 * s)
    white = max(float(np.percentile(lum, 99.5)), min(255.0, 1.1 * s))
    return np.full(3, black, np.float32), np.full(3, white, np.float32)


class MouthInterior:
    """Precomputed pixel grid of the mouth box; `draw` fills the gap between the moved inner lips."""

    def __init__(self, f: FaceFrame, colours: MouthColours, box: tuple[int, int, int, int],
                 grain: np.ndarray | None = None) -> None:
        self.f, self.c, self.box = f, colours, box
        self.grain = grain  # the photo's own fine texture over the box (`photo_grain`), or None
        x0, y0, x1, y1 = box
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        self.u, self.v = f.to_local(xs, ys)
        self.across = f.across_mouth(self.u)  # the teeth's and tongue's lateral layout: centred on the midline
        self.seam0 = f.seam(self.u)  # rest seam: the upper teeth hang from it, rigid with the skull

    def draw(self, patch: np.ndarray, upper: np.ndarray, lower: np.ndarray, opening: float,
             rounding: float = 0.0, within: np.ndarray | None = None) -> None:
        """Paint into `patch` (the warped mouth box, uint8 RGB(A)) inside the polygon upper + reversed lower, and
        only where `within` (0..1 per pixel of the box: the person, not the background) allows."""
        if opening <= 0.004:
            return
        f, c = self.f, self.c
        d, hw = f.ipd, f.half_mouth
        x0, y0, x1, y1 = self.box
        # A smooth outline (spline through the moved contours), narrowed toward the centre so the cavity stops short
        # of the mouth corners (more so for rounded lips, whose opening is a small oval).
        mid = 0.5 * (upper[len(upper) // 2] + lower[len(lower) // 2])
        poly = np.concatenate([smooth_curve(upper), smooth_curve(lower)[::-1]])
        poly = mid + (poly - mid) * np.array([0.93 - 0.22 * rounding, 1.0])
        # Work only on the polygon's bounding box (plus the feather), inside the mouth box.
        pad = 3 + int(0.03 * d)
        bx0 = max(x0, int(np.floor(poly[:, 0].min())) - pad)
        by0 = max(y0, int(np.floor(poly[:, 1].min())) - pad)
        bx1 = min(x1, int(np.ceil(poly[:, 0].max())) + pad + 1)
        by1 = min(y1, int(np.ceil(poly[:, 1].max())) + pad + 1)
        if bx1 <= bx0 or by1 <= by0:
            return
        # Coverage at 4x supersampling, area-averaged down: no stair steps once the frame is scaled up.
        ss = 4
        big = np.zeros(((by1 - by0) * ss, (bx1 - bx0) * ss), np.uint8)
        cv2.fillPoly(big, [np.round(((poly - [bx0, by0] + 0.5) * ss - 0.5) * 16).astype(np.int32)], 255,
                     cv2.LINE_AA, shift=4)
        cov = cv2.resize(big, (bx1 - bx0, by1 - by0), interpolation=cv2.INTER_AREA)
        if not cov.any():
            return
        cov = cov.astype(np.float32) / 255.0
        sl = (slice(by0 - y0, by1 - y0), slice(bx0 - x0, bx1 - x0))
        u, v, seam0, ua = self.u[sl], self.v[sl], self.seam0[sl], self.across[sl]
        patch = patch[sl]
        uu, uv = f.to_local(upper[:, 0], upper[:, 1])
        lu, lv = f.to_local(lower[:, 0], lower[:, 1])
        vt = np.interp(u, uu[np.argsort(uu)], uv[np.argsort(uu)])  # upper lip edge
        vb = np.interp(u, lu[np.argsort(lu)], lv[np.argsort(lu)])  # lower lip edge
        gap = np.maximum(vb - vt, 1e-3)
        # Cavity: lip colour deep in shadow, darkest at the back and toward the corners.
        depth = smoothstep(np.minimum(v - vt, vb - v) / (0.05 * d + 0.5))
        side = np.clip(np.abs(ua) / hw, 0, 1)
        shade = (0.7 - 0.4 * depth) * (1 - 0.45 * side * side)
        lip = c.from_levels(c.lip)
        cavity = 0.55 * lip + 0.45 * np.array([160, 48, 52], np.float32)
        img = cavity[None, None, :] * shade[..., None]
        # Tongue: a soft, lit mound low in the cavity, visible once the mouth is well open.
        if opening > 0.05:
            # A lit, rounded mound resting behind the lower teeth: its top catches light, its sides fall into shadow.
            tc = np.interp(f.mouth_centre(), lu[np.argsort(lu)], lv[np.argsort(lu)]) - 0.01 * d
            ry = max(1.0, 0.6 * float(np.median(gap)))
            t = ((ua / (0.7 * hw)) ** 2 + ((v - tc) / ry) ** 2)
            tcov = smoothstep((1 - t) / 0.3) * min(1.0, (opening - 0.05) / 0.07)
            tongue = (0.5 * lip + 0.5 * np.array([205, 100, 105], np.float32)) * 0.85
            tshade = (0.55 + 0.35 * smoothstep(1 - t))[..., None]
            img = img * (1 - tcov[..., None]) + tongue * tshade * tcov[..., None] * (1 - 0.4 * side[..., None])
        teeth = c.from_levels(c.teeth)[None, None, :]
        # Lower teeth: rigid with the jaw, mostly behind the lower lip.
        show = float(np.clip((opening - 0.12) / 0.1, 0, 1))
        lt_top = vb - 0.022 * d * show * np.clip(1 - (ua / (0.5 * hw)) ** 2, 0, 1)
        lcov = np.clip(v - lt_top, 0, 1) * np.clip((0.5 * hw - np.abs(ua)) / 1.5 + 0.5, 0, 1) * show
        lshade = (0.72 * (1 - 0.45 * (ua / (0.52 * hw)) ** 2))[..., None]
        lteeth = teeth * lshade + cavity * (1 - lshade) * 0.35
        img = img * (1 - lcov[..., None]) + lteeth * lcov[..., None]
        # Upper teeth: hang from the rest seam, tips arched, a faint line between incisors, shadowed under the lip.
        tip = seam0 + (0.085 - 0.05 * rounding) * d - 0.035 * d * (ua / (0.72 * hw)) ** 2
        bounds = np.array([0.0, 0.12, -0.12, 0.215, -0.215, 0.29, -0.29]) * d
        sep = np.zeros_like(ua)
        for b in bounds:
            sep = np.maximum(sep, np.exp(-(((ua - b) / (0.007 * d + 0.45)) ** 2)))
        tip = tip - 0.012 * d * sep
        ucov = np.clip(tip - v + 0.5, 0, 1) * np.clip((0.75 * hw - np.abs(ua)) / 1.5 + 0.5, 0, 1)
        lat = 1 - 0.55 * np.clip(np.abs(ua) / (0.75 * hw), 0, 1) ** 2
        lipshadow = 0.62 + 0.38 * smoothstep((v - vt) / (0.045 * d + 0.5))
        ushade = (lat * lipshadow * (1 - 0.15 * sep) * 0.93)[..., None]
        uteeth = teeth * ushade + cavity * (1 - ushade) * 0.45  # shadows are warm, not grey
        img = img * (1 - ucov[..., None]) + uteeth * ucov[..., None]
        img = c.to_levels(img)
        if self.grain is not None:  # the photo's grain (noise, film): clean teeth on a grainy photo look pasted in
            img = img + self.grain[sl][..., None]
        if c.colour < 0.999:  # a greyscale (or faded) photo gets a mouth of its own colourfulness
            grey = img @ np.array([0.299, 0.587, 0.114], np.float32)
            img = grey[..., None] + c.colour * (img - grey[..., None])
        # Composite with a soft edge so the lips overlap the interior.
        cov = cv2.GaussianBlur(cov, (0, 0), max(0.35, 0.01 * d))
        if within is not None:
            cov = cov * within[sl]
        area = patch[..., :3].astype(np.float32)
        out = area * (1 - cov[..., None]) + img * cov[..., None]
        patch[..., :3] = np.clip(out + 0.5, 0, 255).astype(np.uint8)


def photo_grain(rgb: np.ndarray, lm: np.ndarray, ipd: float, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The photo's fine luminance texture (noise, film grain, pores at pixel scale) sampled on the cheeks and tiled,
    mirrored, over `box`; None when the cheeks are too small to sample or the photo is clean (std under 1 level)."""
    r = int(0.12 * ipd)
    if r < 6:
        return None
    patches = []
    pad = 4  # the blur's reach, so the patch's own edges are high-passed like its middle
    for idx in (205, 425):  # mid cheeks (as for the skin colour)
        x, y = np.round(lm[idx, :2]).astype(int)
        if y - r - pad < 0 or x - r - pad < 0:
            continue
        lum = rgb[y - r - pad: y + r + pad, x - r - pad: x + r + pad, :3].astype(np.float32).mean(axis=2)
        p = (lum - cv2.GaussianBlur(lum, (0, 0), 1.0))[pad:-pad, pad:-pad]
        if p.shape == (2 * r, 2 * r):
            patches.append(p)
    if not patches:
        return None
    p = patches[0] if len(patches) == 1 else min(patches, key=lambda a: float(a.std()))  # the cleaner cheek
    sd = float(p.std())
    if sd < 1.0:
        return None
    p = np.clip(p, -2.5 * sd, 2.5 * sd)  # a mole or a hair is not grain
    tile = np.block([[p, p[:, ::-1]], [p[::-1], p[::-1, ::-1]]])
    x0, y0, x1, y1 = box
    reps = (-(-(y1 - y0) // tile.shape[0]), -(-(x1 - x0) // tile.shape[1]))
    return np.ascontiguousarray(np.tile(tile, reps)[: y1 - y0, : x1 - x0], dtype=np.float32)
