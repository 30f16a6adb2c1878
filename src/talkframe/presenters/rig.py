"""A presenter drawn at one pixel size: static layers cached once, then each frame is two affine warps, two
premultiplied composites inside the head's region and the face parts drawn as vectors on top.

Layers, back to front: hair behind the head and the neck (move with the head), body and clothes (never move),
ears, face and front hair (move with the head), then brows, eyes, nose and mouth (redrawn each frame).
"""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.motion.pose import Pose
from talkframe.presenters.catalog import LOOKS, Look
from talkframe.presenters.draw import DESIGN_H, DESIGN_W, Pen, over, premultiplied_to_straight
from talkframe.presenters.face import draw_features, draw_head
from talkframe.presenters.hair import HAIR
from talkframe.presenters.outfit import draw_body, draw_neck
from talkframe.presenters.pose import head_affine

ASPECT = DESIGN_W / DESIGN_H  # 3:4 portrait
BODY_RAISE = 24.0  # design units the shoulders sit higher than outfit.py draws them (a shorter neck)


def render_size(height: int) -> tuple[int, int]:
    """(w, h) of a presenter frame `height` pixels tall (even sizes, for video encoders)."""
    h = max(64, int(round(height / 2)) * 2)
    return int(round(h * ASPECT / 2)) * 2, h


class PresenterRig:
    """Cached layers of one look at one size; `render(pose)` makes a straight-alpha RGBA frame."""

    def __init__(self, look: Look | str, height: int, blush: float = 0.1, poses: list[Pose] | None = None):
        self.look = LOOKS[look] if isinstance(look, str) else look
        self.size = render_size(height)
        w, h = self.size
        self.scale = h / DESIGN_H
        pen = Pen(self.scale)
        body = np.zeros((h, w, 4), np.uint8)
        back = np.zeros_like(body)
        head = np.zeros_like(body)
        draw_head(head, pen, self.look, blush)
        HAIR[self.look.hair_style](back, head, pen, self.look)
        neck = np.zeros_like(body)
        draw_neck(neck, pen, self.look)
        over(back, neck)
        draw_body(body, Pen(self.scale, (0.0, BODY_RAISE * self.scale)), self.look)
        self.body = body
        self.body_straight = premultiplied_to_straight(body.copy())
        poses = poses or [Pose()]
        self.head, self.head_org = _crop(head)
        self.back, self.back_org = _crop(back)
        self.region = self._region(poses)
        self.back, self.back_org = _crop(_hidden_removed(back, head, body, self._reach(poses)))
        y0, y1, x0, x1 = self.region
        inv = 255 - body[y0:y1, x0:x1, 3]
        self._body_inv = cv2.merge([inv] * 4)
        self._body_region = np.ascontiguousarray(body[y0:y1, x0:x1])

    def _pixel_affine(self, pose: Pose) -> np.ndarray:
        m = head_affine(pose).copy()
        m[:, 2] *= self.scale
        return m

    def _reach(self, poses: list[Pose]) -> int:
        """The most pixels any point of the moving layers travels over `poses`."""
        y0, y1, x0, x1 = self.back_org[1], self.back_org[1] + self.back.shape[0], self.back_org[0], \
            self.back_org[0] + self.back.shape[1]
        pts = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], float)
        moved = [np.abs(pts @ m[:, :2].T + m[:, 2] - pts).max() for m in map(self._pixel_affine, poses)]
        return int(np.ceil(max(moved))) + 2

    def _region(self, poses: list[Pose]) -> tuple[int, int, int, int]:
        """Rows and columns of the frame the moving layers can reach over all `poses` (plus a rim)."""
        w, h = self.size
        boxes = []
        for layer, (ox, oy) in ((self.back, self.back_org), (self.head, self.head_org)):
            lh, lw = layer.shape[:2]
            boxes.append(np.array([[ox, oy], [ox + lw, oy], [ox, oy + lh], [ox + lw, oy + lh]], float))
        corners = np.concatenate(boxes)
        pts = np.concatenate([corners @ m[:, :2].T + m[:, 2] for m in map(self._pixel_affine, poses)])
        (x0, y0), (x1, y1) = np.floor(pts.min(0)) - 3, np.ceil(pts.max(0)) + 3
        return max(0, int(y0)), min(h, int(y1)), max(0, int(x0)), min(w, int(x1))

    def render(self, pose: Pose) -> np.ndarray:
        """One straight-alpha RGBA frame (h, w, 4) for `pose`; poses outside the planned region are clipped."""
        y0, y1, x0, x1 = self.region
        m = self._pixel_affine(pose)
        out = self._body_region.copy()
        back, (bx, by) = _warp(self.back, self.back_org, m, self.region)
        if back is not None:
            sub = (slice(by, by + back.shape[0]), slice(bx, bx + back.shape[1]))
            out[sub] = cv2.add(out[sub], cv2.multiply(back, self._body_inv[sub], scale=1 / 255))
        head, (hx, hy) = _warp(self.head, self.head_org, m, self.region)
        if head is not None:
            sub = (slice(hy, hy + head.shape[0]), slice(hx, hx + head.shape[1]))
            inv = 255 - head[..., 3]
            out[sub] = cv2.add(head, cv2.multiply(out[sub], cv2.merge([inv] * 4), scale=1 / 255))
        draw_features(out, Pen(self.scale, (x0, y0)), self.look, pose, head_affine(pose))
        frame = self.body_straight.copy()
        frame[y0:y1, x0:x1] = premultiplied_to_straight(out)
        return frame


def _hidden_removed(back: np.ndarray, head: np.ndarray, body: np.ndarray, reach: int) -> np.ndarray:
    """Clear the back layer where it can never show: under the opaque head (which moves with it) and under the
    opaque body whatever the motion (the body eroded by the largest travel); a smaller layer warps faster."""
    kernel = np.ones((3, 3), np.uint8)
    hidden = cv2.erode((head[..., 3] == 255).astype(np.uint8), kernel)
    hidden |= cv2.erode((body[..., 3] == 255).astype(np.uint8), np.ones((2 * reach + 3, 2 * reach + 3), np.uint8))
    out = back.copy()
    out[hidden.astype(bool)] = 0
    return out if out[..., 3].any() else back


def _crop(layer: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    ys, xs = np.nonzero(layer[..., 3])
    y0, y1, x0, x1 = max(0, ys.min() - 2), ys.max() + 3, max(0, xs.min() - 2), xs.max() + 3
    return np.ascontiguousarray(layer[y0:y1, x0:x1]), (int(x0), int(y0))


def _warp(layer: np.ndarray, org: tuple[int, int], m: np.ndarray, region: tuple[int, int, int, int]
          ) -> tuple[np.ndarray | None, tuple[int, int]]:
    """Warp a cropped layer whose top-left sits at `org` (frame pixels) by the frame map `m`, onto only the
    pixels its footprint covers inside `region`; returns the patch and its top-left within the region."""
    ry0, ry1, rx0, rx1 = region
    lh, lw = layer.shape[:2]
    ox, oy = org
    corners = np.array([[ox, oy], [ox + lw, oy], [ox, oy + lh], [ox + lw, oy + lh]], float) @ m[:, :2].T + m[:, 2]
    x0 = max(rx0, int(np.floor(corners[:, 0].min())) - 1)
    y0 = max(ry0, int(np.floor(corners[:, 1].min())) - 1)
    x1 = min(rx1, int(np.ceil(corners[:, 0].max())) + 1)
    y1 = min(ry1, int(np.ceil(corners[:, 1].max())) + 1)
    if x1 <= x0 or y1 <= y0:
        return None, (0, 0)
    a = m[:, :2]
    t = a @ np.asarray(org, float) + m[:, 2] - (x0, y0)
    mm = np.concatenate([a, t[:, None]], 1)
    exact = np.allclose(a, np.eye(2)) and np.allclose(t, np.round(t))  # a whole-pixel shift: no resampling
    patch = cv2.warpAffine(layer, mm, (x1 - x0, y1 - y0), flags=cv2.INTER_NEAREST if exact else cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT)
    return patch, (x0 - rx0, y0 - ry0)
