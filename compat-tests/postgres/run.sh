#!/usr/bin/env bash
# Runs the Postgres wire-protocol suite with real clients: psql (apt: postgresql-client), psycopg 3
# (PyPI, into .venv), pgjdbc (Maven Central, cached in ~/.m2) and node-postgres (the repo's devDependencies).
# Starts a Hadron server (npm run build first) with a password user pguser, or uses --url URL with
# COMPAT_POSTGRES_PORT set, and ends with the line `N passed, N failed, N skipped`.
#   compat-tests/postgres/run.sh [--strict] [--url URL]
# Exits 0 unless --strict (then 1 when anything failed).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
server_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --strict) strict=1 ;;
    --url) server_args+=(--url "$2"); shift ;;
    --url=*) server_args+=("$1") ;;
    --reference) echo "ClickHouse 18.16 has no Postgres interface: nothing to run"; echo "0 passed, 0 failed, 1 skipped"; exit 0 ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
  shift
done
fail_setup() {
  echo "$1"
  echo "0 passed, 1 failed, 0 skipped"
  [ $strict -eq 1 ] && exit 1 || exit 0
}

if ! command -v psql >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq postgresql-client) >/dev/null 2>&1 || fail_setup "could not install psql"
fi
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements.txt"; then
  echo "installing psycopg into $venv"
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" && cp "$here/requirements.txt" "$venv/.requirements.txt"; } ||
    fail_setup "could not install psycopg"
fi
mkdir -p "$here/target"
build() { (cd "$here" && mvn -B -q "$@" compile dependency:build-classpath -Dmdep.outputFile="$here/target/classpath.txt" >"$here/target/build.log" 2>&1); }
if ! build -o && ! build; then
  tail -30 "$here/target/build.log"
  fail_setup "could not build the pgjdbc test program"
fi
[ -d "$here/../../node_modules/pg-cursor" ] || fail_setup "node_modules/pg-cursor is missing: run npm ci"

# The server reads its users from this config: pguser has a password (SCRAM-SHA-256 over the wire).
export HADRON_CONFIG="$here/target/hadron-users.yaml"
printf 'users:\n  default: {}\n  pguser:\n    password: pgpass\n' >"$HADRON_CONFIG"
timeout --signal=TERM --kill-after=30 900 node "$here/../clickhouse-js/with-server.mjs" "${server_args[@]}" -- bash "$here/suite.sh"
rc=$?
if [ $rc -eq 90 ] || [ $rc -ge 124 ]; then echo "suite ended with exit code $rc"; echo "0 passed, 1 failed, 0 skipped"; fi
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
