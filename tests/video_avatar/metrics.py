"""Lip-sync measures of spec/quality.md on re-detected landmarks (FaceMesh, static mode, on a fixed face crop)."""

from __future__ import annotations

import cv2
import numpy as np

from talkframe.avatar import landmarks as L
from talkframe.core.types import Speech
from talkframe.motion.visemes import Viseme, to_viseme

OPEN_VOWELS = {"a", "ɑ", "æ", "ʌ", "ɐ", "ɒ", "ɔ", "aɪ", "aʊ"}


def mouth_openings(frames: list[np.ndarray]) -> np.ndarray:
    """Inner-lip opening / IPD per frame (NaN where no face), with FaceMesh on the face crop upscaled to 512 px, as
    spec/quality.md's instrument details say (on the bare crop it reads encoder noise: two encodes of the same
    frames differing by a level gave m 0.23 and 0.32)."""
    import mediapipe as mp

    c = L.contours()
    with mp.solutions.face_detection.FaceDetection(model_selection=1) as det:
        r = det.process(frames[0]).detections[0].location_data.relative_bounding_box
    h, w = frames[0].shape[:2]
    cx, cy, side = (r.xmin + r.width / 2) * w, (r.ymin + r.height / 2) * h, max(r.width * w, r.height * h) * 2
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    x1, y1 = int(min(w, cx + side / 2)), int(min(h, cy + side / 2))
    out = []
    up = max(1.0, 512 / max(1, x1 - x0))
    with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True) as mesh:
        for f in frames:
            crop = np.ascontiguousarray(f[y0:y1, x0:x1, :3])
            if up > 1.0:
                crop = cv2.resize(crop, None, fx=up, fy=up, interpolation=cv2.INTER_CUBIC)
            res = mesh.process(crop)
            if not res.multi_face_landmarks:
                out.append(np.nan)
                continue
            lm = np.array([[p.x * crop.shape[1], p.y * crop.shape[0]] for p in res.multi_face_landmarks[0].landmark])
            d = np.linalg.norm(lm[468] - lm[473])
            out.append(abs(lm[c["upper_inner"], 1].mean() - lm[c["lower_inner"], 1].mean()) / d)
    return np.array(out)


def to_16k(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono audio resampled to 16 kHz, the rate quality.md's voice activity and loudness are measured at."""
    from talkframe.media.resample import resample

    return resample(np.asarray(audio, np.float64), sample_rate, 16000)


def voice_activity(audio16: np.ndarray, fps: float, n: int, aggressiveness: int = 2) -> np.ndarray:
    """Speech frames as quality.md defines them: WebRTC VAD on 30 ms windows of 16 kHz mono; frame i (shown over
    [i/fps, (i+1)/fps)) is speech when most of the time it overlaps lies in speech windows."""
    import webrtcvad

    vad = webrtcvad.Vad(aggressiveness)
    win = 480
    pcm = (np.clip(audio16, -1, 1) * 32767).astype("<i2")
    flags = np.array([vad.is_speech(pcm[k:k + win].tobytes(), 16000) for k in range(0, len(pcm) - win + 1, win)],
                     float)
    out = np.zeros(n, bool)
    for i in range(n):
        a, b = i / fps * 16000, (i + 1) / fps * 16000
        ks = range(int(a // win), min(int(np.ceil(b / win)), len(flags)))
        span = np.array([min(b, (k + 1) * win) - max(a, k * win) for k in ks])
        out[i] = span.sum() > 0 and float(span @ flags[list(ks)]) > 0.5 * span.sum()
    return out


def loudness(speech: Speech, fps: float, n: int) -> np.ndarray:
    hop = speech.sample_rate / fps
    a = speech.audio
    return np.array([np.sqrt(np.mean(np.square(a[int(i * hop):int((i + 1) * hop)] + 0.0)) + 1e-12) for i in range(n)])


def lipsync_score(o: np.ndarray, v: np.ndarray) -> float:
    """THEval's score: 1 - |m - 0.2528| / 0.2528 with m = mean |o - v| over speech frames, both min-max normalised."""
    ok = (v > 0.1 * np.percentile(v, 95)) & ~np.isnan(o)
    on = (o[ok] - o[ok].min()) / max(1e-9, np.ptp(o[ok]))
    vn = (v[ok] - v[ok].min()) / max(1e-9, np.ptp(v[ok]))
    return 1 - abs(float(np.mean(np.abs(on - vn))) - 0.2528) / 0.2528


def viseme_checks(o: np.ndarray, speech: Speech, fps: float) -> tuple[float, float]:
    """(share of p/b/m with closed lips within +-1 frame, share of open vowels >= 60 ms opened beyond rest)."""
    rest = float(np.nanpercentile(o, 10))
    bil, bil_ok, vow, vow_ok = 0, 0, 0, 0
    for ph in speech.phones:
        i0, i1 = int(np.floor(ph.start * fps)), int(np.ceil(ph.end * fps))
        idx = [i for i in range(i0 - 1, i1 + 2) if 0 <= i < len(o)]
        if not idx:
            continue
        if to_viseme(ph.symbol) == Viseme.PP:
            bil += 1
            bil_ok += bool(np.nanmin(o[idx]) <= 0.04)
        bare = ph.symbol.replace("ˈ", "").replace("ˌ", "").replace("ː", "")
        if bare in OPEN_VOWELS and ph.end - ph.start >= 0.06:
            vow += 1
            vow_ok += bool(np.nanmax(o[idx]) > rest + 0.04)
    return bil_ok / max(1, bil), vow_ok / max(1, vow)


def seam_ratio(rgb: np.ndarray, alpha: np.ndarray) -> tuple[float, float, float]:
    """Mean |Sobel| of grey on a 3-px ring at the mask edge (alpha 0.5), and on 3-px rings 10 px inside / outside."""
    grey = cv2.cvtColor(rgb[..., :3], cv2.COLOR_RGB2GRAY).astype(np.float32)
    mag = np.hypot(cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3))
    inside = (alpha >= 0.5).astype(np.uint8)
    d_in = cv2.distanceTransform(inside, cv2.DIST_L2, 3)
    d_out = cv2.distanceTransform(1 - inside, cv2.DIST_L2, 3)
    edge = ((d_in > 0) & (d_in <= 1.5)) | ((d_out > 0) & (d_out <= 1.5))
    ring_in = (d_in > 9) & (d_in <= 12)
    ring_out = (d_out > 9) & (d_out <= 12)
    return float(mag[edge].mean()), float(mag[ring_in].mean()), float(mag[ring_out].mean())
