"""How wide this person's lips part when the articulation curves ask for a mouth shape, learned from the clip.

The photo engine animates `motion.coarticulation.articulation()`; the video avatar follows the same curves. At
training the curves are computed for the clip's own speech and summed into one drive per frame: the jaw opening
the lips let through, plus the parting that rounding (a pursed "o") and a lip-to-teeth contact (f, v) add. How much
those two add is the person's own, so their gains are the ones whose drive ranks the clip's measured openings best
(rank correlation over a small grid; without them rounded vowels were chosen too closed). The opening to show is
then the drive times one scale: the clip's 95th-percentile opening over its 95th-percentile drive.

Why one scale and not a full quantile map (the clip's n-th percentile drive to its n-th percentile opening): the
map copies the clip's own mid-range, which is busier than the curve asks for new lines, and over 9 new scripts the
lip-sync m came out 0.03 above the photo engine's on two versions of the curves, against 0.00-0.02 with one scale.
A straight line keeps the curve's shape, so the chosen real mouths rise and fall as the photo engine's do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

JAW_REF = 0.16  # the curves' jaw at its 95th percentile over speech (fallback scale for uncalibrated models)
ROUND_GAINS = np.linspace(0.0, 0.8, 9)
TEETH_GAINS = np.linspace(0.0, 0.1, 5)
ANCHOR = 95  # percentile where drive and opening are matched
MIN_FRAMES = 60  # fewer usable frames: no calibration, the fallback


@dataclass(frozen=True)
class OpenCalibration:
    round_gain: float
    teeth_gain: float
    scale: float  # opening (IPD, as measured in the clip) per unit of drive

    def target(self, curves: dict[str, np.ndarray]) -> np.ndarray:
        """The opening to show on each frame of `curves`."""
        return self.scale * drive(curves, self.round_gain, self.teeth_gain)

    def to_dict(self) -> dict:
        return {"round_gain": self.round_gain, "teeth_gain": self.teeth_gain, "scale": self.scale}

    @staticmethod
    def from_dict(d: dict) -> OpenCalibration:
        return OpenCalibration(float(d["round_gain"]), float(d["teeth_gain"]), float(d["scale"]))


def drive(curves: dict[str, np.ndarray], round_gain: float, teeth_gain: float) -> np.ndarray:
    """Per frame: how far the curves want the lips apart (jaw, rounding, teeth contact), all held by closure."""
    free = 1.0 - np.clip(curves["closure"], 0.0, 1.0)
    parting = round_gain * np.maximum(-curves["width"], 0.0) + teeth_gain * curves["lip_teeth"]
    return (np.maximum(curves["jaw"], 0.0) + parting) * free


def fit(curves: dict[str, np.ndarray], opening: np.ndarray) -> OpenCalibration | None:
    """The calibration of one clip from its curves and measured openings (NaN where no face); None if too short."""
    ok = np.isfinite(opening)
    if ok.sum() < MIN_FRAMES:
        return None
    from scipy.stats import rankdata  # here, not at import: scipy.stats costs a render worker 0.6 s to start

    c = {k: v[ok] for k, v in curves.items()}
    o = opening[ok]
    ranks = rankdata(o)
    _, a, b = max((float(np.corrcoef(rankdata(drive(c, a, b)), ranks)[0, 1]), a, b)
                  for a in ROUND_GAINS for b in TEETH_GAINS)
    top = float(np.percentile(drive(c, a, b), ANCHOR))
    if top <= 1e-6:
        return None
    return OpenCalibration(float(a), float(b), float(np.percentile(o, ANCHOR)) / top)


def target_opening(curves: dict[str, np.ndarray], calibration: OpenCalibration | None, open_p95: float
                   ) -> np.ndarray:
    """The opening to show per frame: calibrated, or (older models) the jaw scaled to the clip's range."""
    if calibration is not None:
        return calibration.target(curves)
    return drive(curves, 0.0, 0.0) * open_p95 / JAW_REF
