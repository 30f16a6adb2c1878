import numpy as np
import pytest
from skimage import data

from talkframe.avatar import landmarks as L
from talkframe.avatar.face import analyse_photo


@pytest.fixture(scope="session")
def astronaut():
    return np.ascontiguousarray(data.astronaut())


@pytest.fixture(scope="session")
def rig(astronaut):
    from talkframe.avatar.talking_photo import rig_for

    return rig_for(astronaut)


def _measure(rgb: np.ndarray) -> dict[str, float]:
    """Re-detect landmarks on a rendered frame: inner-lip opening, mouth width, eye aspect ratio (all / IPD)."""
    a = analyse_photo(np.ascontiguousarray(rgb[..., :3]))
    lm, d, c = a.landmarks, a.ipd, L.contours()
    opening = abs(lm[c["lower_inner"], 1].mean() - lm[c["upper_inner"], 1].mean()) / d
    width = float(np.linalg.norm(lm[61, :2] - lm[291, :2])) / d
    ears = []
    for s in ("l", "r"):
        up, lo = lm[c[f"eye_{s}_upper"], :2], lm[c[f"eye_{s}_lower"], :2]
        ears.append(float(np.mean(lo[2:-2, 1] - up[2:-2, 1])) / float(np.linalg.norm(up[-1] - up[0])))
    return {"open": float(opening), "width": width, "ear": float(np.mean(ears)), "lower_lip_y": lm[14, 1] / d,
            "upper_lip_y": lm[13, 1] / d}


@pytest.fixture(scope="session")
def measure():
    return _measure
