"""The run-splitting blend must give the same pixels as a plain per-pixel blend."""

import numpy as np

from talkframe.compose.blend import blend_into, plan_runs


def reference(region, rgb, alpha):
    a = alpha[..., None].astype(np.float64) / 255
    return np.round(rgb * a + region * (1 - a))


def test_run_blend_matches_the_formula():
    rng = np.random.default_rng(0)
    h, w = 300, 400
    yy, xx = np.mgrid[:h, :w]
    alpha = np.clip(255 - (np.hypot(xx - 200, yy - 150) - 100) * 10, 0, 255).astype(np.uint8)  # soft disc
    alpha[:20] = rng.integers(0, 256, (20, w), dtype=np.uint8)  # a speckled band
    rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    region = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    expected = reference(region, rgb, alpha)
    got = region.copy()
    blend_into(got, rgb, alpha)
    assert np.abs(got.astype(int) - expected).max() <= 1
    again = region.copy()
    blend_into(again, rgb, alpha, plan_runs(alpha))
    assert np.array_equal(again, got)
    # transparent pixels untouched, opaque pixels copied exactly
    assert np.array_equal(got[alpha == 0], region[alpha == 0])
    assert np.array_equal(got[alpha == 255], rgb[alpha == 255])
    runs = plan_runs(alpha)
    assert any(opaque for *_, opaque in runs) and not any(x0 == 0 and x1 == w for _, y1, x0, x1, _ in runs
                                                          if y1 > 32)
