"""Video avatars (Video Rewrite, Bregler et al. 1997): a person's real mouth images from a short clip, re-sequenced
to speak new lines over an idle loop of the same clip.

    train_video_avatar(clip_path, work_dir) -> VideoAvatarModel   (saved under work_dir)
    VideoAvatarModel.load(work_dir)                                (any worker with the files)
    video_avatar_clip(model, tracks, matting) -> AvatarClip
"""

from talkframe.video_avatar.clip import VideoAvatarClip, video_avatar_clip
from talkframe.video_avatar.errors import TrainingError
from talkframe.video_avatar.model import VideoAvatarModel, load_model
from talkframe.video_avatar.train import train_video_avatar

__all__ = ["TrainingError", "VideoAvatarClip", "VideoAvatarModel", "load_model", "train_video_avatar",
           "video_avatar_clip"]
