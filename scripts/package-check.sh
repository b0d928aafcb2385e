#!/usr/bin/env bash
# Installs b24im as a user would: `npm pack`, then `npm install ./b24im-*.tgz` in an empty directory; starts the
# server from that install and calls it (the web client and a REST call through a webhook made by its CLI). Fails
# on any npm warning during the install (EBADENGINE, deprecated, peer conflicts).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tarball="$root/$(npm pack --silent | tail -1)"
dir=$(mktemp -d)
pid=
# npx starts the server as its child: the server runs in its own process group, and the whole group is stopped.
cleanup() { [ -n "$pid" ] && kill -- "-$pid" 2>/dev/null; rm -rf "$dir" "$tarball"; }
trap cleanup EXIT
cd "$dir"
# npm 11 runs install scripts only for packages the installing project allows: better-sqlite3 builds its binary.
printf '{"name":"b24im-install-check","private":true,"allowScripts":{"better-sqlite3":true}}\n' > package.json
npm install "$tarball" --no-audit --no-fund --prefer-offline 2>&1 | tee install.log
if grep -qi '^npm warn' install.log; then
  echo "package check: npm warned while installing the tarball" >&2
  exit 1
fi
export B24IM_DB="$dir/data/b24im.sqlite" PORT=0 HOST=127.0.0.1
setsid npx --no-install b24im serve > serve.log 2>&1 &
pid=$!
for _ in $(seq 1 120); do grep -q 'b24im listening on' serve.log && break; sleep 0.5; done
url=$(grep -o 'b24im listening on [^ ]*' serve.log | head -1 | awk '{print $4}')
[ -n "$url" ] || { cat serve.log; echo "package check: the server did not start" >&2; exit 1; }
curl -sf "$url/" | grep -q '<div id="app"' || { echo "package check: / does not serve the web client" >&2; exit 1; }
hook=$(B24IM_PUBLIC_URL="$url" npx --no-install b24im webhook add --user 1)
curl -sf "${hook}server.time" | grep -q '"result":"' || { echo "package check: REST call failed" >&2; exit 1; }
curl -sf "$url/readyz" | grep -q '"ready"'
echo "package check: installed from $(basename "$tarball"), served $url, web client and REST answer"
