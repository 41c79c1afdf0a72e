#!/usr/bin/env bash
# Runs the clickhouse-go v2 suite (native TCP protocol, LZ4; the Grafana ClickHouse plugin's
# driver and queries): downloads the Go modules (first run only), builds the test binary,
# starts a Hadron server with its native listener (or uses --url URL with COMPAT_TCP_PORT set /
# --reference, see ../clickhouse-js/target.mjs), runs it, and ends with the line
# `N passed, N failed, N skipped`.
#   compat-tests/clickhouse-go/run.sh [--strict] [--url URL | --reference] [-- GO_TEST_ARGS...]
# Exits 0 unless --strict (then 1 when anything failed).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
server_args=()
test_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --strict) strict=1 ;;
    --url) server_args+=(--url "$2"); shift ;;
    --url=*|--reference) server_args+=("$1") ;;
    --) shift; test_args=("$@"); break ;;
    *) test_args+=("$1") ;;
  esac
  shift
done

fail_setup() {
  echo "$1"
  echo "0 passed, 1 failed, 0 skipped"
  [ $strict -eq 1 ] && exit 1 || exit 0
}

go_bin="$(command -v go || true)"
[ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ] && go_bin=/usr/local/go/bin/go
if [ -z "$go_bin" ]; then
  apt-get install -y golang-go >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y golang-go >/dev/null 2>&1; }
  go_bin="$(command -v go || true)"
fi
[ -z "$go_bin" ] && fail_setup "no Go toolchain (go) and apt-get could not install one"

cd "$here"
bin="$here/.build/compat.test"
mkdir -p "$here/.build"
if ! "$go_bin" test -c -o "$bin" . >"$here/.build/build.log" 2>&1; then
  cat "$here/.build/build.log"
  fail_setup "could not build the clickhouse-go tests"
fi

timeout --signal=TERM --kill-after=30 900 node "$here/../clickhouse-js/with-server.mjs" "${server_args[@]}" -- \
  bash -c '"$2" tool test2json -t -p compat "$3" -test.v=test2json -test.timeout=10m "${@:4}" | node "$1"' _ \
  "$here/summarize.mjs" "$go_bin" "$bin" "${test_args[@]}"
rc=$?
case $rc in
  0|1) ;;                                     # summary printed
  90) echo "0 passed, 1 failed, 0 skipped" ;; # the server did not start
  *) echo "the test run exited $rc"; echo "0 passed, 1 failed, 0 skipped"; rc=1 ;;
esac
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
