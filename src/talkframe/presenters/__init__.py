"""Illustrated presenters: built-in vector-drawn avatars rendered per frame at any resolution from motion tracks."""

from talkframe.motion.pose import Pose
from talkframe.presenters.catalog import PRESENTERS, PresenterInfo, is_presenter
from talkframe.presenters.clip import PresenterClip, presenter_clip, presenter_seed, preview_image
from talkframe.presenters.rig import PresenterRig, render_size

__all__ = ["PRESENTERS", "Pose", "PresenterClip", "PresenterInfo", "PresenterRig", "is_presenter",
           "presenter_clip", "presenter_seed", "preview_image", "render_size"]
