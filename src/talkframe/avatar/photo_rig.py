"""The photo rig: everything precomputed for one photo, and `render(pose)` that animates one frame.

Per frame: sum the precomputed lower-face fields, invert them on a coarse grid, remap only the lower-face box,
paint the mouth interior between the moved inner lips, remap the eye boxes for a blink, then move the head box
under a soft mask. Nothing full-frame is computed per frame except one uint8 copy of the output.
"""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.avatar import fields
from talkframe.avatar import landmarks as L
from talkframe.avatar.eyes import EyeLid, can_blink, hidden_far_eye
from talkframe.avatar.face import FaceAnalysis
from talkframe.avatar.geometry import face_frame
from talkframe.avatar.head import HeadMotion
from talkframe.avatar.mouth_interior import MouthInterior, photo_grain, sample_colours
from talkframe.avatar.neutralise import neutralise_mouth
from talkframe.avatar.profile_front import lips_front
from talkframe.motion.pose import Pose

ROUND_FULL = 0.28  # |width| of the most rounded viseme
SILHOUETTE = (0.4, 0.6)  # person-mask values over which the mouth's drawing fades out (around the mask's 0.5 edge)
RELAX_MAX = 0.85  # how much of the photo's smile curve a fully relaxed mouth lets go (a hint of it stays)


def _within_person(neutral: np.ndarray, rgb: np.ndarray, within: np.ndarray) -> np.ndarray:
    """The neutralised photo where it is the person, the photo itself past the silhouette."""
    k = within[..., None]
    return (neutral.astype(np.float32) * k + rgb[..., :3].astype(np.float32) * (1 - k) + 0.5).astype(np.uint8)


def photo_smile(lm: np.ndarray, ipd: float) -> float:
    """0 neutral .. 1 broad smile, from how far the mouth corners sit above the lip centre."""
    centre = 0.5 * (lm[L.UPPER_OUTER_MID, 1] + lm[L.LOWER_OUTER_MID, 1])
    corners = 0.5 * (lm[L.MOUTH_LEFT, 1] + lm[L.MOUTH_RIGHT, 1])
    return float(np.clip(((centre - corners) / ipd - 0.03) / 0.15, 0, 1))


class PhotoRig:
    def __init__(self, rgb: np.ndarray, analysis: FaceAnalysis, matting: bool,
                 landmarks: np.ndarray | None = None, person: np.ndarray | None = None) -> None:
        lm = analysis.landmarks if landmarks is None else landmarks
        scale = 1.0 if landmarks is None else float(rgb.shape[1]) / analysis.image_size[0]
        d = analysis.ipd * scale
        h, w = rgb.shape[:2]
        self.ipd = d
        self.smile0 = photo_smile(lm, d)
        neu = neutralise_mouth(rgb, lm, d)
        self.neutral = neu
        self.landmarks = neu.landmarks
        c = L.contours()
        f = face_frame(neu.landmarks, neu.seam)
        self.frame_ = f
        person = analysis.person_mask if person is None else person
        if person.shape != (h, w):
            person = cv2.resize(person, (w, h), interpolation=cv2.INTER_LINEAR)
        alpha = (np.clip(person, 0, 1) * 255 + 0.5).astype(np.uint8) if matting else np.full((h, w), 255, np.uint8)
        # On a profile FaceMesh puts the far lip points past the face's outline, out over the background: what the
        # mouth draws there (closed lips, teeth, cavity) stops at the person's silhouette. Followed only when the
        # silhouette crosses the mouth (its outer lips, 0.1 IPD around); `within` is kept for those photos alone.
        lips = neu.landmarks[c["upper_outer"] + c["lower_outer"], :2]
        mx0, my0 = np.maximum(0, np.floor(lips.min(axis=0) - 0.1 * d)).astype(int)
        mx1, my1 = np.ceil(lips.max(axis=0) + 0.1 * d).astype(int) + 1
        self.outline = bool((person[my0:my1, mx0:mx1] < SILHOUETTE[1]).any())
        self.within = None
        if self.outline:
            self.within = np.clip((person.astype(np.float32) - SILHOUETTE[0]) / (SILHOUETTE[1] - SILHOUETTE[0]), 0, 1)
        self.front = lips_front(neu.rgb, f, neu.landmarks, lips)
        self.base = np.dstack([_within_person(neu.rgb, rgb, self.within) if self.outline else neu.rgb, alpha])

        # Lower-face box: from above the cheeks to below the jaw's fade, across the face.
        W = max(f.face_half_width, 1.6 * f.half_mouth) * 1.12
        us = np.array([-W, W, -W, W])
        vs = np.array([f.seam_v.min() - 0.85 * d] * 2 + [f.jaw_v.max() + 0.6 * d] * 2)
        bx, by = f.to_image(us, vs)
        self.box = (max(0, int(bx.min())), max(0, int(by.min())), min(w, int(np.ceil(bx.max()))),
                    min(h, int(np.ceil(by.max()))))
        x0, y0, x1, y1 = self.box
        self.step = max(1, int(round(d / 18)))
        gy, gx = np.mgrid[y0:y1 + self.step:self.step, x0:x1 + self.step:self.step].astype(np.float32)
        self.gx, self.gy = gx, gy
        gu, gv = f.to_local(gx, gy)
        self.grid_fields = {}
        for name in fields.CHANNELS:
            du, dv = fields.field(f, name, gu, gv)
            fx, fy = f.vec_to_image(du, dv)
            self.grid_fields[name] = (fx.astype(np.float32), fy.astype(np.float32))
        yy, xx = np.mgrid[0:y1 - y0, 0:x1 - x0].astype(np.float32)
        self.fix, self.fiy = xx / self.step, yy / self.step
        self.px, self.py = xx + x0, yy + y0
        self.fixy, self.pxy = cv2.merge([self.fix, self.fiy]), cv2.merge([self.px, self.py])
        # Where the profile's layering can act: the part of the box whose sources may lie in front of the lips
        # (what the front mask leaves out, padded by the most the lower face moves), in box coordinates.
        self.front_box = None
        if self.front is not None:
            fy, fx = np.nonzero(self.front[y0:y1, x0:x1] < 0.999)
            if len(fx):
                pad = int(np.ceil(0.5 * d))
                self.front_box = (max(0, fx.min() - pad), max(0, fy.min() - pad),
                                  min(x1 - x0, fx.max() + pad + 1), min(y1 - y0, fy.max() + pad + 1))
        # Inner-lip points with their side forced (they start on the same seam).
        self.upper0 = neu.landmarks[c["upper_inner"], :2].copy()
        self.lower0 = neu.landmarks[c["lower_inner"], :2].copy()
        self.lip_fields = {}
        for name in fields.CHANNELS:
            uu, uv = f.to_local(self.upper0[:, 0], self.upper0[:, 1])
            du, dv = fields.field(f, name, uu, uv, wl=np.zeros_like(uu))
            up = np.stack(f.vec_to_image(du, dv), 1)
            lu, lv = f.to_local(self.lower0[:, 0], self.lower0[:, 1])
            du, dv = fields.field(f, name, lu, lv, wl=np.ones_like(lu))
            lo = np.stack(f.vec_to_image(du, dv), 1)
            self.lip_fields[name] = (up, lo)
        colours = sample_colours(rgb, lm, c, neu.teeth_rgb)
        self.interior = MouthInterior(f, colours, self.box, photo_grain(neu.rgb, lm, d, self.box))
        self.eyes = [EyeLid(neu.landmarks[c[f"eye_{s}_upper"], :2], neu.landmarks[c[f"eye_{s}_lower"], :2], d, (h, w),
                            brow=neu.landmarks[c[f"brow_{s}"], :2], rgb=neu.rgb) for s in ("l", "r")]
        if not can_blink(self.eyes):  # closed or lowered eyes keep still
            for eye in self.eyes:
                eye.enabled = False
        far = hidden_far_eye(self.eyes)
        if far is not None:
            far.enabled = False
        # In the face's own unit (not the image IPD, which a head turn foreshortens): a turned head is as big and
        # sways as far as a frontal one.
        self.head = HeadMotion(neu.landmarks, f.ipd, person, (h, w), [self.box] + [e.box for e in self.eyes])

    @property
    def size(self) -> tuple[int, int]:
        return self.base.shape[1], self.base.shape[0]

    def weights(self, p: Pose) -> dict[str, float]:
        """Track values -> field coefficients (IPD units are already the fields' units)."""
        jaw = max(0.0, p.jaw) * (1 - np.clip(p.closure, 0, 1))
        jaw = max(jaw, 0.04 * p.lip_teeth) if p.closure < 0.5 else jaw
        ds = p.smile - self.smile0  # < 0: the photo smiles more than asked, so its smile relaxes
        return {
            "jaw": jaw,
            "width": float(p.width),
            "round": float(np.clip(-p.width / ROUND_FULL, 0, 1)) * (1 - p.closure),
            "smile": float(np.clip(ds, 0, 1)),
            "relax": float(np.clip(-ds / max(self.smile0, 0.05), 0, 1)) * RELAX_MAX,
            "lip_teeth": float(np.clip(p.lip_teeth, 0, 1)) * (1 - p.closure),
        }

    def inner_lips(self, p: Pose, wts: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The moved inner-lip contours (image px) for this pose (`wts`: its `weights`, when already known)."""
        wts = self.weights(p) if wts is None else wts
        up, lo = self.upper0.copy(), self.lower0.copy()
        for name, wgt in wts.items():
            if wgt:
                up += wgt * self.lip_fields[name][0]
                lo += wgt * self.lip_fields[name][1]
        return up, lo

    def _lower_face(self, p: Pose) -> np.ndarray:
        wts = self.weights(p)
        fx = np.zeros_like(self.gx)
        fy = np.zeros_like(self.gy)
        for name, wgt in wts.items():
            if wgt:
                fx += wgt * self.grid_fields[name][0]
                fy += wgt * self.grid_fields[name][1]
        # Invert y = x + D(x) on the grid: x <- y - D(x), sampling D bilinearly in grid units.
        bx, by = -fx, -fy
        for _ in range(3):
            ix = (self.gx + bx - self.box[0]) / self.step
            iy = (self.gy + by - self.box[1]) / self.step
            bx = -cv2.remap(fx, ix, iy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            by = -cv2.remap(fy, ix, iy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        full = cv2.remap(cv2.merge([bx, by]), self.fixy, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        src = cv2.add(full, self.pxy)
        patch = cv2.remap(self.base, src, None, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        up, lo = self.inner_lips(p, wts)
        opening = float(np.median(np.linalg.norm(lo - up, axis=1))) / self.ipd
        within = None
        if self.within is not None:  # the silhouette moves with the jaw like everything else in the box
            within = cv2.remap(self.within, src, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if self.front_box is not None:  # a profile's moved face over the still background in front of its lips
            fx0, fy0, fx1, fy1 = self.front_box
            x0, y0 = self.box[:2]
            k = cv2.remap(self.front, src[fy0:fy1, fx0:fx1], None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            still = self.base[y0 + fy0:y0 + fy1, x0 + fx0:x0 + fx1]
            moved = patch[fy0:fy1, fx0:fx1]
            patch[fy0:fy1, fx0:fx1] = (moved * k[..., None] + still * (1 - k[..., None]) + 0.5).astype(np.uint8)
            front = np.ones(patch.shape[:2], np.float32)  # per frame: one rig renders in several threads
            front[fy0:fy1, fx0:fx1] = k
            within = front if within is None else within * front
        self.interior.draw(patch, up, lo, opening, wts["round"], within)
        return patch

    def render(self, p: Pose, out: np.ndarray | None = None) -> np.ndarray:
        """One RGBA frame for this pose.

        Without `out`, a new array. With `out` (an array that holds `base` outside the head box, e.g. one made by
        `new_frame_buffer` and only ever written by `render`), only the head box is rewritten in place and `out`
        itself is returned: no full-frame copy per frame.
        """
        hx0, hy0, hx1, hy1 = self.head.box
        work = self.base[hy0:hy1, hx0:hx1].copy()
        x0, y0, x1, y1 = self.box
        work[y0 - hy0:y1 - hy0, x0 - hx0:x1 - hx0] = self._lower_face(p)
        if p.blink > 0.01:
            for eye in self.eyes:
                ex0, ey0, ex1, ey1 = eye.box
                mx, my = eye.map(min(1.0, p.blink))
                src = work  # eyes sit outside the lower-face box; sample the work buffer in head-box coords
                lid = cv2.remap(src, mx - hx0, my - hy0, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
                work[ey0 - hy0:ey1 - hy0, ex0 - hx0:ex1 - hx0] = eye.finish(lid, min(1.0, p.blink))
        if out is None:
            out = self.base.copy()
        if abs(p.head_yaw) + abs(p.head_pitch) + abs(p.head_roll) + abs(p.head_tx) + abs(p.head_ty) > 1e-4:
            mxy = self.head.map2(p.head_yaw, p.head_pitch, p.head_roll, p.head_tx, p.head_ty)
            cv2.remap(work, mxy, None, cv2.INTER_LINEAR, dst=out[hy0:hy1, hx0:hx1], borderMode=cv2.BORDER_REPLICATE)
        else:
            out[hy0:hy1, hx0:hx1] = work
        return out

    def new_frame_buffer(self) -> np.ndarray:
        """A full RGBA frame for `render(p, out=...)`; only the head box of it ever changes."""
        return self.base.copy()

    def face_box(self) -> tuple[int, int, int, int]:
        """x, y, w, h around the face (forehead to chin) for close-up crops."""
        return L.oval_box(self.landmarks)
