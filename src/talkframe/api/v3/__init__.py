"""HeyGen's v3 API: its own envelopes, errors (with `param`), paging and idempotency, over the same tables,
storage and pipeline as v1/v2 (a v3 request is translated into the internal `GenerateRequest`)."""
