"""Step 3, motion: one set of motion tracks for the scene, whichever engine will render it.

The tracks are seeded by who is animated (the same photo or presenter always moves the same way); a video avatar
reads only their lip curves and visemes, which no seed changes.
"""

from __future__ import annotations

from collections.abc import Iterator

from talkframe.avatar.talking_photo import photo_seed
from talkframe.core.types import Speech
from talkframe.motion import MotionTracks, build_tracks
from talkframe.motion.stream import MotionStream
from talkframe.motion.tracks import IV_HEAD_GAIN
from talkframe.presenters.clip import presenter_seed
from talkframe.request import Character
from talkframe.resolve.scene import AvatarSource, PhotoSource, PresenterSource


def scene_motion(character: Character, speech: Speech, fps: float, source: AvatarSource) -> MotionTracks:
    """Lips from the speech timeline, blinks and head motion in the character's style, one value per frame."""
    return build_tracks(speech, fps, character.talking_style, character.expression, motion_seed(source),
                        _head_gain(character, source))


def scene_motion_runs(character: Character, pieces: Iterator[Speech], fps: float,
                      source: AvatarSource) -> Iterator[MotionTracks]:
    """The tracks of speech that arrives piece by piece (a text voice's sentences), in runs of consecutive frames
    as they become final (`motion.stream.MotionStream`); the runs depend only on the pieces, never on when they
    come, so drawing each run at once or all of them at the end gives the same frames."""
    stream = MotionStream(fps, character.talking_style, character.expression, motion_seed(source),
                          _head_gain(character, source))
    for piece in pieces:
        run = stream.feed(piece)
        if run.n_frames:
            yield run
    yield stream.finish()


def _head_gain(character: Character, source: AvatarSource) -> float:
    return IV_HEAD_GAIN if character.use_avatar_iv_model and isinstance(source, PhotoSource) else 1.0


def motion_seed(source: AvatarSource) -> int:
    """The seed of the blink and head-motion generator for this avatar."""
    if isinstance(source, PhotoSource):
        return photo_seed(source.rgb)
    if isinstance(source, PresenterSource):
        return presenter_seed(source.avatar_id)
    return 0
