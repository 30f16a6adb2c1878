#!/usr/bin/env bash
# Bounded schemathesis run over the v3 OpenAPI against a live API-only `talkframe serve` (TALKFRAME_WORKERS=0):
# every /v3 operation, MAX_EXAMPLES generated requests each (default 25); fails on any 5xx answer.
set -uo pipefail
BIN=${BIN:-.venv/bin}
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
DATA=$(mktemp -d)
PORT=${PORT:-$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
LOG="$DATA/serve.log"
TALKFRAME_DATA_DIR="$DATA/data" TALKFRAME_PORT="$PORT" TALKFRAME_WORKERS=0 \
  TALKFRAME_PUBLIC_BASE_URL="http://127.0.0.1:$PORT" "$BIN/talkframe" serve >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.5
done
KEY=$(grep -m1 -oE "tf_[A-Za-z0-9_-]+" "$LOG") || { echo "no key in the server log:"; cat "$LOG"; exit 1; }
"$BIN/schemathesis" run "http://127.0.0.1:$PORT/openapi.json" \
  --include-path-regex '^/v3/' -H "x-api-key: $KEY" \
  --checks not_a_server_error --max-examples "$MAX_EXAMPLES" --seed "${SEED:-15}" \
  --generation-deterministic "$@"
STATUS=$?
grep -v '^INFO: ' "$LOG" > "${SERVER_LOG:-schemathesis-v3-server.log}"
if grep -q "Traceback" "$LOG"; then
  echo "the server logged tracebacks: see ${SERVER_LOG:-schemathesis-v3-server.log}"; exit 1
fi
exit $STATUS
