"""Blinks: the upper lid slides down over the eye (the eye itself is covered, never squashed).

For each image column the lid skin between the lid margin and the brow is stretched down by the blink amount;
pixels below the moving lid margin keep showing the eye. The skin is taken from a little above the margin (the
landmark sits on the lash line, often a pixel into the iris), so a closed lid carries no iris colour, and the lid's
moving edge gets a soft lash shadow of its own. The backward map is closed-form, so a blink costs one small remap
per eye. Eyes that the photo shows closed or lowered (`can_blink`) keep still.
"""

from __future__ import annotations

import cv2
import numpy as np

LASH_SKIP = 0.035  # IPD above the lid margin where the lid skin starts (lashes and the iris's top edge are skipped)
LASH_SHADOW = 0.35  # darkening of the closed lid's edge
LID_COLOUR = 0.9  # how far the covering lid's low frequencies are pulled to the lid's skin colour
CLOSED_RATIO = 0.1  # mean lid opening / eye width below which the photo's eyes count as closed or lowered
LOWERED_LID = 0.45  # lash line to brow / eye width from which an eye counts as lowered (open eyes seen: 0.21-0.40)
FAR_EYE = 0.5  # an eye narrower than this share of the other one is a near profile's far eye


class EyeLid:
    def __init__(self, upper: np.ndarray, lower: np.ndarray, ipd: float, shape: tuple[int, int],
                 brow: np.ndarray | None = None, rgb: np.ndarray | None = None) -> None:
        h, w = shape
        up = upper[np.argsort(upper[:, 0])]
        lo = lower[np.argsort(lower[:, 0])]
        # How far above the lid margin the skin follows: up to 0.32 IPD, but never into the brow (nor, so, far
        # into a glasses frame resting under it), which would be dragged down over the closed eye.
        self.reach = 0.32 * ipd
        self.lid_to_brow = 0.0
        if brow is not None and len(brow) >= 2:
            under = np.sort(brow[:, 1])[len(brow) // 2:].mean()  # the brow's lower edge
            self.reach = float(np.clip(0.7 * (up[:, 1].mean() - under), 0.1 * ipd, 0.32 * ipd))
            self.lid_to_brow = _lid_to_brow(up, brow)
        self.skip = LASH_SKIP * ipd
        self.ipd = ipd
        x0 = int(max(0, np.floor(min(up[:, 0].min(), lo[:, 0].min()) - 2)))
        x1 = int(min(w, np.ceil(max(up[:, 0].max(), lo[:, 0].max()) + 3)))
        y0 = int(max(0, np.floor(up[:, 1].min() - self.reach - self.skip - 2)))
        y1 = int(min(h, np.ceil(lo[:, 1].max() + 3)))
        self.box = (x0, y0, x1, y1)
        xs = np.arange(x0, x1, dtype=np.float32)
        self.up = np.interp(xs, up[:, 0], up[:, 1]).astype(np.float32)
        lo_y = np.interp(xs, lo[:, 0], lo[:, 1]).astype(np.float32)
        self.opening = np.clip(lo_y - self.up, 0, None) + 0.6 * (lo_y - self.up > 0.5)
        inner = slice(2, -2) if len(up) > 4 else slice(None)
        width = float(np.linalg.norm(upper[-1] - upper[0])) or 1.0
        self.ratio = float(np.mean(np.interp(up[inner, 0], lo[:, 0], lo[:, 1]) - up[inner, 1])) / width
        self.width = width
        # Columns outside the eye's own span do not move (no lid beyond the corners).
        self.span = ((xs >= up[:, 0].min()) & (xs <= up[:, 0].max())).astype(np.float32)
        # The lash line thins out toward the corners (a uniform stroke corner to corner reads as drawn in pencil).
        along = np.clip((xs - up[:, 0].min()) / max(1e-6, float(np.ptp(up[:, 0]))), 0, 1)
        self.lashes = (np.clip(np.sin(np.pi * along), 0, 1) ** 0.6 * self.span).astype(np.float32)
        ys, xg = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        self.ys, self.xs = ys, xg
        self.enabled = True
        self.lid_rgb = None if rgb is None else _lid_colour(rgb, up, lo, ipd, self.skip)
        self.grain = None if rgb is None else _under_eye_grain(rgb, self.box, lo_y, ipd)

    def map(self, blink: float) -> tuple[np.ndarray, np.ndarray]:
        """Backward map (absolute source coords) for the eye box at blink amount 0..1."""
        if not self.enabled:
            return self.xs, self.ys
        hx = (blink * self.opening * self.span)[None, :]
        skip = self.skip * min(1.0, 4.0 * blink) * self.span[None, :]
        a_out = self.up[None, :] - self.ys
        a_src = (a_out + hx) / (1 + hx / self.reach)
        a_src = skip + a_src * (self.reach - skip) / self.reach
        moving = (a_out >= -hx) & (a_out <= self.reach)
        src_y = np.where(moving, self.up[None, :] - a_src, self.ys)
        return self.xs, src_y.astype(np.float32)

    def finish(self, lid: np.ndarray, blink: float) -> np.ndarray:
        """Touch up the remapped eye box (uint8 RGB(A)) in place and return it: where the lid skin is stretched,
        it is smoothed along the lid (stretching turns skin grain into vertical streaks), and the moving lid edge
        gets a soft lash shadow."""
        if not self.enabled or blink < 0.05:
            return lid
        hx = (blink * self.opening * self.span)[None, :]
        edge = self.up[None, :] + hx  # image y of the moving lid edge
        a_out = self.up[None, :] - self.ys
        on_lid = ((a_out >= -hx) & (a_out <= self.reach)).astype(np.float32)
        on_lid = cv2.GaussianBlur(on_lid, (0, 0), 1.0) * min(1.0, 1.5 * blink)
        rgb = lid[..., :3].astype(np.float32)
        if self.lid_rgb is not None:
            # The part of the lid that covers the eye gets the lid's own skin colour (low frequencies only): the
            # skin stretched down from under the brow is often the crease's shadow, which read as a dark smudge.
            # Pulled most at the lash edge, less toward the crease (a lid is shaded toward its fold).
            down = np.clip(-a_out / np.maximum(hx, 1e-3), 0, 1)
            # Soft at the old lid margin (the crease skin above it keeps its shade): a step there read as a patch.
            covering = ((a_out < 0) & (a_out >= -hx)) * (0.5 + 0.5 * down) * self.span[None, :]
            covering = covering.astype(np.float32)
            covering = cv2.GaussianBlur(covering, (0, 0), max(0.8, 0.03 * self.ipd)) * min(1.0, 1.5 * blink)
            covering *= LID_COLOUR
            sl = max(0.8, 0.05 * self.ipd)
            low = cv2.GaussianBlur(rgb, (0, 0), sl)
            rgb = rgb + (self.lid_rgb[None, None, :] - low) * covering[..., None]
        sx = max(0.8, 0.02 * self.ipd)
        smooth = cv2.GaussianBlur(rgb, (0, 0), sigmaX=sx, sigmaY=0.3)
        if self.grain is not None and self.lid_rgb is not None:
            # Smoothing along the lid wipes the skin's grain off it: the whole stretched lid (the part covering the
            # eye and the skin pulled down above it) takes the grain of the skin just under the eye (the same kind
            # of thin skin, in the same light), so it is not a plastic patch.
            over = ((a_out >= -hx) & (a_out <= self.reach)) * self.span[None, :]
            over = cv2.GaussianBlur(over.astype(np.float32), (0, 0), 0.8) * min(1.0, 1.5 * blink)
            smooth = smooth + self.grain * over[..., None]
        width = max(0.7, 0.022 * self.ipd)
        d = (self.ys - edge) / width
        shade = 1 - LASH_SHADOW * min(1.0, blink * 1.5) * np.exp(-d * d) * self.lashes[None, :]
        # The smoothing fades out toward the top of the stretched skin, so it leaves no edge where it stops.
        on_lid = on_lid * np.clip((self.reach - a_out) / (0.5 * self.reach), 0, 1)
        out = (rgb + (smooth - rgb) * on_lid[..., None]) * shade[..., None]
        lid[..., :3] = np.clip(out + 0.5, 0, 255).astype(np.uint8)
        return lid


def _lid_colour(rgb: np.ndarray, up: np.ndarray, lo: np.ndarray, ipd: float, skip: float) -> np.ndarray:
    """The colour a closed lid shows: the lid skin just above the lash line (35%) and the skin just
    under the eye (65%; a closed lid unfolds skin that sat in the crease: lit like the skin around the eye, not like
    the crease's shadow), both sampled across the eye's middle 60%."""
    h, w = rgb.shape[:2]
    xs = np.linspace(up[:, 0].min(), up[:, 0].max(), 24)[4:-4]
    y_up = np.interp(xs, up[:, 0], up[:, 1])
    y_lo = np.interp(xs, lo[:, 0], lo[:, 1])
    samples = []
    for base, offs in ((y_up, -skip - np.linspace(0.01, 0.08, 5) * ipd), (y_lo, np.linspace(0.05, 0.12, 5) * ipd)):
        yy = (base[:, None] + offs[None, :]).round().astype(int).clip(0, h - 1)
        xx = np.repeat(xs[:, None], len(offs), 1).round().astype(int).clip(0, w - 1)
        samples.append(np.median(rgb[yy, xx, :3].reshape(-1, 3).astype(np.float32), axis=0))
    return 0.35 * samples[0] + 0.65 * samples[1]


def _under_eye_grain(rgb: np.ndarray, box: tuple[int, int, int, int], lo_y: np.ndarray, ipd: float) -> np.ndarray:
    """Per pixel of the eye box: the fine texture (high-pass, float RGB) of the skin from 0.06 IPD under the lower lid
    downward, moved up so that it starts at the top of the box; zero where the photo ends."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    start = np.round(lo_y + 0.06 * ipd).astype(int)  # per column, the first under-eye row used
    top, bottom = int(max(0, start.min())), int(min(rgb.shape[0], start.max() + h + 1))
    if bottom - top < 3:
        return np.zeros((h, x1 - x0, 3), np.float32)
    band = rgb[top:bottom, x0:x1, :3].astype(np.float32)
    high = band - cv2.GaussianBlur(band, (0, 0), max(0.8, 0.03 * ipd))
    rows = np.clip(start[None, :] - top + np.arange(h)[:, None], 0, bottom - top - 1)
    grain = high[rows, np.arange(x1 - x0)[None, :]]
    grain[(start[None, :] + np.arange(h)[:, None]) >= rgb.shape[0]] = 0
    return grain.astype(np.float32)


def _lid_to_brow(upper: np.ndarray, brow: np.ndarray) -> float:
    """Lash line (the upper lid's top half) to the brow's lower edge, across the eye's own axis, over its width."""
    axis = upper[-1] - upper[0]
    width = float(np.linalg.norm(axis)) or 1.0
    across = np.array([-axis[1], axis[0]]) / width
    if across[1] < 0:
        across = -across
    lid = np.sort(upper @ across)[: max(1, len(upper) // 2)].mean()
    edge = np.sort(brow @ across)[len(brow) // 2:].mean()
    return float(lid - edge) / width


def can_blink(eyes: list[EyeLid]) -> bool:
    """False when the photo's eyes are closed or lowered: they keep still. Closed: their mean lid opening is small.
    Lowered: FaceMesh often reads a downcast eye as open (it puts the lower lid on the skin under the lash line), but
    the lowered upper lid sits far under the brow: every eye but a near profile's far sliver has its lash line
    `LOWERED_LID` of its width or more under the brow. (Raised brows read the same way: such a photo keeps still.)"""
    if float(np.mean([e.ratio for e in eyes])) < CLOSED_RATIO:
        return False
    widest = max(e.width for e in eyes)
    seen = [e for e in eyes if e.width >= FAR_EYE * widest and e.lid_to_brow > 0]
    return not (seen and all(e.lid_to_brow >= LOWERED_LID for e in seen))


def hidden_far_eye(eyes: list[EyeLid]) -> EyeLid | None:
    """On a near profile the far eye is a sliver at the silhouette (under half the near eye's width): a lid drawn
    over it is a squiggle of lash shadow on the cheek's edge, so it keeps still."""
    narrow, wide = sorted(eyes, key=lambda e: e.width)[0], sorted(eyes, key=lambda e: e.width)[-1]
    return narrow if narrow.width < FAR_EYE * wide.width else None
