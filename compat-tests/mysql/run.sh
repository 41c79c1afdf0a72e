#!/usr/bin/env bash
# Runs the MySQL-protocol clients against one Hadron server: the mysql / mariadb command-line client
# (Debian's mariadb-client, installed when missing), PyMySQL (PyPI, into .venv), MySQL Connector/J
# (Maven Central, built in connector-j/) and mysql2 (npm, the repository's devDependency).
# Ends with the line `N passed, N failed, N skipped`.
#   compat-tests/mysql/run.sh [--strict] [--url URL | --reference]
# With --url, the server's MySQL port comes from COMPAT_MYSQL_PORT. Build first: npm run build.
# Exits 0 unless --strict (then 1 when anything failed or was skipped).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
strict=0
server_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --strict) strict=1 ;;
    --url) server_args+=(--url "$2"); shift ;;
    --url=*|--reference) server_args+=("$1") ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
  shift
done

# The command-line client.
if ! command -v mysql >/dev/null 2>&1; then
  echo "installing mariadb-client"
  (apt-get install -y mariadb-client >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y mariadb-client >/dev/null 2>&1; }) ||
    echo "could not install mariadb-client (its checks are skipped)"
fi

# PyMySQL.
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/.requirements.txt"; then
  echo "installing PyMySQL into $venv"
  { python3 -m venv "$venv" &&
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" &&
    cp "$here/requirements.txt" "$venv/.requirements.txt"; } || echo "could not install PyMySQL (its checks fail)"
fi

# Connector/J: offline first (fast once ~/.m2 has everything), online only when that fails.
cj="$here/connector-j"
mkdir -p "$cj/target"
build_cj() {
  (cd "$cj" && mvn -B -q "$@" compile dependency:build-classpath -Dmdep.outputFile="$cj/target/classpath.txt" >"$cj/target/build.log" 2>&1)
}
if ! build_cj -o && ! build_cj; then
  tail -30 "$cj/target/build.log"
  echo "could not build the Connector/J test program (its checks fail)"
fi

export PYTHONDONTWRITEBYTECODE=1
# Users with passwords for the authentication checks (a server given with --url is used as it is).
export HADRON_CONFIG="$here/users.yaml"
timeout --signal=TERM --kill-after=30 900 node "$here/../clickhouse-js/with-server.mjs" "${server_args[@]}" -- bash "$here/run-all.sh"
rc=$?
case $rc in
  0|3) ;;                                     # all passed / something failed or was skipped (summary printed)
  90) echo "0 passed, 1 failed, 0 skipped" ;; # the server did not start
  *) echo "suite ended with exit code $rc"; echo "0 passed, 1 failed, 0 skipped"; rc=1 ;;
esac
if [ $strict -eq 1 ] && [ $rc -ne 0 ]; then exit 1; fi
exit 0
