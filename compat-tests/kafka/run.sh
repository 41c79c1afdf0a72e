#!/usr/bin/env bash
# Runs the Kafka compat suite: a real Apache Kafka broker (KRaft, jars from Maven Central via pom.xml),
# kcat (Debian) as the independent producer/consumer, Hadron's external streams and materialized views
# in between, and the examples/cdc-pipeline check. Ends with `N passed, N failed, N skipped`.
#   compat-tests/kafka/run.sh [--strict] [--verbose] [--filter REGEX]
# Needs `npm run build` first. Starts its own Hadron servers (one is SIGKILLed and restarted on purpose).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
for a in "$@"; do [ "$a" = "--strict" ] && strict=1; done
fail() {
  echo "$1"
  echo "0 passed, 1 failed, 0 skipped"
  [ $strict -eq 1 ] && exit 1 || exit 0
}
if ! command -v kcat >/dev/null 2>&1; then
  echo "installing kcat"
  (apt-get install -y -q kcat >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q kcat >/dev/null 2>&1; }) || fail "could not install kcat"
fi
command -v java >/dev/null 2>&1 || fail "java (17+) is missing"
command -v mvn >/dev/null 2>&1 || fail "mvn is missing"
node "$here/kafka-broker.mjs" --fetch-only >/dev/null || fail "could not fetch the Kafka broker's jars from Maven Central"
timeout --signal=TERM --kill-after=30 420 node "$here/run.mjs" "$@"
rc=$?
case $rc in
  0) ;;
  1) [ $strict -eq 1 ] && exit 1 ;;
  *) echo "run.mjs exited $rc"; echo "0 passed, 1 failed, 0 skipped"; [ $strict -eq 1 ] && exit 1 ;;
esac
exit 0
