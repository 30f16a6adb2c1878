"""Motion: speech timelines -> per-frame, image-independent animation tracks (lips, blinks, head, expression)."""

from talkframe.motion.pose import Pose
from talkframe.motion.tracks import MotionTracks, build_tracks

__all__ = ["MotionTracks", "Pose", "build_tracks"]
