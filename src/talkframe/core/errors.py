"""HeyGen's error codes and the two exceptions the service raises.

`ApiError` becomes an HTTP error in the envelope of the path's API family; `RenderError` ends a video `failed` with
a numeric code and a message the user can act on (shown in `video_status.get` and the `avatar_video.fail` webhook).
"""

from __future__ import annotations

from dataclasses import dataclass

# v1 numeric codes (HeyGen's list of error codes).
INVALID_CREDENTIALS = 40009
UNAUTHORIZED = 400112
MISSING_PARAMS = 40001
INVALID_PARAMETER = 400175
INVALID_VIDEO_INFOS = 40065
INVALID_TEXT_INPUT = 40039
INVALID_VIDEO_ID = 40031
VIDEO_FORMAT_NOT_SUPPORTED = 40010
FILE_CORRUPTED = 400652
EMPTY_VIDEO_STREAM = 400621
EMPTY_AUDIO_STREAM = 400624
INVALID_AUDIO_FORMAT = 40044
VIDEO_TOO_LONG = 40119
QUOTA_EXCEEDED = 400599
INTERNAL_ERROR = 500000
INTERNAL_RENDER_ERROR = 500001
WORKER_DIED = 500002


@dataclass
class FieldProblem:
    """One offending request field, e.g. `video_inputs[0].dimension`, and HeyGen's message for it."""

    field: str
    message: str


class ApiError(Exception):
    """An HTTP error: `code` is a v2 snake_case string, `v1_code` the numeric v1 code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        v1_code: int = INVALID_PARAMETER,
        problems: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.v1_code = v1_code
        self.problems = problems or []
        self.headers = headers or {}


class RenderError(Exception):
    """A render that cannot succeed; the video ends `failed` with this code, message and optional detail."""

    def __init__(self, code: int, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail or message

