"""A face-local frame for one photo: u along the eye line, v down the face, both in pixels, origin at the mouth.

Fields, teeth and masks are all written in (u, v) so a rolled head needs no special case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkframe.avatar import landmarks as L

EYES_TO_MOUTH = 1.02  # eyes-to-mouth height / IPD of a frontal face at rest
FORESHORTEN_MAX = 1.45  # the most a turned face's unit is enlarged over its image IPD


@dataclass
class FaceFrame:
    origin: np.ndarray  # mouth centre (x, y) in image pixels
    ex: np.ndarray  # unit vector along the eye line (image left -> right)
    ey: np.ndarray  # unit vector down the face
    ipd: float  # the face's unit (px): the IPD, or more on a turned face (see `face_frame`)
    half_mouth: float  # px, half the corner-to-corner mouth width
    seam_u: np.ndarray  # closed-lip seam, sorted by u
    seam_v: np.ndarray
    jaw_u: np.ndarray  # lower face outline (jaw line), sorted by u
    jaw_v: np.ndarray
    face_half_width: float  # px, at mouth level
    # The mouth's midline (u of the lips' middle points) and its corners' u: on a turned face the midline is not
    # halfway between the corners (the far half is foreshortened; on a near profile it is the lips' front tip).
    mid_u: float = 0.0
    corner_u: tuple[float, float] = (-1.0, 1.0)

    def to_local(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dx, dy = x - self.origin[0], y - self.origin[1]
        return dx * self.ex[0] + dy * self.ex[1], dx * self.ey[0] + dy * self.ey[1]

    def to_image(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (self.origin[0] + u * self.ex[0] + v * self.ey[0],
                self.origin[1] + u * self.ex[1] + v * self.ey[1])

    def vec_to_image(self, du: np.ndarray, dv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return du * self.ex[0] + dv * self.ey[0], du * self.ex[1] + dv * self.ey[1]

    def seam(self, u: np.ndarray) -> np.ndarray:
        """v of the closed-lip seam at u (flat beyond the corners)."""
        return np.interp(u, self.seam_u, self.seam_v)

    def jaw(self, u: np.ndarray) -> np.ndarray:
        return np.interp(u, self.jaw_u, self.jaw_v)

    def across_mouth(self, u: np.ndarray) -> np.ndarray:
        """u as a frontal mouth would have it: 0 on the lips' midline, -+`half_mouth` at the corners, each half
        scaled on its own (linear past the corners too). Where the jaw opens most, where the incisors part and how
        the teeth shorten toward a corner follow the mouth itself, not the middle of its foreshortened picture."""
        turned = self._turned()
        if turned == 0.0:
            return u
        lo, hi = self.corner_u
        m = self._midline()
        across = np.where(u >= m, (u - m) / (hi - m), (u - m) / (m - lo)) * self.half_mouth
        return (u + turned * (across - u)).astype(np.asarray(u).dtype)

    def mouth_centre(self) -> float:
        """u where `across_mouth` is 0: the lips' midline on a turned face, 0 on a frontal one."""
        return self._turned() * self._midline()

    def _midline(self) -> float:
        lo, hi = self.corner_u  # the midline, kept 15% of the mouth's width from either corner
        return float(np.clip(self.mid_u, lo + 0.15 * (hi - lo), hi - 0.15 * (hi - lo)))

    def _turned(self) -> float:
        """0 for a frontal mouth (midline within 5% of the half-width of the middle) .. 1 from 15% on: a frontal
        face keeps the symmetric layout exactly."""
        lo, hi = self.corner_u
        off = abs(self._midline() - 0.5 * (lo + hi)) / max(self.half_mouth, 1e-6)
        return float(smoothstep(np.asarray((off - 0.05) / 0.1)))


def face_frame(lm: np.ndarray, seam_xy: np.ndarray) -> FaceFrame:
    """Build the frame from (neutralised) landmarks and the closed-lip seam polyline (corner to corner)."""
    le, re = lm[L.IRIS_LEFT, :2], lm[L.IRIS_RIGHT, :2]
    ex = (re - le) / max(1e-6, float(np.linalg.norm(re - le)))
    ey = np.array([-ex[1], ex[0]])
    ipd = float(np.linalg.norm(re - le))
    origin = seam_xy.mean(axis=0)
    # A turned face's eye line is foreshortened (by cos yaw) while its eyes-to-mouth height is not: measured in the
    # image IPD, a three-quarter view would open its mouth and drop its jaw less. The face's own unit is the larger
    # of the IPD and the eyes-to-mouth height (about 1.02 IPD on a frontal face), capped for near profiles.
    height = float(np.linalg.norm(origin - 0.5 * (le + re)))
    ipd = max(ipd, min(FORESHORTEN_MAX * ipd, height / EYES_TO_MOUTH))
    f = FaceFrame(origin, ex, ey, ipd, 0.0, np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1), 0.0)
    su, sv = f.to_local(seam_xy[:, 0], seam_xy[:, 1])
    order = np.argsort(su)
    f.seam_u, f.seam_v = su[order], sv[order]
    cu, _ = f.to_local(lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], 0], lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], 1])
    f.half_mouth = float(abs(cu[1] - cu[0]) / 2)
    f.corner_u = (float(min(cu)), float(max(cu)))
    mids = [L.UPPER_OUTER_MID, L.UPPER_INNER_MID, L.LOWER_INNER_MID, L.LOWER_OUTER_MID]
    f.mid_u = float(np.mean(f.to_local(lm[mids, 0], lm[mids, 1])[0]))
    oval = L.oval_polygon(lm)
    ou, ov = f.to_local(oval[:, 0], oval[:, 1])
    f.jaw_u, f.jaw_v = _lower_envelope(ou, ov)
    side_u, _ = f.to_local(lm[[234, 454], 0], lm[[234, 454], 1])
    f.face_half_width = float(abs(side_u[1] - side_u[0]) / 2)
    return f


def _lower_envelope(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The face outline's lowest point (largest v) at each u, below the mouth: on a turned face the outline runs
    nearly vertically past the chin, and points sorted by u alone would zig-zag between chin and cheek."""
    closed_u, closed_v = np.append(u, u[0]), np.append(v, v[0])
    du, dv = np.diff(closed_u), np.diff(closed_v)
    # At least two samples per 1-unit bin along every segment: with fewer, a long segment of the jaw skips bins
    # that the cheek's branch above it fills, and the jaw line gets notches up to 0.96 IPD deep (a supersampled
    # profile).
    n = int(np.ceil(2 * np.hypot(du, dv).max())) + 1
    t = np.linspace(0, 1, max(8, n), endpoint=False)
    pu = (closed_u[:-1, None] + t[None, :] * du[:, None]).ravel()
    pv = (closed_v[:-1, None] + t[None, :] * dv[:, None]).ravel()
    keep = pv > 0
    if keep.sum() < 2:
        k = np.argsort(u)
        return u[k], v[k]
    pu, pv = pu[keep], pv[keep]
    grid = np.linspace(pu.min(), pu.max(), max(2, int(pu.max() - pu.min()) + 1))
    idx = np.clip(np.searchsorted(grid, pu), 0, len(grid) - 1)
    env = np.full(len(grid), -np.inf)
    np.maximum.at(env, idx, pv)
    ok = np.isfinite(env)
    return grid, np.interp(grid, grid[ok], env[ok])


def side_envelopes(f: FaceFrame, lm: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The face's least and greatest u at each height v (bins of `step` px, from the heights of every mesh point).

    On a near profile the far side's silhouette in front of the mouth is the lips' own tips (the far cheek hides
    behind them), which no outline polygon follows: the envelope of all points does. Empty bins are interpolated;
    each bin also takes its neighbours' extent (a point between two bins counts for both)."""
    u, v = f.to_local(lm[:468, 0], lm[:468, 1])
    grid = np.arange(v.min(), v.max() + step, step)
    idx = np.clip(np.round((v - grid[0]) / step).astype(int), 0, len(grid) - 1)
    lo, hi = np.full(len(grid), np.inf), np.full(len(grid), -np.inf)
    np.minimum.at(lo, idx, u)
    np.maximum.at(hi, idx, u)
    ok = np.isfinite(hi)
    lo, hi = np.interp(grid, grid[ok], lo[ok]), np.interp(grid, grid[ok], hi[ok])
    lo = np.minimum(lo, np.minimum(np.r_[lo[1:], lo[-1]], np.r_[lo[0], lo[:-1]]))
    hi = np.maximum(hi, np.maximum(np.r_[hi[1:], hi[-1]], np.r_[hi[0], hi[:-1]]))
    return grid, lo, hi


def smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def bump(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A compact smooth bump: 1 at (0,0), 0 for a^2 + b^2 >= 1."""
    r2 = a * a + b * b
    return np.clip(1 - r2, 0, None) ** 2
