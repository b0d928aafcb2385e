#!/usr/bin/env bash
# Makes sure Redis answers on 127.0.0.1:6379 for the shared rate-limit test: installs redis-server from Debian
# packages if it is missing and starts a private, non-persistent instance if nothing answers.
set -euo pipefail
PORT="${B24IM_TEST_REDIS_PORT:-6379}"

answers() { node -e "const s=require('net').connect(+process.argv[1],'127.0.0.1');s.setTimeout(2000);s.on('connect',()=>s.write('PING\r\n'));s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1))" "$PORT" 2>/dev/null; }

if answers; then echo "redis: answering"; exit 0; fi

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v redis-server >/dev/null; then
  echo "redis: installing from Debian packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
echo "redis: starting on 127.0.0.1:$PORT"
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
for _ in $(seq 1 30); do
  if answers; then echo "redis: answering"; exit 0; fi
  sleep 1
done
echo "redis: not answering on 127.0.0.1:$PORT" >&2
exit 1
