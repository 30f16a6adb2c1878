"""Mouths for visemes the clip never shows, made by the photo rig on an idle frame of the same person.

A 30 s clip usually covers every viseme, but not always (TH and CH are rare). For a missing one, the photo rig
animates the first idle frame to that viseme's target and the mouth is cut from its render like any real one, so
the path search still has an image with the right shape. If the rig cannot run, the search falls back to the
nearest measured shape (see `select.py`).
"""

from __future__ import annotations

import logging

import numpy as np

from talkframe.motion.visemes import TARGETS, Viseme
from talkframe.video_avatar.canonical import MouthFrame
from talkframe.video_avatar.library import MouthLibrary, assemble, mouth_entry

log = logging.getLogger(__name__)


def rig_mouths(rgb: np.ndarray, to_canonical: np.ndarray, frame: MouthFrame, band: np.ndarray,
               missing: list[Viseme]) -> MouthLibrary | None:
    """One rig-made library image per missing viseme (None when there is nothing to add or the rig fails)."""
    if not missing:
        return None
    try:
        from talkframe.avatar.face import analyse_photo
        from talkframe.avatar.talking_photo import rig_for
        from talkframe.motion import Pose

        rig = rig_for(rgb)
        entries, labels = [], []
        for v in missing:
            t = TARGETS[v]
            out = rig.render(Pose(jaw=t.jaw, width=t.width, closure=t.closure, lip_teeth=t.lip_teeth,
                                  smile=rig.smile0))[..., :3].copy()
            lm = analyse_photo(out).landmarks[:, :2]
            entries.append(mouth_entry(out, to_canonical, lm, frame, band))
            labels.append(v.value)
    except Exception as exc:  # the rig is a nicety here: nearest-shape fallback still works without it
        log.warning("photo-rig fallback mouths failed (%s); using nearest visemes", exc)
        return None
    return assemble(entries, labels, [-1] * len(labels))
