"""talkframe: a self-hosted, offline avatar video service that speaks HeyGen's public API."""

__version__ = "0.1.0"
