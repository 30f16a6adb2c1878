"""Displacement fields of the lower face, one per articulation channel, in face-normalised amounts.

Each field gives the forward displacement (image px) of a source point for one unit of its channel. They are
analytic in the face frame, so they can be evaluated on the warp grid and, with the lip side forced, on the inner
lip contours (which sit on the same seam but move apart when the jaw opens).
"""

from __future__ import annotations

import numpy as np

from talkframe.avatar.geometry import FaceFrame, bump, smoothstep

CHANNELS = ("jaw", "width", "round", "smile", "relax", "lip_teeth")


def lower_weight(f: FaceFrame, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """0 above the lip seam, 1 below: sharp between the mouth corners, widening over the cheeks."""
    tau = max(0.5, 0.01 * f.ipd) + 0.9 * np.clip(np.abs(u) - 0.9 * f.half_mouth, 0, None)
    return smoothstep((v - f.seam(u) + tau) / (2 * tau))


def field(f: FaceFrame, name: str, u: np.ndarray, v: np.ndarray, wl: np.ndarray | None = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """(du, dv) in px for one unit of channel `name` at face-frame points (u, v); `wl` forces the lip side."""
    d, hw = f.ipd, f.half_mouth
    if wl is None:
        wl = lower_weight(f, u, v)
    vs = v - f.seam(u)
    zero = np.zeros_like(u)
    if name == "jaw":  # one unit = 1 IPD of inner-lip opening
        W = max(f.face_half_width * 0.98, 1.6 * hw)
        lat = np.clip(1 - (u / W) ** 2, 0, 1) ** 0.8
        # Nothing moves beyond the face's own outline (a turned face's far side ends at its silhouette, closer to
        # the mouth than W: there the chin would drag the background or the collar down with it).
        # The lips themselves always move (on a profile they reach past the chin's outline).
        m = 0.12 * d
        inside = smoothstep((u - f.jaw_u[0] + m) / m) * smoothstep((f.jaw_u[-1] + m - u) / m)
        lips = smoothstep((1.2 * hw - np.abs(u)) / (0.3 * hw)) * (1 - smoothstep((vs - 0.1 * d) / (0.25 * d)))
        lat = lat * np.maximum(inside, lips)
        # Below the jaw line the motion dies out quickly: the chin slides over the neck instead of dragging the
        # neck and the collar down with it (the collar sits ~0.3-0.5 IPD under the chin).
        fade = 0.3 * d
        neck = 1 - smoothstep((v - f.jaw(u) + 0.02 * d) / fade)
        # The lip corners stay pinned (an oval opening), the chin drops a little less than the lower lip. Across the
        # mouth itself (`across_mouth`): a turned face opens most on its lips' midline, a near profile at its tip.
        um = f.across_mouth(u)
        pin = np.clip(1 - (um / hw) ** 2, 0, 1) ** 0.55  # a rounded U, not a V toward the corners
        near_lip = np.clip(1 - (np.clip(vs, 0, None) / (0.5 * d)) ** 2, 0, 1) ** 2
        chin = 1 - 0.22 * smoothstep(vs / np.maximum(f.jaw(u) - f.seam(u), 1.0))
        down = wl * lat * neck * (near_lip * pin + (1 - near_lip)) * chin
        up_lip = (1 - wl) * bump(um / (1.25 * hw), vs / (0.45 * d))
        du = -0.12 * u * wl * bump(u / (1.8 * hw), vs / (0.8 * d))  # the mouth narrows a little as it opens
        return du * d / max(hw, 1), (0.9 * down - 0.1 * up_lip) * d
    if name == "width":  # one unit = the corners move out by a mouth half-width each
        b = bump(u / (2.0 * hw), vs / (0.5 * d))
        return u * b / 0.5625, zero
    if name == "round":  # lips pout: a small round opening, lips a little taller
        side = 2 * wl - 1
        # An oval opening in the middle of the (narrowed) mouth.
        b = bump(0.0 * u, vs / (0.3 * d)) * np.clip(1 - (f.across_mouth(u) / (0.8 * hw)) ** 2, 0, 1) ** 0.6
        return zero, 0.05 * d * side * b
    if name == "smile":  # corners up and out, cheeks raised
        du, dv = zero.copy(), zero.copy()
        for sgn in (-1.0, 1.0):
            cu, cv = sgn * hw, float(f.seam(np.array([sgn * hw]))[0])
            bc = bump((u - cu) / (0.55 * d), (v - cv) / (0.4 * d))
            bk = bump((u - sgn * 0.5 * d) / (0.36 * d), (v - cv + 0.3 * d) / (0.28 * d))
            du += sgn * 0.045 * d * bc
            dv += -0.1 * d * bc - 0.03 * d * bk
        return du, dv
    if name == "relax":  # the photo's smile lets go: the lip line flattens, the corners come down and in
        s_mid = float(f.seam(np.array([0.0]))[0])
        lift = np.clip(s_mid - f.seam(np.clip(u, -hw, hw)), 0, None)  # how far the seam sits above its middle
        # The lips move whole; nose and chin stay. Above the lips the motion dies out by 0.36 IPD: the cheek
        # and the nasolabial fold over it stay put (dragging the fold's lower end down with the corner bent it
        # into a lump beside the mouth).
        g_v = np.where(vs < 0, smoothstep((0.36 * d + vs) / (0.26 * d)), smoothstep((0.62 * d - vs) / (0.47 * d)))
        g_u = smoothstep((hw + 0.55 * d - np.abs(u)) / (0.55 * d))
        cheek = sum(bump((u - sgn * 0.5 * d) / (0.36 * d), (vs + 0.3 * d) / (0.28 * d)) for sgn in (-1.0, 1.0))
        du = -0.07 * u * g_u * g_v
        return du, lift * g_u * g_v + 0.012 * d * cheek
    if name == "lip_teeth":  # upper lip lifts off the teeth, lower lip tucks up under them
        b_up = (1 - wl) * bump(u / (1.3 * hw), vs / (0.4 * d))
        b_lo = wl * bump(u / (1.2 * hw), vs / (0.3 * d))
        return zero, (-0.06 * b_up - 0.025 * b_lo) * d
    raise KeyError(name)
