"""Compose one scene frame: background, then the placed avatar (alpha-blended, optionally in a circle)."""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.compose.color import parse_hex_color
from talkframe.compose.layout import Placement, place_avatar
from talkframe.core.types import FrameSource
from talkframe.request import Character


class SceneComposer:
    """Holds what is constant across a scene's frames so each frame costs one resize and one blend."""

    def __init__(self, size: tuple[int, int], avatar_size: tuple[int, int], character: Character,
                 background: FrameSource) -> None:
        self.size = size
        self.background = background
        self.placement: Placement = place_avatar(size, avatar_size, character)
        self.circle_fill: tuple[int, int, int] | None = None
        self.circle_mask: np.ndarray | None = None
        if self.placement.circle:
            p = self.placement
            mask = np.zeros((p.height, p.width), np.uint8)
            r = min(p.width, p.height) // 2
            # 4x supersampled circle for an anti-aliased edge
            cv2.circle(mask, (p.width * 8, p.height * 8), r * 16, 255, -1, cv2.LINE_AA, shift=4)
            self.circle_mask = mask
            if character.circle_background_color:
                self.circle_fill = parse_hex_color(character.circle_background_color)[:3]

    def frame(self, index: int, avatar_rgba: np.ndarray) -> np.ndarray:
        canvas = self.background.frame(index).copy()
        p = self.placement
        W, H = self.size
        x0, y0 = max(0, p.x), max(0, p.y)
        x1, y1 = min(W, p.x + p.width), min(H, p.y + p.height)
        if x1 <= x0 or y1 <= y0:
            return canvas
        interp = cv2.INTER_AREA if p.width < avatar_rgba.shape[1] else cv2.INTER_LINEAR
        sprite = cv2.resize(avatar_rgba, (p.width, p.height), interpolation=interp)
        sprite = sprite[y0 - p.y : y1 - p.y, x0 - p.x : x1 - p.x]
        rgb = sprite[..., :3].astype(np.float32)
        alpha = sprite[..., 3:4].astype(np.float32) / 255.0
        region = canvas[y0:y1, x0:x1].astype(np.float32)
        if self.circle_mask is not None:
            circle = self.circle_mask[y0 - p.y : y1 - p.y, x0 - p.x : x1 - p.x, None].astype(np.float32) / 255.0
            if self.circle_fill is not None:
                region = region * (1 - circle) + np.array(self.circle_fill, np.float32) * circle
            alpha = alpha * circle
        canvas[y0:y1, x0:x1] = (region * (1 - alpha) + rgb * alpha + 0.5).astype(np.uint8)
        return canvas
