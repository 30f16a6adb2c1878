"""The NumPy resampler computes what scipy.signal.resample_poly did (same filter, length and values)."""

from __future__ import annotations

import subprocess
import sys
from math import gcd

import numpy as np
import pytest
from scipy.signal import resample_poly

from talkframe.media.resample import resample


@pytest.mark.parametrize(("src", "dst"), [(22050, 44100), (16000, 44100), (24000, 44100), (44100, 22050),
                                          (48000, 44100), (8000, 22050), (22050, 16000)])
@pytest.mark.parametrize("n", [1, 2, 7, 1001, 30011])
def test_matches_scipy(src: int, dst: int, n: int) -> None:
    x = np.random.default_rng(n).uniform(-1, 1, n).astype(np.float32)
    g = gcd(src, dst)
    want = resample_poly(x.astype(np.float64), dst // g, src // g)
    got = resample(x, src, dst)  # float32 in: filtered in float32, as scipy does
    assert got.dtype == np.float32 and got.shape == want.shape
    np.testing.assert_allclose(got, resample_poly(x, dst // g, src // g), rtol=0, atol=1e-6)
    np.testing.assert_allclose(resample(x.astype(np.float64), src, dst), want, rtol=0, atol=2e-7)
    if (src, dst) == (22050, 44100):  # every render's output audio: scipy's to the bit, float32 and float64
        assert np.array_equal(got, resample_poly(x, 2, 1))
        assert np.array_equal(resample(x.astype(np.float64), src, dst), want.astype(np.float32))


def test_same_rate_and_empty() -> None:
    x = np.arange(5, dtype=np.float64)
    assert resample(x, 22050, 22050).dtype == np.float32
    np.testing.assert_array_equal(resample(x, 22050, 22050), x)
    assert resample(np.zeros(0), 22050, 44100).shape == (0,)


def test_render_path_does_not_import_scipy() -> None:
    code = ("import sys, numpy as np; from talkframe.media.mp4 import resample; "
            "from talkframe.voice.timeline import resample as r2; resample(np.ones(100), 22050, 44100); "
            "r2(np.ones(100), 16000, 22050); print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
