#!/usr/bin/env bash
# Runs the clickhouse-jdbc suite: compiles the test program with Maven (dependencies cached in
# ~/.m2; offline after the first run), starts a Hadron server (or uses --url URL / --reference,
# see ../clickhouse-js/target.mjs), runs it, and ends with `N passed, N failed, N skipped`.
#   compat-tests/clickhouse-jdbc/run.sh [--strict] [--url URL | --reference] [--rows N]
# Exits 0 unless --strict (then 1 when anything failed).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
server_args=()
prog_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --strict) strict=1; prog_args+=(--strict) ;;
    --url) server_args+=(--url "$2"); shift ;;
    --url=*|--reference) server_args+=("$1") ;;
    --rows) prog_args+=(--rows "$2"); shift ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
  shift
done

cd "$here"
cp_file="$here/target/classpath.txt"
build() {
  mvn -B -q "$@" compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >"$here/target/build.log" 2>&1
}
mkdir -p "$here/target"
# Offline first (fast, no network once ~/.m2 has everything); online only when that fails.
if ! build -o && ! build; then
  tail -30 "$here/target/build.log"
  echo "could not build the JDBC test program"
  echo "0 passed, 1 failed, 0 skipped"
  [ $strict -eq 1 ] && exit 1 || exit 0
fi

timeout --signal=TERM --kill-after=30 600 node "$here/../clickhouse-js/with-server.mjs" "${server_args[@]}" -- \
  java -Duser.timezone=UTC -cp "$here/target/classes:$(cat "$cp_file")" hadron.compat.JdbcCompat "${prog_args[@]}"
rc=$?
if [ $rc -eq 90 ] || [ $rc -ge 124 ]; then echo "suite ended with exit code $rc"; echo "0 passed, 1 failed, 0 skipped"; fi
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
