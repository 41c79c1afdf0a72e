#!/usr/bin/env bash
# Runs Proton's stream smoke cases against Hadron (see README.md): installs clickhouse-driver and
# PyYAML into .venv (first run only), then `node run.mjs` with the given arguments. Ends with the
# line `N passed, N failed, N skipped`; exits 0 unless --strict (then 1 when anything failed).
#   compat-tests/stream-smoke/run.sh [FOLDER] [--filter REGEX] [--jobs N] [--strict] ...
# Build first: npm run build.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
limit=360
prev=""
for a in "$@"; do
  [ "$a" = "--strict" ] && strict=1
  [ "$prev" = "--time-limit" ] && limit="$a"
  prev="$a"
done

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements.txt"; then
  echo "installing clickhouse-driver and PyYAML into $venv"
  python3 -m venv "$venv" &&
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" &&
    cp "$here/requirements.txt" "$venv/.requirements.txt"
  if [ $? -ne 0 ]; then
    echo "could not install the Python client"
    echo "0 passed, 1 failed, 0 skipped"
    [ $strict -eq 1 ] && exit 1 || exit 0
  fi
fi

# The external-stream cases produce their messages with kcat (Debian).
case " $* " in *" --kafka "*)
  if ! command -v kcat >/dev/null 2>&1; then
    apt-get install -y -q kcat >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q kcat >/dev/null 2>&1; } || echo "warning: could not install kcat"
  fi ;;
esac

export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the runner
# run.mjs bounds itself (--time-limit, default 360 s; cases already running finish); this is the backstop.
timeout --signal=TERM --kill-after=30 $((limit + 240)) node "$here/run.mjs" --python "$venv/bin/python" "$@"
rc=$?
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo "stream-smoke: killed after $((limit + 240)) s"; echo "0 passed, 1 failed, 0 skipped"; rc=1; fi
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
