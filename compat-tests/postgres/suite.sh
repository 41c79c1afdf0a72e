#!/usr/bin/env bash
# Runs every Postgres client part against the server given by COMPAT_POSTGRES_PORT and sums their
# summaries into one `N passed, N failed, N skipped` line.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
total_p=0
total_f=0
total_s=0
part() {
  local name="$1"
  shift
  echo "=== $name"
  local out last
  out="$("$@" 2>&1)"
  last="$(grep -E '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | tail -1)"
  grep -vE '^[0-9]+ passed, [0-9]+ failed' <<<"$out" | sed 's/^/  /'
  if [ -z "$last" ]; then
    echo "  $name: no summary"
    total_f=$((total_f + 1))
    return
  fi
  echo "  $name: $last"
  total_p=$((total_p + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$last")))
  total_f=$((total_f + $(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$last")))
  total_s=$((total_s + $(sed -nE 's/.*, ([0-9]+) skipped.*/\1/p' <<<"$last")))
}
part psql bash "$here/psql-checks.sh"
part psycopg env PYTHONDONTWRITEBYTECODE=1 "$here/.venv/bin/python" -m pytest -q -p no:cacheprovider -rfE --tb=short "$here/test_psycopg.py"
part pgjdbc java -Duser.timezone=UTC -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" hadron.compat.PgjdbcCompat
part node-postgres node "$here/node-postgres.mjs"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
