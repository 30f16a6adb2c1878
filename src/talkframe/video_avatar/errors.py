"""The one exception training raises: a clip that cannot make a video avatar, said in words a user can act on."""

from __future__ import annotations


class TrainingError(ValueError):
    """The clip was rejected. `code` is stable (for API error mapping); `str(error)` is the message for people.

    Codes: invalid_video, too_short, too_long, no_audio, silent_audio, no_face, face_lost, multiple_faces,
    scene_cut, heavy_motion.
    """

    def __init__(self, message: str, code: str = "invalid_video") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
