"""Head motion on a still photo: the head (face, hair) turns and sways around the neck under a soft mask, so the
shoulders, clothes and background stay put.

Yaw and pitch move a dome (the face front moves more than its silhouette: a 2.5D turn), roll rotates about a
pivot in the neck, and small translations follow. Computed on a coarse grid and applied with one remap.
"""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.avatar.geometry import smoothstep


class HeadMotion:
    def __init__(self, lm: np.ndarray, ipd: float, person: np.ndarray, shape: tuple[int, int],
                 inner_boxes: list[tuple[int, int, int, int]]) -> None:
        h, w = shape
        d = ipd
        eyes = 0.5 * (lm[468, :2] + lm[473, :2])
        chin = lm[152, :2]
        self.centre = np.array([eyes[0], eyes[1] + 0.35 * d])
        self.pivot = np.array([chin[0], chin[1] + 0.9 * d])
        self.dome = (1.25 * d, 1.6 * d)  # face-front half sizes (x, y) for the 2.5D turn
        self.depth = 1.1 * d
        self.ipd = d
        ax, ay = 1.75 * d, 2.3 * d
        ecx, ecy = eyes[0], eyes[1] - 0.25 * d
        margin = int(0.35 * d) + 4
        x0, x1 = max(0, int(ecx - ax) - margin), min(w, int(ecx + ax) + margin)
        y0, y1 = max(0, int(ecy - ay) - margin), min(h, int(chin[1] + 1.7 * d) + margin)
        for bx0, by0, bx1, by1 in inner_boxes:
            x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
        self.box = (x0, y0, x1, y1)
        self.step = max(2, int(round(d / 6)))
        gy, gx = np.mgrid[y0:y1 + self.step:self.step, x0:x1 + self.step:self.step].astype(np.float32)
        self.gx, self.gy = gx, gy
        r = np.sqrt(((gx - ecx) / ax) ** 2 + ((gy - ecy) / ay) ** 2)
        m = smoothstep((1 - r) / 0.22)
        m *= 1 - smoothstep((gy - (chin[1] + 0.1 * d)) / (0.8 * d))
        pm = cv2.resize(person, (w, h)) if person.shape != (h, w) else person
        pix = np.clip(gx.astype(int), 0, w - 1), np.clip(gy.astype(int), 0, h - 1)
        face = smoothstep(1.6 - r * 1.6)  # the face itself always moves, whatever the segmentation says
        m *= np.maximum(np.clip(pm[pix[1], pix[0]] * 1.4, 0, 1), face)
        self.mask = cv2.GaussianBlur(m.astype(np.float32), (0, 0), 1.0)
        bh, bw = y1 - y0, x1 - x0
        yy, xx = np.mgrid[0:bh, 0:bw].astype(np.float32)
        self.fx, self.fy = xx / self.step, yy / self.step  # fractional grid index of each box pixel
        self.px, self.py = xx + x0, yy + y0
        self.fxy = cv2.merge([self.fx, self.fy])  # the same, as one 2-channel map (one remap upsamples both)
        self.bxy = cv2.merge([xx, yy])  # identity map in head-box coordinates

    def map(self, yaw: float, pitch: float, roll: float, tx: float, ty: float) -> tuple[np.ndarray, np.ndarray]:
        """Backward map (coordinates inside the head box) for this pose (degrees, IPD)."""
        m = self.map2(yaw, pitch, roll, tx, ty)
        return m[..., 0], m[..., 1]

    def map2(self, yaw: float, pitch: float, roll: float, tx: float, ty: float) -> np.ndarray:
        """The backward map as one (h, w, 2) float32 array (what `cv2.remap` takes fastest)."""
        gx, gy = self.gx, self.gy
        cr, sr = np.cos(np.radians(roll)), np.sin(np.radians(roll))
        rx, ry = gx - self.pivot[0], gy - self.pivot[1]
        fx = cr * rx - sr * ry + self.pivot[0] - gx + tx * self.ipd
        fy = sr * rx + cr * ry + self.pivot[1] - gy + ty * self.ipd
        dx, dy = (gx - self.centre[0]) / self.dome[0], (gy - self.centre[1]) / self.dome[1]
        dome = np.sqrt(np.clip(1 - dx * dx - dy * dy, 0, 1)) * self.depth
        fx += np.sin(np.radians(yaw)) * dome
        fy += np.sin(np.radians(pitch)) * dome
        coarse = cv2.merge([(-fx * self.mask).astype(np.float32), (-fy * self.mask).astype(np.float32)])
        full = cv2.remap(coarse, self.fxy, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return cv2.add(full, self.bxy)
