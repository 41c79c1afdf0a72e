#!/usr/bin/env bash
# Runs the clickhouse-driver + chdb suite (ClickHouse native TCP protocol): installs the pinned
# clients into .venv (first run only), starts a Hadron server with its native listener (or uses
# --url URL with COMPAT_TCP_PORT set / --reference, see ../clickhouse-js/target.mjs), runs pytest,
# and ends with the line `N passed, N failed, N skipped`.
#   compat-tests/clickhouse-driver/run.sh [--strict] [--url URL | --reference] [-- PYTEST_ARGS...]
# Exits 0 unless --strict (then 1 when anything failed).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
server_args=()
pytest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --strict) strict=1 ;;
    --url) server_args+=(--url "$2"); shift ;;
    --url=*|--reference) server_args+=("$1") ;;
    --) shift; pytest_args=("$@"); break ;;
    *) pytest_args+=("$1") ;;
  esac
  shift
done

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements.txt"; then
  echo "installing clickhouse-driver and chdb into $venv"
  python3 -m venv "$venv" &&
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" &&
    cp "$here/requirements.txt" "$venv/.requirements.txt"
  if [ $? -ne 0 ]; then
    # chdb is the large one: without it the chdb tests fail with the import error (test_chdb.py),
    # so install the rest and go on.
    echo "could not install every package; trying without chdb"
    grep -v '^chdb' "$here/requirements.txt" >"$venv/requirements-nochdb.txt" &&
      "$venv/bin/pip" install -q --disable-pip-version-check -r "$venv/requirements-nochdb.txt"
    if [ $? -ne 0 ]; then
      echo "could not install the Python client"
      echo "0 passed, 1 failed, 0 skipped"
      [ $strict -eq 1 ] && exit 1 || exit 0
    fi
  fi
fi

cd "$here"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the tests
timeout --signal=TERM --kill-after=30 1500 node "$here/../clickhouse-js/with-server.mjs" "${server_args[@]}" -- \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -rfE --tb=line \
  "$here/test_clickhouse_driver.py" "$here/test_chdb.py" "${pytest_args[@]}"
rc=$?
case $rc in
  0|1) ;;                                     # pytest: all passed / some failed (summary printed)
  90) echo "0 passed, 1 failed, 0 skipped" ;; # the server did not start
  *) echo "pytest exited $rc"; echo "0 passed, 1 failed, 0 skipped"; rc=1 ;;
esac
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
