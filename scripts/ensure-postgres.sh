#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 for the test suite (user postgres, no password from loopback):
# starts the Debian cluster if it is down, installs it from Debian packages if it is missing.
set -euo pipefail
PGURL="${B24IM_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

answers() { node -e "const pg=require('pg');const c=new pg.Client(process.argv[1]);c.connect().then(()=>c.query('select 1')).then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$PGURL" 2>/dev/null; }

if answers; then echo "postgres: answering"; exit 0; fi

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres: installing from Debian packages"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$VERSION main$"; then
  $SUDO pg_createcluster "$VERSION" main
fi
HBA="/etc/postgresql/$VERSION/main/pg_hba.conf"
# Test machines only: trust connections from loopback, like the CI image does.
if ! $SUDO grep -q '^host all all 127.0.0.1/32 trust' "$HBA"; then
  $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$HBA"
fi
echo "postgres: starting cluster $VERSION/main"
$SUDO pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start || $SUDO pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload
for _ in $(seq 1 30); do
  if answers; then echo "postgres: answering"; exit 0; fi
  sleep 1
done
echo "postgres: not answering on $PGURL" >&2
exit 1
