"""Live streaming: a presenter animated frame by frame and sent out over WebRTC (aiortc) as it speaks.

    text -> sentences (`text`) -> voice + motion stages per sentence (`speech`) -> a timeline of scheduled
    speech on one media clock (`performer`) -> per-frame poses -> photo rig frames and 20 ms audio packets
    (`tracks`) -> one RTCPeerConnection per session (`session`), kept within limits by `registry`.

No HTTP here: `talkframe.api.routes.streaming` is the HeyGen-shaped door onto `StreamingSessions`.
"""

from talkframe.streaming.registry import LimitReached, SessionNotFound, StreamingSessions
from talkframe.streaming.session import LiveSession, SessionOptions, SessionStateError

__all__ = ["LimitReached", "LiveSession", "SessionNotFound", "SessionOptions", "SessionStateError",
           "StreamingSessions"]
