"""Which frame of a background clip each scene frame shows (`background.play_style`), as one index table.

Computing the whole table up front keeps the decoder simple (it only ever moves forward, or restarts for `loop`)
and makes the timing testable without decoding anything. Index `-1` means "no clip frame": the canvas shows the
fill colour (the default background colour).

- `fit_to_scene` speed the clip up or slow it down so its whole length spans exactly the scene.
- `freeze`       play at natural speed once, then hold the last frame.
- `loop`         play at natural speed, restarting from the first frame until the scene ends.
- `once`         play at natural speed once; after the last frame the background is the default colour.
- `full_video`   play at natural speed once; the pipeline lengthens the scene to the clip's duration (see
                 `background_duration`), and if the speech is longer still the last frame is held as in `freeze`.
"""

from __future__ import annotations

import numpy as np

PLAY_STYLES = ("fit_to_scene", "freeze", "loop", "once", "full_video")


def source_indices(play_style: str, scene_frames: int, scene_fps: float, clip_frames: int,
                   clip_fps: float) -> np.ndarray:
    """An int64 array of length `scene_frames`: the clip frame for each scene frame, or -1 for none."""
    n = max(0, int(scene_frames))
    i = np.arange(n, dtype=np.int64)
    if clip_frames <= 0 or n == 0:
        return np.full(n, -1, np.int64)
    if play_style == "fit_to_scene":
        # scene frame i covers [i/n, (i+1)/n) of the scene; show the clip frame at the same fraction.
        return (i * clip_frames) // n
    # natural speed: the clip frame whose display interval contains the scene frame's time.
    natural = np.floor(i * (clip_fps / scene_fps) + 1e-9).astype(np.int64)
    if play_style == "loop":
        return natural % clip_frames
    if play_style == "once":
        return np.where(natural < clip_frames, natural, -1)
    return np.minimum(natural, clip_frames - 1)  # freeze, full_video
