"""Real portraits other than the tuned astronaut (crops in tests/avatar/data, made by scripts/portraits.py; US
government photos in the public domain, and scikit-image's CC0 cameraman): the failures seen on them stay fixed,
measured on rendered frames."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from talkframe.avatar import landmarks as L
from talkframe.avatar.eyes import EyeLid, can_blink
from talkframe.avatar.face import analyse_photo
from talkframe.avatar.mouth_interior import photo_grain
from talkframe.avatar.talking_photo import rig_for
from talkframe.motion.pose import Pose
from talkframe.motion.visemes import TARGETS, Viseme

DATA = Path(__file__).parent / "data"


def _photo(name: str) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(Image.open(DATA / name).convert("RGB")))


def _aa() -> Pose:
    t = TARGETS[Viseme.AA]
    return Pose(jaw=t.jaw, width=t.width, closure=t.closure, lip_teeth=t.lip_teeth, smile=0.05)


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


PORTRAITS = Path("/tmp/tf_portraits")  # the whole set, made by scripts/portraits.py (not committed)


def _portrait(name: str) -> np.ndarray:
    """A photo of the benchmark set that is not committed (no stated licence), made by `scripts/test-setup.sh`."""
    path = PORTRAITS / f"{name}.png"
    assert path.exists(), f"{path} not made: run scripts/portraits.py (make test runs it)"
    return np.ascontiguousarray(np.asarray(Image.open(path).convert("RGB")))


def _teeth_photo(name: str) -> np.ndarray:
    return _photo(name) if (DATA / name).exists() else _portrait(name)


@pytest.mark.parametrize("name", ["obama_speaking.jpg", "obama_smile.jpg", "laughing", "teeth_three_quarter"])
def test_a_photo_with_teeth_closes_to_lips_with_no_dark_band_and_no_teeth(name: str) -> None:
    """The photo shows teeth (mid-speech, a broad smile, a laugh whose upper lip is a thin strip over the teeth, a
    three-quarter smile); the closed mouth shows lips meeting at a thin seam: across the lips, what is darker than
    0.7 of their median lightness is at most 0.065 IPD tall (the seam line and a dark upper lip's shaded rim, as
    photographed closed mouths show: 0.03-0.075 on Biden, Hopper and Obama's own pressed lips; not a band the
    height of the old gap), and nothing between them is bright like teeth."""
    rig = rig_for(_teeth_photo(name))
    p = Pose(smile=0.05)
    fr = rig.render(p)[..., :3]
    up, lo = rig.inner_lips(p)
    seam = 0.5 * (up + lo)
    mid = seam[len(seam) // 4: 3 * len(seam) // 4]
    lum = fr.astype(np.float32).mean(axis=2)
    step = 0.005
    ks = np.arange(-0.15, 0.15 + 1e-9, step)
    profile = np.array([np.mean([cv2.getRectSubPix(lum, (1, 1), (float(x), float(y + k * rig.ipd)))[0, 0]
                                 for x, y in mid]) for k in ks])
    dark = float((profile < 0.7 * np.median(profile)).sum() * step)
    assert dark <= 0.065, dark
    near = np.array([fr[int(round(y + k * rig.ipd)), int(round(x))] for x, y in mid for k in (-0.04, 0.0, 0.04)],
                    float)
    assert not ((near.mean(axis=1) > 190) & (np.ptp(near, axis=1) < 40)).any()


@pytest.mark.parametrize("name", ["obama_speaking.jpg", "obama_smile.jpg", "laughing", "teeth_three_quarter"])
def test_a_teeth_photo_at_rest_reads_as_closed_lips(name: str, measure) -> None:  # type: ignore[no-untyped-def]
    """Re-detected by FaceMesh, the rest mouth of a photo that showed teeth is closed like a real closed mouth
    (silent-lip target 0.03 IPD; the laugh read 0.041 when its thin upper lip was stretched over the teeth), both
    relaxed and with the friendly smile the tracks hold in silence (mid-speech Obama read 0.06 there while his
    upper lip came down 60% of a 0.4 IPD gap, a tall swollen band)."""
    rig = rig_for(_teeth_photo(name))
    for smile in (0.05, Pose().smile):
        assert measure(rig.render(Pose(smile=smile)))["open"] <= 0.03, smile


def test_the_closed_upper_lip_replaces_teeth_texture_with_lip() -> None:
    """Where the photo's upper lip strip is too thin to stretch, or the stretched texture is teeth-white, the closed
    upper lip is the mirrored lower lip in the upper lip's colour: no teeth-white pixel survives."""
    from talkframe.avatar.neutralise import _synthetic_upper_lip

    rgb = _photo("obama_smile.jpg")
    lm = analyse_photo(rgb).landmarks
    h, w = 12, 40
    t = np.tile(np.linspace(1, 0, h)[:, None], (1, w))  # outer edge (top) .. seam (bottom)
    lip = np.full((h, w, 3), (150, 80, 80), np.float32)
    stretched = lip.copy()
    stretched[6:, ::3] = (235, 230, 220)  # teeth streaks near the seam
    region = np.ones((h, w), bool)
    thick = _synthetic_upper_lip(stretched, lip, rgb, lm, np.full(w, 6.0), np.full(w, 8.0), t, region)
    assert (np.abs(thick[6:] - lip[6:]).max(axis=2) < 40).all()  # teeth pixels replaced, even on a thick lip
    smeared = lip.copy()
    smeared[:, ::2] *= 0.5  # a strip stretched 8x: streaks of shadow and blur
    thin = _synthetic_upper_lip(smeared, lip, rgb, lm, np.full(w, 1.0), np.full(w, 8.0), t, region)
    assert np.ptp(thin[t < 0.5], axis=0).max() < 8  # near the seam: the (even) mirrored lip, no streaks


def _drawn_teeth(rgb: np.ndarray) -> np.ndarray:
    """Mean colour of the brightest fifth of the open mouth's interior (the teeth), as rendered for AA."""
    rig = rig_for(rgb)
    up, lo = rig.inner_lips(_aa())
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(np.concatenate([up, lo[::-1]])).astype(np.int32)], 1)
    px = rig.render(_aa())[..., :3][mask > 0].astype(float)
    lum = px.mean(axis=1)
    return px[lum >= np.percentile(lum, 80)].mean(axis=0)


@pytest.mark.parametrize("name", ["teeth_three_quarter", "laughing"])
def test_an_underexposed_photos_teeth_are_drawn_as_dim_and_warm_as_it_shows_them(name: str) -> None:
    """The same smile at 35% exposure: its teeth are still found in the photo (not replaced by generic, brighter
    and greyer teeth), so the drawn teeth are about 35% as bright, with the photo's colour cast."""
    rgb = _teeth_photo(name)
    full = _drawn_teeth(rgb)
    dim = _drawn_teeth((rgb.astype(np.float32) * 0.35).astype(np.uint8))
    assert np.abs(dim - 0.35 * full).max() < 14, (dim, full)
    assert dim[0] - dim[2] > 0.6 * 0.35 * (full[0] - full[2])  # the warm cast survives


def test_the_mouth_drawn_into_a_grainy_photo_has_the_photos_grain() -> None:
    """Biden's photo is grainy (high ISO); teeth and cavity drawn clean looked pasted in (a flat white band). The
    drawn interior carries the grain of the photo's cheeks (at least half its strength); a clean photo gets none."""
    rgb = _photo("biden.jpg")
    rig = rig_for(rgb)
    pose = _aa()
    grain = rig.interior.grain
    assert grain is not None
    grainy = rig.render(pose)[..., :3].astype(np.float32)
    rig.interior.grain = None
    try:
        clean = rig.render(pose)[..., :3].astype(np.float32)
    finally:
        rig.interior.grain = grain
    up, lo = rig.inner_lips(pose)
    inside = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(inside, [np.round(np.concatenate([up, lo[::-1]])).astype(np.int32)], 1)
    inside = cv2.erode(inside, np.ones((3, 3), np.uint8)) > 0
    lum = rgb.astype(np.float32).mean(axis=2)
    r = int(0.12 * rig.ipd)
    x, y = np.round(rig.landmarks[205, :2]).astype(int)
    cheek = (lum - cv2.GaussianBlur(lum, (0, 0), 1.0))[y - r: y + r, x - r: x + r]
    added = (grainy - clean).mean(axis=2)[inside]
    assert added.std() >= 0.5 * cheek.std(), (added.std(), cheek.std())
    smooth = cv2.GaussianBlur(rgb, (0, 0), 2.0)
    assert photo_grain(smooth, rig.landmarks, rig.ipd, rig.box) is None


def test_a_washed_out_photos_mouth_is_as_washed_out() -> None:
    """A matte, low-contrast copy of a photo (contrast halved, blacks lifted to 110): its darkest pixel is about 110,
    so the drawn cavity must not be a near-black hole (it was, at about 30); nor the teeth brighter than its whites."""
    rgb = (_photo("obama_smile.jpg").astype(np.float32) * 0.5 + 110).astype(np.uint8)
    rig = rig_for(rgb)
    pose = _aa()
    up, lo = rig.inner_lips(pose)
    inside = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(inside, [np.round(np.concatenate([up, lo[::-1]])).astype(np.int32)], 1)
    inside = cv2.erode(inside, np.ones((3, 3), np.uint8)) > 0
    lum = rig.render(pose)[..., :3].astype(np.float32).mean(axis=2)[inside]
    photo = rgb.astype(np.float32).mean(axis=2)
    assert np.percentile(lum, 1) >= 0.9 * np.percentile(photo, 0.5), (np.percentile(lum, 1), photo.min())
    assert lum.max() <= photo.max() + 4


def test_a_greyscale_photo_gets_a_greyscale_mouth() -> None:
    rgb = _photo("cameraman.jpg")
    assert np.ptp(rgb.astype(int), axis=2).max() <= 2
    rig = rig_for(rgb)
    x0, y0, x1, y1 = rig.box
    for pose in (_aa(), Pose(smile=0.05)):
        fr = rig.render(pose)[y0:y1, x0:x1, :3].astype(int)
        assert np.ptp(fr, axis=2).max() <= 3  # no pink cavity, no warm seam: grey stays grey


def test_a_closed_lid_shows_no_iris_colour() -> None:
    """Blue-grey eyes: at the deepest blink, no pixel of the eye opening keeps the iris's hue (a*, b* within 5)."""
    rgb = _photo("biden.jpg")
    rig = rig_for(rgb)
    lm = rig.landmarks
    c = L.contours()
    fr = rig.render(Pose(blink=1.0, smile=0.3))[..., :3]
    lab0, lab1 = _lab(rgb), _lab(fr)
    yy, xx = np.mgrid[0:rgb.shape[0], 0:rgb.shape[1]]
    for side, centre in (("l", 468), ("r", 473)):
        radius = float(np.linalg.norm(lm[centre + 1, :2] - lm[centre + 3, :2])) / 2
        poly = np.concatenate([lm[c[f"eye_{side}_upper"], :2], lm[c[f"eye_{side}_lower"][::-1], :2]])
        eye = np.zeros(rgb.shape[:2], np.uint8)
        cv2.fillPoly(eye, [np.round(poly).astype(np.int32)], 1)
        iris = ((xx - lm[centre, 0]) ** 2 + (yy - lm[centre, 1]) ** 2 < (0.8 * radius) ** 2) & (eye > 0)
        hue = np.median(lab0[iris][:, 1:], axis=0)
        open_frac = float(np.mean(np.linalg.norm(lab0[eye > 0][:, 1:] - hue, axis=1) < 5))
        closed_frac = float(np.mean(np.linalg.norm(lab1[eye > 0][:, 1:] - hue, axis=1) < 5))
        assert open_frac > 0.2  # the measure sees the iris when the eye is open
        assert closed_frac < 0.02, (side, closed_frac)


@pytest.mark.parametrize("name", ["obama_speaking.jpg", "biden.jpg"])
def test_a_closed_lid_is_skin_not_a_dark_smudge(name: str) -> None:
    """Deep-set eyes under a dark crease: the closed lid is lit like skin (its median lightness at least 0.35 of the
    skin just under the eye, with the lash line and the fold's shading), not the crease's shadow dragged down (it
    read 0.21-0.28 on Obama, now 0.38-0.50)."""
    rig = rig_for(_photo(name))
    lm = rig.landmarks
    c = L.contours()
    lum = rig.render(Pose(blink=1.0, smile=0.3))[..., :3].astype(np.float32).mean(axis=2)
    for side in ("l", "r"):
        up, lo = lm[c[f"eye_{side}_upper"], :2], lm[c[f"eye_{side}_lower"], :2]
        poly = np.concatenate([up, lo[::-1]])
        eye = np.zeros(lum.shape, np.uint8)
        cv2.fillPoly(eye, [np.round(poly).astype(np.int32)], 1)
        under = np.zeros(lum.shape, np.uint8)
        cv2.fillPoly(under, [np.round(np.concatenate([lo + [0, 0.05 * rig.ipd],
                                                      lo[::-1] + [0, 0.12 * rig.ipd]])).astype(np.int32)], 1)
        ratio = float(np.median(lum[eye > 0]) / np.median(lum[under > 0]))
        assert ratio >= 0.35, (side, ratio)


def test_a_closed_lid_keeps_the_grain_of_skin() -> None:
    """Smoothing the stretched lid along its length made a closed lid a plastic patch (its fine texture 0.66-0.75 of
    the skin just under the eye on Biden); it takes the under-eye skin's grain, so it is at least 0.78 of it."""
    rig = rig_for(_photo("biden.jpg"))
    lm = rig.landmarks
    c = L.contours()
    lum = rig.render(Pose(blink=1.0, smile=0.3))[..., :3].astype(np.float32).mean(axis=2)
    high = lum - cv2.GaussianBlur(lum, (0, 0), max(0.8, 0.03 * rig.ipd))
    for side in ("l", "r"):
        up, lo = lm[c[f"eye_{side}_upper"], :2], lm[c[f"eye_{side}_lower"], :2]
        eye = np.zeros(lum.shape, np.uint8)
        cv2.fillPoly(eye, [np.round(np.concatenate([up, lo[::-1]])).astype(np.int32)], 1)
        eye = cv2.erode(eye, np.ones((3, 3), np.uint8))
        under = np.zeros(lum.shape, np.uint8)
        cv2.fillPoly(under, [np.round(np.concatenate([lo + [0, 0.05 * rig.ipd],
                                                      lo[::-1] + [0, 0.12 * rig.ipd]])).astype(np.int32)], 1)
        grain = float(high[eye > 0].std() / high[under > 0].std())
        assert grain >= 0.78, (side, grain)


def test_the_skin_pulled_down_over_a_closed_eye_keeps_its_grain_too() -> None:
    """Above the old lid margin the lid skin is stretched and smoothed as well; without grain there it was a smooth
    band (0.16-0.36 of the under-eye skin's fine texture on Biden). It takes the same grain: at least 0.33."""
    rig = rig_for(_photo("biden.jpg"))
    lm = rig.landmarks
    c = L.contours()
    lum = rig.render(Pose(blink=1.0, smile=0.3))[..., :3].astype(np.float32).mean(axis=2)
    high = lum - cv2.GaussianBlur(lum, (0, 0), max(0.8, 0.03 * rig.ipd))
    for eye, side in zip(rig.eyes, ("l", "r"), strict=True):
        up, lo = lm[c[f"eye_{side}_upper"], :2], lm[c[f"eye_{side}_lower"], :2]
        x0, x1 = up[:, 0].min(), up[:, 0].max()
        mid = up[(up[:, 0] >= x0 + 0.2 * (x1 - x0)) & (up[:, 0] <= x1 - 0.2 * (x1 - x0))]
        band = np.zeros(lum.shape, np.uint8)
        cv2.fillPoly(band, [np.round(np.concatenate([mid - [0, 0.3 * eye.reach],
                                                     (mid - [0, 0.8 * eye.reach])[::-1]])).astype(np.int32)], 1)
        under = np.zeros(lum.shape, np.uint8)
        cv2.fillPoly(under, [np.round(np.concatenate([lo + [0, 0.05 * rig.ipd],
                                                      lo[::-1] + [0, 0.12 * rig.ipd]])).astype(np.int32)], 1)
        grain = float(high[band > 0].std() / high[under > 0].std())
        assert grain >= 0.33, (side, grain)


def test_the_closed_lids_lash_line_thins_out_toward_the_corners(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lash shadow of one strength corner to corner read as a line drawn in pencil; it is darkest mid-eye and
    fades toward the corners (measured as what the shadow takes off the rendered closed lid, column by column)."""
    from talkframe.avatar import eyes
    from talkframe.avatar.catalog import astronaut_rgb

    rig = rig_for(astronaut_rgb())
    shaded = rig.render(Pose(blink=1.0, smile=0.3))[..., :3].astype(np.float32).mean(axis=2)
    monkeypatch.setattr(eyes, "LASH_SHADOW", 0.0)
    plain = rig.render(Pose(blink=1.0, smile=0.3))[..., :3].astype(np.float32).mean(axis=2)
    for eye in rig.eyes:
        x0, y0, x1, y1 = eye.box
        cols = np.nonzero(eye.span)[0]
        taken = (plain - shaded)[y0:y1, x0:x1].max(axis=0)[cols]
        n = len(cols)
        middle, corners = taken[int(0.4 * n):int(0.6 * n)].mean(), np.r_[taken[:n // 10], taken[-(n // 10):]].mean()
        assert corners <= 0.6 * middle, (corners, middle)


def test_both_lids_close_together() -> None:
    rig = rig_for(_photo("biden.jpg"))
    fr = rig.render(Pose(blink=1.0, smile=0.3))
    m = analyse_photo(np.ascontiguousarray(fr[..., :3]))
    c = L.contours()
    ratios = []
    for side in ("l", "r"):
        up, lo = m.landmarks[c[f"eye_{side}_upper"], :2], m.landmarks[c[f"eye_{side}_lower"], :2]
        ratios.append(float(np.mean(lo[2:-2, 1] - up[2:-2, 1])) / float(np.linalg.norm(up[-1] - up[0])))
    assert max(ratios) < 0.12, ratios  # both read as closed (open eyes here: about 0.2)


def test_closed_or_lowered_eyes_keep_still() -> None:
    def lid(opening: float) -> EyeLid:
        xs = np.linspace(100, 130, 7)
        upper = np.stack([xs, 100 - opening * np.sin(np.linspace(0, np.pi, 7))], 1)
        lower = np.stack([xs, 100 + 0.3 * np.sin(np.linspace(0, np.pi, 7))], 1)
        return EyeLid(upper, lower, 60.0, (300, 300))

    assert can_blink([lid(8.0), lid(8.0)])
    closed = [lid(1.0), lid(1.5)]
    assert not can_blink(closed)
    e = closed[0]
    e.enabled = False
    mx, my = e.map(1.0)
    assert np.array_equal(my, e.ys) and np.array_equal(mx, e.xs)


def test_downcast_eyes_that_facemesh_reads_as_open_keep_still_and_open_eyes_blink() -> None:
    """dark_hair_lowered looks down: FaceMesh puts her lower lids on the skin under the lash line (lid opening 0.35
    and 0.29 of the eye's width, as wide as open eyes), so her lowered eyes blinked. Her lash lines sit 0.47-0.63 of
    the eye's width under the brows (open eyes on the set: 0.21-0.39): rendered with a full blink, her eyes do not
    change; photos with open eyes still close theirs."""
    def eyes_change(rgb: np.ndarray) -> float:
        rig = rig_for(rgb)
        still, shut = rig.render(Pose(smile=0.35)), rig.render(Pose(smile=0.35, blink=1.0))
        return max(float(np.abs(shut[y0:y1, x0:x1, :3].astype(int) - still[y0:y1, x0:x1, :3]).max())
                   for x0, y0, x1, y1 in (e.box for e in rig.eyes))

    lowered = _portrait("dark_hair_lowered")
    assert min(e.ratio for e in rig_for(lowered).eyes) > 0.25  # the case is there: FaceMesh reads them open
    assert eyes_change(lowered) == 0.0  # (was 152 grey levels: a blink)
    for name in ("obama_smile.jpg", "obama_speaking.jpg", "cameraman.jpg"):
        assert eyes_change(_photo(name)) > 40, name


def _opening_per_height(rgb: np.ndarray) -> float:
    """Re-detected inner-lip opening over the eyes-to-mouth height (a length a head turn does not shorten)."""
    lm = analyse_photo(np.ascontiguousarray(rgb[..., :3])).landmarks
    c = L.contours()
    opening = abs(lm[c["lower_inner"], 1].mean() - lm[c["upper_inner"], 1].mean())
    height = float(np.linalg.norm(0.5 * (lm[13, :2] + lm[14, :2]) - 0.5 * (lm[468, :2] + lm[473, :2])))
    return float(opening) / height


def test_a_turned_face_opens_as_far_as_a_frontal_one() -> None:
    """The same person turned about 26 degrees and frontal: the open vowel opens at least 80% as far (relative to
    the face's own height), and the turned face's unit is enlarged over its foreshortened IPD."""
    turned, frontal = rig_for(_photo("obama_speaking.jpg")), rig_for(_photo("obama_smile.jpg"))
    assert turned.frame_.ipd > 1.15 * turned.ipd
    assert frontal.frame_.ipd < 1.1 * frontal.ipd
    ratio = _opening_per_height(turned.render(_aa())) / _opening_per_height(frontal.render(_aa()))
    assert ratio >= 0.8, ratio


@pytest.mark.parametrize("name", ["near_profile", "dark_hair_lowered"])
def test_a_turned_mouth_opens_most_on_its_midline(name: str) -> None:
    """On a turned face the lips' midline is not halfway between the corners (the far half is foreshortened; on a
    near profile it is the lips' front tip). The jaw opened most at the middle of the mouth's picture: a profile's
    mouth opened as an oval behind its tip, which stayed pinched and crumpled. The widest opening is on the
    midline now, and the drawn cavity is there in the rendered frame."""
    rig = rig_for(_portrait(name))
    f, lm = rig.frame_, rig.landmarks
    mids = [L.UPPER_OUTER_MID, L.UPPER_INNER_MID, L.LOWER_INNER_MID, L.LOWER_OUTER_MID]
    mid_u = float(np.mean(f.to_local(lm[mids, 0], lm[mids, 1])[0]))
    corners = f.to_local(lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], 0], lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], 1])[0]
    width = float(np.ptp(corners))
    assert abs(mid_u - corners.mean()) > 0.15 * width  # the case is there: the midline is well off-centre
    up, lo = rig.inner_lips(_aa())
    uu = f.to_local(up[:, 0], up[:, 1])[0]
    widest = float(uu[np.argmax(np.linalg.norm(lo - up, axis=1))])
    assert abs(widest - mid_u) < 0.1 * width, (widest, mid_u, width)  # (was 0.18 and 0.16 of the width away)
    x0, y0, x1, y1 = rig.box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = f.to_local(xs, ys)
    rest = _lab(rig.render(Pose(smile=0.05))[y0:y1, x0:x1])[..., 0]
    opened = _lab(rig.render(_aa())[y0:y1, x0:x1])[..., 0]
    darker = (rest - opened > 20) & (np.abs(u - mid_u) < 0.05 * width)
    assert darker.sum() >= 0.02 * f.ipd * 0.1 * width, int(darker.sum())  # the cavity shows on the midline


def test_a_frontal_mouth_keeps_its_symmetric_layout(rig) -> None:  # type: ignore[no-untyped-def]
    """The built-in photo's midline is 0.5% of the mouth's half-width off its middle: its jaw, teeth and tongue keep
    the symmetric layout exactly (so its renders and measures stay as they were)."""
    u = np.linspace(-40.0, 40.0, 81, dtype=np.float32)
    assert rig.frame_.across_mouth(u) is u


def test_nothing_moves_beyond_a_turned_faces_outline() -> None:
    """A near-profile face (the cameraman): below the mouth and beyond the ends of the face outline (its silhouette
    on the turned side), an open vowel leaves the background, collar and neck where they were; the chin used to
    drag them down into a smear."""
    rig = rig_for(_photo("cameraman.jpg"))
    f = rig.frame_
    x0, y0, x1, y1 = rig.box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = f.to_local(xs, ys)
    beyond = ((u > f.jaw_u[-1] + 0.2 * f.ipd) | (u < f.jaw_u[0] - 0.2 * f.ipd)) & (v > 0.3 * f.ipd)
    assert beyond.sum() > 50
    rest = rig.render(Pose(smile=0.05))[y0:y1, x0:x1, :3].astype(np.float32)
    opened = rig.render(_aa())[y0:y1, x0:x1, :3].astype(np.float32)
    moved = np.abs(opened - rest).max(axis=2)[beyond]
    assert float(np.percentile(moved, 99)) <= 3.0, float(np.percentile(moved, 99))


def test_a_supersampled_profiles_chin_opens_without_tearing() -> None:
    """The near profile shown at 720p is animated at 2.6x: FaceMesh's outline, sampled 8 times a segment, then
    missed 1-unit bins of the jaw line that the cheek's branch above it filled, so the jaw line had notches up to
    0.96 IPD deep under the lips; the chin's fade followed them and the open mouth tore the chin into patches. The
    jaw line is smooth, and opening adds little fine structure to the chin (the torn chin had 1.8x its rest's)."""
    rgb = _portrait("near_profile")
    rig = rig_for(rgb, display_scale=_display_scale(rgb, (1280, 720)))
    f = rig.frame_
    assert rig.ipd > 1.5 * analyse_photo(rgb).ipd  # the case is there: supersampled
    notch = float(np.max(np.abs(np.diff(f.jaw_v)))) / f.ipd
    assert notch < 0.05, notch  # (was 0.96)
    x0, y0, x1, y1 = rig.box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = f.to_local(xs, ys)
    chin = (v - f.seam(u) > 0.35 * f.ipd) & (v < f.jaw(u) + 0.05 * f.ipd) & (np.abs(u) < 1.2 * f.half_mouth)
    assert chin.sum() > 1000

    def fine(pose: Pose) -> float:
        g = cv2.cvtColor(np.ascontiguousarray(rig.render(pose)[y0:y1, x0:x1, :3]), cv2.COLOR_RGB2GRAY)
        return float(np.abs(cv2.Laplacian(g.astype(np.float32), cv2.CV_32F))[chin].mean())

    ratio = fine(_aa()) / fine(Pose(smile=0.05))
    assert ratio < 1.5, ratio  # (was 1.80)


def test_closing_a_near_profiles_mouth_leaves_what_lies_past_its_corners() -> None:
    """A near profile with parted lips (FaceMesh folds its lip contours at the far corner): closing the mouth once,
    before rigging, used to remap whole columns past that corner and pull the shirt up into the lips as a block
    with a straight edge. Past the corners nothing changes; the lips between them do close."""
    from talkframe.avatar.neutralise import neutralise_mouth

    rgb = _portrait("near_profile")
    a = analyse_photo(rgb)
    neu = neutralise_mouth(rgb, a.landmarks, a.ipd)
    lm = a.landmarks
    le, re = lm[L.IRIS_LEFT, :2], lm[L.IRIS_RIGHT, :2]
    ex = (re - le) / np.linalg.norm(re - le)
    h, w = rgb.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    u = xs * ex[0] + ys * ex[1]
    cu = lm[[L.MOUTH_LEFT, L.MOUTH_RIGHT], :2] @ ex
    mouth_y = lm[L.contours()["lower_outer"], 1]
    band = (np.abs(ys - mouth_y.mean()) < 0.8 * a.ipd)
    past = band & ((u < cu.min() - 0.2 * a.ipd) | (u > cu.max() + 0.2 * a.ipd))  # (the corners are cleaned)
    assert past.sum() > 200
    changed = np.abs(neu.rgb.astype(np.int16) - rgb.astype(np.int16)).max(axis=2)
    assert int(changed[past].max()) <= 4, int(changed[past].max())  # (was 69: the shirt pulled up)
    assert neu.was_open > 0.05 and int(changed[band & ~past].max()) > 40  # the mouth itself was closed


def test_a_profiles_mouth_draws_nothing_over_the_background_past_its_outline() -> None:
    """On the cameraman's profile FaceMesh puts the far lip points out over the wall: the open mouth's teeth and
    cavity were drawn there (a white block in the air past the lips) and the closed lips left a grey speck. Past the
    person's silhouette the video shows the photo's background, open or closed."""
    rgb = _photo("cameraman.jpg")
    rig = rig_for(rgb, display_scale=_display_scale(rgb, (1280, 720)))
    w, h = rig.size
    photo = cv2.resize(rgb, (w, h), interpolation=cv2.INTER_CUBIC).astype(float)
    person = cv2.resize(analyse_photo(rgb).person_mask, (w, h), interpolation=cv2.INTER_LINEAR)
    pose = _aa()
    up, lo = rig.inner_lips(pose)
    opening = np.zeros((h, w), np.uint8)
    cv2.fillPoly(opening, [np.round(np.concatenate([up, lo[::-1]])).astype(np.int32)], 1)
    past = (opening > 0) & (person < 0.45)
    assert past.sum() >= 10  # the case is there: part of the drawn opening lies over the wall
    drawn = np.abs(rig.render(pose)[..., :3].astype(float) - photo).mean(axis=2)
    assert drawn[past].mean() < 60, drawn[past].mean()  # (was 123: teeth and cavity on the wall)
    x0, y0, x1, y1 = rig.box
    wall = np.zeros((h, w), bool)
    wall[y0:y1, x0:x1] = person[y0:y1, x0:x1] < 0.45
    rest = np.abs(rig.render(Pose(smile=0.05))[..., :3].astype(float) - photo).mean(axis=2)
    assert rest[wall].max() < 25, rest[wall].max()  # (was 55: a grey speck of closed lip on the wall)


def test_the_wall_in_front_of_a_profiles_lips_stays_when_the_jaw_opens() -> None:
    """The cameraman's lips are his face's front edge, FaceMesh's points reach past them over the wall, and the
    person mask counts the wall under them as person: the open jaw dragged that light wall down in front of the
    chin, a white block under the lips like teeth out in the air. Beside and under the lip tip (outside the drawn
    mouth) hardly anything lightens now; the face is layered over the still wall there."""
    rgb = _photo("cameraman.jpg")
    rig = rig_for(rgb, display_scale=_display_scale(rgb, (1280, 720)))
    assert rig.front is not None  # the case is there: a profile whose lips reach the mesh's side envelope
    f, lm, d = rig.frame_, rig.landmarks, rig.frame_.ipd
    x0, y0, x1, y1 = rig.box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = f.to_local(xs, ys)
    lower = lm[L.contours()["lower_outer"], :2]
    lu, lv = f.to_local(lower[:, 0], lower[:, 1])
    every_u = f.to_local(lm[:468, 0], lm[:468, 1])[0]
    side = 1.0 if every_u.max() - lu.max() < lu.min() - every_u.min() else -1.0  # the lips' front side
    near_tip = (side * u > (side * lu).max() - 0.15 * d) & (v > lv.max() - 0.1 * d)

    def grey(pose: Pose) -> np.ndarray:
        return cv2.cvtColor(np.ascontiguousarray(rig.render(pose)[y0:y1, x0:x1, :3]), cv2.COLOR_RGB2GRAY).astype(float)

    pose = Pose(jaw=0.3)
    up, lo = rig.inner_lips(pose)
    mouth = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mouth, [np.round(np.concatenate([up, lo[::-1]]) - [x0, y0]).astype(np.int32)], 1)
    mouth = cv2.dilate(mouth, np.ones((3, 3), np.uint8), iterations=max(1, int(0.03 * d)))
    lighter = (grey(pose) - grey(Pose(smile=0.05)) > 25) & (mouth == 0) & near_tip
    assert int(lighter.sum()) <= 40, int(lighter.sum())  # (was 66: the wall dragged down under the lips)


def test_relaxing_a_smile_leaves_the_cheeks_and_folds_in_place(rig) -> None:  # type: ignore[no-untyped-def]
    """The astronaut smiles; talking relaxes the smile (corners down and in). The cheeks above the corners, where
    the nasolabial folds run, stay as photographed (the fold's lower end used to be dragged down with the corner
    and bent into a lump beside the mouth)."""
    f = rig.frame_
    x0, y0, x1, y1 = rig.box
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = f.to_local(xs, ys)
    vs = v - f.seam(u)
    cheek = (np.abs(u) > f.half_mouth) & (np.abs(u) < f.half_mouth + 0.4 * f.ipd) & (vs > -0.6 * f.ipd) & (
        vs < -0.3 * f.ipd)
    rest = rig.render(Pose(smile=0.05))[y0:y1, x0:x1, :3].astype(np.float32)
    photo = rig.base[y0:y1, x0:x1, :3].astype(np.float32)
    diff = float(np.abs(rest - photo).max(axis=2)[cheek].mean())
    assert diff <= 1.5, diff  # 6.8 grey levels when the fold was dragged down


def test_a_near_profiles_far_eye_keeps_still() -> None:
    """The cameraman's far eye is a sliver at his silhouette: a blink leaves it as photographed (a lid drawn over
    it was a squiggle of lash shadow on the cheek's edge) while the near eye closes."""
    rig = rig_for(_photo("cameraman.jpg"))
    rest = rig.render(Pose(smile=0.05))
    closed = rig.render(Pose(blink=1.0, smile=0.05))
    far, near = sorted(rig.eyes, key=lambda e: e.width)
    changed = []
    for eye in (far, near):
        x0, y0, x1, y1 = eye.box
        changed.append(float(np.abs(closed[y0:y1, x0:x1, :3].astype(int) - rest[y0:y1, x0:x1, :3]).max()))
    assert changed[0] == 0 and changed[1] > 40, changed


def _head_sway(rig, pose: Pose) -> float:  # type: ignore[no-untyped-def]
    """How far the nose tip moves for this head pose, over the eyes-to-mouth height (which a turn does not
    shorten)."""
    hx0, hy0, _, _ = rig.head.box
    m = rig.head.map2(pose.head_yaw, pose.head_pitch, pose.head_roll, pose.head_tx, pose.head_ty)
    x, y = rig.landmarks[1, :2]
    src = m[int(round(y)) - hy0, int(round(x)) - hx0]
    height = float(np.linalg.norm(rig.frame_.origin - 0.5 * (rig.landmarks[468, :2] + rig.landmarks[473, :2])))
    return float(np.linalg.norm(src - [x - hx0, y - hy0])) / height


@pytest.mark.parametrize("pose", [Pose(head_yaw=4.0), Pose(head_pitch=4.0), Pose(head_tx=0.05, head_ty=0.05)])
def test_a_turned_head_sways_as_far_as_a_frontal_one(pose: Pose) -> None:
    """Head motion is sized in the face's own unit: the same person turned about 26 degrees moves at least 80% as
    far as frontal (relative to the face's height), not in proportion to a foreshortened IPD."""
    turned, frontal = rig_for(_photo("obama_speaking.jpg")), rig_for(_photo("obama_smile.jpg"))
    ratio = _head_sway(turned, pose) / _head_sway(frontal, pose)
    assert ratio >= 0.8, ratio


def _display_scale(rgb: np.ndarray, canvas: tuple[int, int]) -> float:
    from talkframe.render.avatar_stage import photo_display_scale
    from talkframe.request import GenerateRequest

    character = GenerateRequest.model_validate({"video_inputs": [{
        "character": {"type": "talking_photo", "talking_photo_id": "p"},
        "voice": {"type": "silence", "duration": 1}}]}).video_inputs[0].character
    return photo_display_scale(character, rgb, canvas)


def _mouth_sharpness(frame: np.ndarray, up: np.ndarray, lo: np.ndarray) -> float:
    """The steepest luminance steps in the mouth (99th percentile of the gradient over the lips' box plus a
    margin: the lip line and the teeth's edges)."""
    grey = cv2.cvtColor(np.ascontiguousarray(frame[..., :3]), cv2.COLOR_RGB2GRAY).astype(np.float32)
    g = np.hypot(cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)) / 8.0
    pts = np.concatenate([up, lo])[:, :2]
    margin = 0.2 * float(np.ptp(pts[:, 0]))
    (x0, y0), (x1, y1) = (pts.min(axis=0) - margin).astype(int), (pts.max(axis=0) + margin).astype(int)
    return float(np.percentile(g[max(0, y0):y1, max(0, x0):x1], 99))


def test_a_small_face_shown_large_is_animated_at_the_videos_resolution_with_a_crisp_lip_line() -> None:
    """A 112 px photo (36 px between the pupils) in a 720p video is shown 6x enlarged: the rig works on a
    supersampled copy, so the mouth it draws has the video's resolution. Against the same mouth drawn on the
    photo's pixels and enlarged as the compose step enlarges it (bilinear), its lip and teeth edges are at least
    1.25x as steep. Photos that are not shown much enlarged (the built-in 512 px photo in 720p, a 600 px face) are left
    at their own size."""
    rgb = _portrait("hanks")
    scale = _display_scale(rgb, (1280, 720))
    assert scale > 4
    small, big = rig_for(rgb), rig_for(rgb, display_scale=scale)
    assert small.size == (rgb.shape[1], rgb.shape[0])
    assert big.size[0] >= 1.9 * small.size[0]
    pose = _aa()
    lifted = cv2.resize(small.render(pose), big.size, interpolation=cv2.INTER_LINEAR)
    up, lo = big.inner_lips(pose)
    crisp, soft = _mouth_sharpness(big.render(pose), up, lo), _mouth_sharpness(lifted, up, lo)
    assert crisp >= 1.25 * soft, (crisp, soft)

    from talkframe.avatar.catalog import astronaut_rgb

    for photo in (astronaut_rgb(), _photo("biden.jpg")):
        assert rig_for(photo, display_scale=_display_scale(photo, (1280, 720))).size == (photo.shape[1],
                                                                                        photo.shape[0])
    # between the downsampling and the supersampling scales every display scale gets the very same rig (the
    # warm-up's renders build the one a 720p video uses)
    astronaut = astronaut_rgb()
    assert rig_for(astronaut, display_scale=0.75) is rig_for(astronaut, display_scale=1.41)


def test_a_large_photo_shown_small_is_animated_at_its_shown_size() -> None:
    """A phone's 12 MP portrait in a 720p video is shown at about a fifth of its pixels; animated at its own size,
    every frame's warp cost the photo's pixels (a 4500 px photo: 205 ms a frame, RTF 8.7 on a 3 s line; 0.84 now).
    The rig animates it at the shown size instead, and its frames are the full-size rig's frames scaled down."""
    big = cv2.resize(_photo("biden.jpg"), None, fx=4, fy=4, interpolation=cv2.INTER_CUBIC)  # 1280 px, IPD ~330
    full, shown = rig_for(big), rig_for(big, display_scale=0.3)
    assert full.size == (1280, 1280)
    assert shown.size == (384, 384)
    pose = _aa()
    a = shown.render(pose)[..., :3].astype(np.float32)
    b = cv2.resize(full.render(pose)[..., :3], shown.size, interpolation=cv2.INTER_AREA).astype(np.float32)
    x0, y0, x1, y1 = shown.head.box
    diff = np.abs(a - b)[y0:y1, x0:x1].mean(axis=2)
    assert float(diff.mean()) <= 2.0 and float(np.percentile(diff, 99)) <= 25, (diff.mean(), np.percentile(diff, 99))
    # a face is never animated below MIN_RIG_IPD px, however small it is shown
    tiny = rig_for(big, display_scale=0.05)
    assert tiny.ipd >= 63.0 and tiny.size[0] < full.size[0]
