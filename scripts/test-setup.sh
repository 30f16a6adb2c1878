#!/usr/bin/env bash
# What the tests need beyond the venv, made ready on this machine (run by `make test`):
# - Debian's alsa-utils, whose short recordings of a human voice are the real-speech test data (installed as root
#   with apt when missing; nothing is downloaded from anywhere else);
# - the local PostgreSQL and Redis of the scale-out tests: whichever is down is started, then both are awaited.
# - Debian's chromium, the real browser the studio tests drive through Playwright (installed as root with apt when
#   missing; Playwright downloads no browser of its own).
# - the portrait set (scripts/portraits.py: crops of photos inside PyPI packages, some not committable), which the
#   talking-photo tests read from /tmp/tf_portraits;
# SeaweedFS (S3) is started by the tests themselves.
set -euo pipefail

if [ ! -f /tmp/tf_portraits/laughing.png ]; then
  .venv/bin/python scripts/portraits.py /tmp/tf_portraits >/dev/null \
    || echo "setup: could not make the portrait set; the talking-photo portrait tests will say so" >&2
fi

if [ ! -f /usr/share/sounds/alsa/Front_Center.wav ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -qq alsa-utils >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq alsa-utils; }) \
    || echo "setup: could not install alsa-utils; the real-speech tests will say so" >&2
fi

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) \
    || echo "setup: could not install chromium; the studio browser tests will say so" >&2
fi

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! redis_up && command -v redis-server >/dev/null; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
for _ in $(seq 1 60); do
  if pg_up && redis_up; then echo "services: PostgreSQL and Redis are up"; exit 0; fi
  sleep 1
done
pg_up || echo "services: PostgreSQL is not answering on 127.0.0.1:5432" >&2
redis_up || echo "services: Redis is not answering on 127.0.0.1:6379" >&2
exit 1
