"""End to end: train on generated footage, save/load, render new speech, and check it on re-detected landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from talkframe.avatar.catalog import astronaut_rgb
from talkframe.avatar.talking_photo import photo_seed, talking_photo_clip
from talkframe.core.types import AvatarClip, Phone, Speech
from talkframe.motion import build_tracks
from talkframe.motion.visemes import Viseme
from talkframe.video_avatar import VideoAvatarModel, calibrate, video_avatar_clip
from talkframe.video_avatar.blend import colour_band, mouth_mask
from talkframe.video_avatar.fallback import rig_mouths
from talkframe.video_avatar.idle import pingpong
from talkframe.video_avatar.select import choose_path, track_targets
from tests.video_avatar import metrics

FPS = 25.0
MAIN = ["sil", "PP", "FF", "DD", "kk", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou"]


@pytest.fixture(scope="module")
def loaded(trained) -> VideoAvatarModel:  # type: ignore[no-untyped-def]
    return VideoAvatarModel.load(trained[1])


@pytest.fixture(scope="module")
def rendered(loaded: VideoAvatarModel, new_speech: Speech):  # type: ignore[no-untyped-def]
    clip = video_avatar_clip(loaded, build_tracks(new_speech, FPS))
    return clip, [clip.frame(i)[..., :3].copy() for i in range(clip.n_frames)]


@pytest.fixture(scope="module")
def openings(rendered) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Re-detected inner-lip openings of the rendered frames."""
    return metrics.mouth_openings(rendered[1])


def test_training_builds_a_library_covering_the_main_visemes(trained) -> None:  # type: ignore[no-untyped-def]
    model, work = trained
    cov = model.library.coverage()
    assert all(cov[v] >= 2 for v in MAIN), cov
    assert len(model.library) >= 300 and model.meta["phones_from"] == "transcript"
    assert {p.name for p in work.iterdir()} >= {"model.json", "idle.mp4", "idle.npz", "mouths.npz"}
    assert 90 <= len(model.idle_frames) <= 101  # about 4 s at 25 fps
    # closed visemes really are closed in the images, open ones open (measured lip shape of each image)
    lib = model.library
    vis = np.array(lib.visemes)
    assert np.median(lib.opening[vis == "PP"]) < 0.02 < np.median(lib.opening[vis == "aa"])


def test_save_and_load_round_trip(trained, loaded: VideoAvatarModel) -> None:  # type: ignore[no-untyped-def]
    model, _ = trained
    assert loaded.size == model.size and loaded.frame.to_dict() == model.frame.to_dict()
    assert loaded.idle_frames.shape == model.idle_frames.shape
    assert np.abs(loaded.idle_frames.astype(int) - model.idle_frames.astype(int)).mean() < 2.0  # CRF 12 re-encode
    np.testing.assert_array_equal(loaded.library.crops, model.library.crops)
    assert loaded.library.visemes == model.library.visemes


def test_render_gives_rgba_frames_for_the_whole_speech(rendered, new_speech: Speech) -> None:  # type: ignore[no-untyped-def]
    clip, frames = rendered
    assert isinstance(clip, AvatarClip)
    assert clip.n_frames == int(np.ceil(new_speech.duration * FPS - 1e-6))
    f = clip.frame(3)
    assert f.shape == (clip.size[1], clip.size[0], 4) and f.dtype == np.uint8 and (f[..., 3] == 255).all()
    x, y, w, h = clip.face_box
    assert 60 < w < 200 and 60 < h < 260 and 150 < x + w / 2 < 300 and 50 < y + h / 2 < 250  # the astronaut's face


@pytest.fixture(scope="module")
def photo_openings(new_speech: Speech) -> np.ndarray:
    """Re-detected openings of the photo engine speaking the same speech."""
    rgb = astronaut_rgb()
    photo = talking_photo_clip(rgb, build_tracks(new_speech, FPS, seed=photo_seed(rgb)))
    return metrics.mouth_openings([photo.frame(i)[..., :3].copy() for i in range(photo.n_frames)])


def test_lip_sync_on_redetected_landmarks(openings: np.ndarray, photo_openings: np.ndarray,
                                          new_speech: Speech) -> None:
    """Bilabials closed and open vowels opened on re-detected landmarks (quality.md), and a THEval lip-sync score
    in the photo engine's range: at most 0.05 under the photo engine's own on the same speech (0.654 here; the
    video avatar scored 0.786 before the training footage's lips settled shut in pauses, 0.644 after)."""
    o = openings
    closed, opened = metrics.viseme_checks(o, new_speech, FPS)
    assert closed >= 0.9 and opened >= 0.8, (closed, opened)
    v = metrics.loudness(new_speech, FPS, len(o))
    assert metrics.lipsync_score(o, v) >= metrics.lipsync_score(photo_openings, v) - 0.05


def test_mouth_opens_as_the_photo_engine_does(openings: np.ndarray, photo_openings: np.ndarray,
                                              new_speech: Speech) -> None:
    """Issue #7: the video avatar follows the articulation curve the photo engine animates, so on the same speech
    its re-detected openings rise and fall with the photo engine's (frame by frame, in level and at the peaks) and
    its lip-sync score stays near the photo engine's. Before the opening calibration: correlation 0.82-0.85, peaks
    10-26% wider than the photo engine's, score ratio 0.75 on one version of the curves (measured)."""
    ref = photo_openings
    v = metrics.loudness(new_speech, FPS, len(openings))
    ok = (v > 0.1 * np.percentile(v, 95)) & ~np.isnan(openings) & ~np.isnan(ref)
    o, r = openings[ok], ref[ok]
    assert np.corrcoef(o, r)[0, 1] >= 0.87
    assert 0.8 <= o.mean() / r.mean() <= 1.2
    assert 0.85 <= np.percentile(o, 95) / np.percentile(r, 95) <= 1.15
    assert metrics.lipsync_score(openings, v) >= 0.85 * metrics.lipsync_score(ref, v)


def test_opening_calibration_learns_rounding_and_scale() -> None:
    """A clip whose lips part 0.7 x (jaw + 0.4 x rounding), with measurement noise: the fit finds both."""
    rng = np.random.default_rng(0)
    n = 400
    curves = {"jaw": np.clip(rng.gamma(1.5, 0.06, n), 0, 0.4), "width": rng.uniform(-0.3, 0.1, n),
              "closure": (rng.random(n) < 0.1).astype(float), "lip_teeth": np.zeros(n)}
    opening = 0.7 * calibrate.drive(curves, 0.4, 0.0) + rng.normal(0, 0.005, n)
    cal = calibrate.fit(curves, opening)
    assert cal is not None and abs(cal.round_gain - 0.4) <= 0.1 and abs(cal.scale - 0.7) <= 0.07
    shut = cal.target({k: v[:1] for k, v in {**curves, "closure": np.ones(n)}.items()})
    assert shut[0] == 0.0  # closed lips want no opening, whatever the jaw
    assert calibrate.fit(curves, np.full(n, np.nan)) is None


def test_blended_mouth_leaves_no_seam(loaded: VideoAvatarModel, rendered) -> None:  # type: ignore[no-untyped-def]
    clip, frames = rendered
    _, pasters, _ = loaded.prepared()
    ratios = []
    for i in range(0, clip.n_frames, 10):
        p = pasters[clip.idle_index(i)]
        alpha = np.zeros(frames[i].shape[:2], np.float32)
        alpha[p.box[1]:p.box[3], p.box[0]:p.box[2]] = p.alpha[..., 0]
        edge, inside, outside = metrics.seam_ratio(frames[i], alpha)
        ratios.append(edge / (0.5 * (inside + outside)))
    assert max(ratios) <= 1.5, ratios


def test_idle_loop_plays_ping_pong_without_jumps(loaded: VideoAvatarModel) -> None:
    seq = [pingpong(i, 4) for i in range(10)]
    assert seq == [0, 1, 2, 3, 2, 1, 0, 1, 2, 3]
    idle = loaded.idle_frames.astype(np.int16)
    steps = [np.abs(idle[pingpong(i + 1, len(idle))] - idle[pingpong(i, len(idle))]).mean()
             for i in range(2 * len(idle))]
    assert max(steps) < 3.0


def test_missing_visemes_fall_back(loaded: VideoAvatarModel) -> None:
    """Without any real open vowel the path still opens the mouth (nearest shapes), and the photo rig can make
    the missing images."""
    lib = loaded.library
    keep = np.array([v != "aa" for v in lib.visemes])
    sub = type(lib).from_arrays({k: v[keep] for k, v in lib.arrays().items()})
    sr = 22050
    sp = Speech(np.full(sr, 0.2, np.float32), sr, [Phone("", 0, 0.2), Phone("ɑː", 0.2, 0.8), Phone("", 0.8, 1.0)])
    t = track_targets(build_tracks(sp, FPS))
    path = choose_path(sub, t, loaded.open_p95, loaded.width_rest, calibration=loaded.calibration)
    assert sub.opening[path[12]] > 0.5 * loaded.open_p95
    band = colour_band(mouth_mask(loaded.frame))
    made = rig_mouths(loaded.idle_frames[0], loaded.idle_affines[0], loaded.frame, band, [Viseme.AA, Viseme.PP])
    assert made is not None and made.visemes == ["aa", "PP"] and (made.source == -1).all()
    assert made.opening[0] > made.opening[1] + 0.03
