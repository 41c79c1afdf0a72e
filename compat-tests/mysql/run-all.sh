#!/usr/bin/env bash
# Runs every client part against the server with-server.mjs started (COMPAT_MYSQL_PORT), prints their
# PASS / FAIL / skip lines and the summary `N passed, N failed, N skipped`.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$(mktemp "${TMPDIR:-/tmp}/hadron-mysql.XXXXXX")"
trap 'rm -f "$out"' EXIT

part() {
  local name="$1"; shift
  echo "--- $name"
  if ! "$@" 2>&1 | tee -a "$out"; then
    echo "FAIL  $name: the runner exited with an error" | tee -a "$out"
  fi
}

part mysql-cli bash "$here/cli.sh"
if [ -x "$here/.venv/bin/python" ]; then part pymysql "$here/.venv/bin/python" "$here/pymysql_compat.py"
else echo "FAIL  pymysql: not installed" | tee -a "$out"; fi
if [ -s "$here/connector-j/target/classpath.txt" ]; then
  part connector-j java -Duser.timezone=UTC -cp "$here/connector-j/target/classes:$(cat "$here/connector-j/target/classpath.txt")" hadron.compat.MysqlCompat
else echo "FAIL  connector-j: not built" | tee -a "$out"; fi
(cd "$repo" && part mysql2 node "$here/mysql2_compat.mjs")

passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
skipped=$(grep -c '^skip ' "$out")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ] || exit 3
