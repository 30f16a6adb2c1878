"""A near profile's front edge: where, in front of its lips, the photo is background and not face.

The rig layers the moved face over the still photo there (`PhotoRig`), so the jaw does not drag the background.
"""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.avatar.geometry import FaceFrame, side_envelopes, smoothstep

FRONT_BIN, FRONT_EDGE = 0.04, 0.03  # IPD: the side envelopes' bins; the soft edge either side of the envelope
FRONT_ABOVE, FRONT_FADE = 0.1, 0.08  # IPD: the front edge holds from this far above the lips to their bottom; fade
SILHOUETTE_IN, SILHOUETTE_APART = 0.2, 12.0  # IPD the photo's edge may lie inside the envelope; CIELAB contrast


def lips_front(rgb: np.ndarray, f: FaceFrame, lm: np.ndarray, lips: np.ndarray) -> np.ndarray | None:
    """On a near profile, 0..1 per pixel: the face (1) against what lies in front of its lips (0); else None.

    There the lips are the face's front edge (they reach FaceMesh's side envelope, `geometry.side_envelopes`), and
    segmentation is unsure right in front of them (a wall between lip tip and chin, an object the person holds):
    the mask says person, and the jaw dragged that background down with the lower lip. The face in this band is
    layered over the still photo instead. Only from just above the lips to their bottom (fading out below): lower
    down the envelope runs inside a profile's chin, which must move with the jaw over its neck and collar (held
    there, it tore a line across the near profile's chin). FaceMesh's points
    often reach past a profile's lips (0.1 IPD over the wall on a small face): the edge is found in the photo."""
    d = f.ipd
    grid, lo, hi = side_envelopes(f, lm, max(1.0, FRONT_BIN * d))
    lu, lv = f.to_local(lips[:, 0], lips[:, 1])
    e = FRONT_EDGE * d
    near_hi = bool((lu >= np.interp(lv, grid, hi) - e).any())
    near_lo = bool((lu <= np.interp(lv, grid, lo) + e).any())
    if not (near_hi or near_lo):
        return None
    h, w = rgb.shape[:2]
    fade = FRONT_FADE * d
    rows = (grid > lv.min() - FRONT_ABOVE * d - fade) & (grid < lv.max() + fade)
    if near_hi:
        hi = _silhouette(rgb, f, grid, hi, 1.0, rows)
    if near_lo:
        lo = -_silhouette(rgb, f, grid, -lo, -1.0, rows)
    out = np.ones((h, w), np.float32)
    # Only around the lips is anything cut (the band, and at most `SILHOUETTE_IN` inside the lips' tip).
    x0, y0 = np.maximum(0, np.floor(lips.min(axis=0) - d)).astype(int)
    x1, y1 = np.minimum([w, h], np.ceil(lips.max(axis=0) + d) + 1).astype(int)
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = f.to_local(xs, ys)
    inside = np.ones(u.shape, np.float32)
    if near_hi:
        inside *= smoothstep((np.interp(v, grid, hi) + e - u) / (2 * e))
    if near_lo:
        inside *= smoothstep((u - np.interp(v, grid, lo) + e) / (2 * e))
    band = (smoothstep((lv.max() + fade - v) / fade)
            * smoothstep((v - lv.min() + FRONT_ABOVE * d + fade) / fade))
    out[y0:y1, x0:x1] = 1 - band * (1 - inside)
    return out


def _silhouette(rgb: np.ndarray, f: FaceFrame, grid: np.ndarray, env: np.ndarray, sign: float,
                rows: np.ndarray) -> np.ndarray:
    """The face's true edge at each height of `rows`, at or inside the envelope `env` (u, times `sign`).

    Along the row, a face colour (CIELAB median well inside the envelope) and a background colour (just past it);
    the edge is where the run of background-like pixels that reaches past the envelope begins, at most
    `SILHOUETTE_IN` inside. Rows whose two colours are alike, or where the face goes on past the envelope (below a
    profile's lips it can run inside the chin), cut nothing: there is nothing there to keep still."""
    d = f.ipd
    step = 0.5
    t = np.arange(-SILHOUETTE_IN * d - 0.15 * d, 0.2 * d + step, step)
    out = env.copy()
    vs = grid[rows]
    if not len(vs):
        return out
    uu = (env[rows][:, None] + t[None, :]) * sign
    x, y = f.to_image(uu, np.broadcast_to(vs[:, None], uu.shape))
    x0, y0 = max(0, int(np.floor(x.min())) - 2), max(0, int(np.floor(y.min())) - 2)
    x1 = min(rgb.shape[1], int(np.ceil(x.max())) + 3)
    y1 = min(rgb.shape[0], int(np.ceil(y.max())) + 3)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return out
    lab = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1, :3]).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)
    px = cv2.remap(lab, (x - x0).astype(np.float32), (y - y0).astype(np.float32), cv2.INTER_LINEAR,
                   borderMode=cv2.BORDER_REPLICATE)
    face_part = t < -SILHOUETTE_IN * d
    bg_part = t > 0.08 * d
    face = np.median(px[:, face_part], axis=1)
    bg = np.median(px[:, bg_part], axis=1)
    apart = np.linalg.norm(face - bg, axis=1)
    bg_like = (np.linalg.norm(px - bg[:, None], axis=2) < np.linalg.norm(px - face[:, None], axis=2))
    search = (t >= -SILHOUETTE_IN * d) & (t <= 0)
    idx = np.nonzero(rows)[0]
    past = (t > 0) & (t <= 0.08 * d)
    for r in range(len(vs)):
        if apart[r] < SILHOUETTE_APART or not past.any() or bg_like[r, past].mean() < 0.5:
            out[idx[r]] = env[idx[r]] + d  # no background to tell apart here: nothing is cut
            continue
        run = bg_like[r] | ~search  # a run of background from the edge out past the envelope
        k = np.nonzero(search)[0]
        j = k[-1]
        while j >= k[0] and run[j]:
            j -= 1
        if j < k[-1]:
            out[idx[r]] = env[idx[r]] + t[j + 1]
    return out
