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
# Real ids for the path parameters, so that operations on one resource reach their logic instead of a 404:
# a queued video (no workers here), an uploaded image asset, a built-in look and its group, a voice.
API="http://127.0.0.1:$PORT"
VIDEO=$(curl -fs -X POST "$API/v3/videos" -H "x-api-key: $KEY" -H 'Content-Type: application/json' \
  -d '{"type":"avatar","avatar_id":"'"$("$BIN/python" -c 'from talkframe.avatar.catalog import BUILTIN_AVATAR_ID as a; print(a)')"'","script":"Hi."}' \
  | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["data"]["video_id"])')
"$BIN/python" -c 'import sys; sys.stdout.buffer.write(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1b6f80000000049454e44ae426082"))' > "$DATA/dot.png"
ASSET=$(curl -fs -X POST "$API/v3/assets" -H "x-api-key: $KEY" -F "file=@$DATA/dot.png" \
  | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["data"]["asset_id"])')
LOOK=$(curl -fs "$API/v3/avatars/looks?limit=1" -H "x-api-key: $KEY" \
  | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
VOICE=$(curl -fs "$API/v3/voices?limit=1" -H "x-api-key: $KEY" \
  | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["voice_id"])')
cat > "$DATA/schemathesis.toml" <<TOML
[parameters]
"path.video_id" = "$VIDEO"
"path.asset_id" = "$ASSET"
"path.look_id" = "$LOOK"
"path.group_id" = "${LOOK}_group"
"path.voice_id" = "$VOICE"
TOML
echo "seeded ids: video $VIDEO, asset $ASSET, look $LOOK, voice $VOICE"
"$BIN/schemathesis" --config-file "$DATA/schemathesis.toml" run "http://127.0.0.1:$PORT/openapi.json" \
  --include-path-regex '^/v3/' -H "x-api-key: $KEY" \
  --checks not_a_server_error --max-examples "$MAX_EXAMPLES" --seed "${SEED:-15}" \
  --generation-deterministic "$@"
STATUS=$?
grep -v '^INFO: ' "$LOG" > "${SERVER_LOG:-schemathesis-v3-server.log}"
if grep -q "Traceback" "$LOG"; then
  echo "the server logged tracebacks: see ${SERVER_LOG:-schemathesis-v3-server.log}"; exit 1
fi
exit $STATUS
