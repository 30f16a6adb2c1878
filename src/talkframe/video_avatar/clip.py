"""Rendering: a trained model + new speech -> an `AvatarClip` whose frames are the idle loop with real mouths.

All choices are made up front (the path search); `frame(i)` only colour-matches one small canonical crop, warps
it into the face box of one idle frame and blends it, so a frame costs a few milliseconds at 720p.
"""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.motion import MotionTracks
from talkframe.video_avatar.blend import match_colour
from talkframe.video_avatar.idle import pingpong
from talkframe.video_avatar.model import VideoAvatarModel
from talkframe.video_avatar.select import choose_path, track_targets


class VideoAvatarClip:
    """An `AvatarClip`: RGBA frames of the idle loop's size. `path[i]` is the library image shown on frame i.

    Like `TalkingPhotoClip`, `frame` returns a buffer reused by the next call: copy it to keep it.
    """

    def __init__(self, model: VideoAvatarModel, path: np.ndarray, fps: float, matting: bool = False) -> None:
        self.model, self.path, self.fps = model, path, fps
        self.size = model.size
        self.n_frames = len(path)
        self._mask, self._pasters, self._stats = model.prepared()
        self._alpha = _person_alpha(model.idle_frames) if matting else None
        w, h = self.size
        self._buffer = np.full((h, w, 4), 255, np.uint8)
        self.face_box = _face_box(model)


    def idle_index(self, index: int) -> int:
        """The idle frame under output frame `index` (the loop keeps the clip's speed at any output fps)."""
        return pingpong(int(round(index * self.model.fps / self.fps)), len(self.model.idle_frames))

    def frame(self, index: int) -> np.ndarray:
        i = min(max(index, 0), self.n_frames - 1)
        k = self.idle_index(i)
        c = int(self.path[i])
        lib = self.model.library
        out = self._buffer
        cv2.cvtColor(self.model.idle_frames[k], cv2.COLOR_RGB2RGBA, dst=out)  # a fast full-frame copy, alpha 255
        if self._alpha is not None:
            out[..., 3] = self._alpha[k]
        crop = match_colour(lib.crops[c], lib.colour[c], self._stats[k])
        self._pasters[k].paste(out, crop)
        return out


def video_avatar_clip(model: VideoAvatarModel, tracks: MotionTracks, matting: bool = False) -> VideoAvatarClip:
    """Animate a trained video avatar with the scene's motion tracks (lip curves and visemes only: blinks, head
    motion, talking style and expression are the person's own, from the clip)."""
    path = choose_path(model.library, track_targets(tracks), model.open_p95, model.width_rest,
                       dist=model.distances(), calibration=model.calibration)
    return VideoAvatarClip(model, path, tracks.fps, matting)


def _face_box(model: VideoAvatarModel) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the face in the idle loop's first frame, for close-up crops (as `TalkingPhotoClip`)."""
    back = cv2.invertAffineTransform(model.idle_affines[0])
    s = model.frame.scale
    cx, cy = model.frame.mouth_centre
    pts = np.array([[cx - 1.1 * s, cy - 1.9 * s], [cx + 1.1 * s, cy + 0.9 * s]]) @ back[:, :2].T + back[:, 2]
    x0, y0 = np.floor(pts.min(axis=0)).astype(int)
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int)
    return int(max(0, x0)), int(max(0, y0)), int(x1 - max(0, x0)), int(y1 - max(0, y0))


def _person_alpha(frames: np.ndarray) -> np.ndarray:
    """Soft person masks (uint8) of the idle frames, from MediaPipe's selfie segmentation."""
    import mediapipe as mp

    out = []
    with mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0) as seg:
        for f in frames:
            m = seg.process(f).segmentation_mask
            m = cv2.GaussianBlur(np.clip(m.astype(np.float32), 0, 1), (0, 0), max(1.0, f.shape[0] / 400))
            out.append((m * 255 + 0.5).astype(np.uint8))
    return np.stack(out)
