#!/usr/bin/env bash
# Runs the clickhouse-client suite: installs clickhouse-client (Debian's 18.16, with the
# reference server) and tmux when missing, starts a Hadron server (or uses --url URL /
# --reference, see ../clickhouse-js/target.mjs) and runs run.mjs against its native TCP port.
# Ends with the line `N passed, N failed, N skipped`.
#   compat-tests/clickhouse-client/run.sh [--strict] [--url URL | --reference] [--filter REGEX] [--verbose] [--record]
# With --url, the native port comes from COMPAT_TCP_PORT. Exits 0 unless --strict (then 1 when anything failed).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
server_args=()
runner_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --strict) strict=1; runner_args+=("$1") ;;
    --url) server_args+=(--url "$2"); shift ;;
    --url=*|--reference) server_args+=("$1") ;;
    --filter) runner_args+=(--filter "$2"); shift ;;
    *) runner_args+=("$1") ;;
  esac
  shift
done

fail_setup() {
  echo "$1"
  echo "0 passed, 1 failed, 0 skipped"
  [ $strict -eq 1 ] && exit 1 || exit 0
}

if ! command -v clickhouse-client >/dev/null 2>&1; then
  "$here/../reference-clickhouse/install.sh" || fail_setup "could not install clickhouse-client"
fi
if ! command -v tmux >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y --no-install-recommends tmux >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y --no-install-recommends tmux >/dev/null; }; } ||
    fail_setup "could not install tmux"
fi

timeout --signal=TERM --kill-after=30 900 node "$here/../clickhouse-js/with-server.mjs" "${server_args[@]}" -- \
  node "$here/run.mjs" "${runner_args[@]}"
rc=$?
case $rc in
  0|1) ;;
  90) echo "0 passed, 1 failed, 0 skipped" ;; # the server did not start
  *) echo "run.mjs exited $rc"; echo "0 passed, 1 failed, 0 skipped"; rc=1 ;;
esac
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
