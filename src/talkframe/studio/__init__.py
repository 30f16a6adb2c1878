"""The studio: server-rendered pages at `/studio` over the same services as the API (no HTTP calls to itself)."""
