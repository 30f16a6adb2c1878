"""A transparent WebM (VP9 `yuva420p` + Opus) from a rendered MP4: v3's `output_format: "webm"`.

The video was rendered over a flat key colour (`KEY_COLOR`, no other background is allowed with webm). Each
frame's alpha is where it differs from that colour (soft, so anti-aliased edges stay smooth), and, for avatars cut
from a photo or a clip (whose own backdrop is part of the avatar image), also where MediaPipe's selfie
segmentation finds the person. Illustrated presenters are drawn, not photographed, so the colour key alone
mattes them exactly.

Players need the libvpx decoder to see the alpha plane (FFmpeg's native vp9 decoder drops it); browsers and
PyAV's `libvpx-vp9` decoder do.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

KEY_COLOR = "#00b140"  # chroma green: far from skin, hair and the usual clothes
_KEY_RGB = np.array([0x00, 0xB1, 0x40], np.float32)
KEY_NEAR, KEY_FAR = 40.0, 90.0  # RGB distance: fully transparent below, fully opaque above
AUDIO_RATE = 48000


def key_alpha(rgb: np.ndarray) -> np.ndarray:
    """0..1: how far each pixel is from the key colour."""
    dist = np.linalg.norm(rgb.astype(np.float32) - _KEY_RGB, axis=2)
    return np.clip((dist - KEY_NEAR) / (KEY_FAR - KEY_NEAR), 0.0, 1.0)


class _Segmenter:
    def __init__(self) -> None:
        import mediapipe as mp

        self._seg = mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0)
        self._last: np.ndarray | None = None

    def __call__(self, rgb: np.ndarray) -> np.ndarray:
        m = np.clip(self._seg.process(rgb).segmentation_mask.astype(np.float32), 0.0, 1.0)
        m = np.clip((m - 0.25) / 0.5, 0.0, 1.0)  # firm inside, soft only along the edge
        if self._last is not None:  # a little temporal smoothing against flicker
            m = 0.6 * m + 0.4 * self._last
        self._last = m
        return cv2.GaussianBlur(m, (0, 0), max(0.8, rgb.shape[0] / 500))

    def close(self) -> None:
        self._seg.close()


def write_alpha_webm(mp4: Path, out: Path, segment_person: bool) -> Path:
    """Re-encode `mp4`'s picture with an alpha plane and its sound as Opus into `out` (a .webm file)."""
    segmenter = _Segmenter() if segment_person else None
    try:
        with av.open(str(mp4)) as src, av.open(str(out), "w", format="webm") as dst:
            vin = src.streams.video[0]
            rate = Fraction(vin.average_rate or 25)
            vout = dst.add_stream("libvpx-vp9", rate=rate)
            vout.width, vout.height, vout.pix_fmt = vin.width, vin.height, "yuva420p"
            vout.options = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "32", "b": "0",
                            "auto-alt-ref": "0"}
            aout = None
            if src.streams.audio:
                aout = dst.add_stream("libopus", rate=AUDIO_RATE)
                aout.layout = "mono"
            for frame in src.decode(video=0):
                rgb = frame.to_ndarray(format="rgb24")
                alpha = key_alpha(rgb)
                if segmenter is not None:
                    alpha = alpha * segmenter(rgb)
                rgba = np.dstack([rgb, (alpha * 255 + 0.5).astype(np.uint8)])
                out_frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
                out_frame.pts, out_frame.time_base = frame.pts, frame.time_base
                dst.mux(vout.encode(out_frame))
            dst.mux(vout.encode())
            if aout is not None:
                _copy_audio(mp4, dst, aout)
    finally:
        if segmenter is not None:
            segmenter.close()
    return out


def _copy_audio(mp4: Path, dst: av.container.OutputContainer, aout: av.audio.stream.AudioStream) -> None:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=AUDIO_RATE)
    with av.open(str(mp4)) as src:
        for frame in src.decode(audio=0):
            frame.pts = None
            for r in resampler.resample(frame):
                dst.mux(aout.encode(r))
    for r in resampler.resample(None):
        dst.mux(aout.encode(r))
    dst.mux(aout.encode())
