#!/usr/bin/env bash
# Installs Debian's ClickHouse 18.16 (clickhouse-server + clickhouse-client), the reference
# server of the differential suite. Idempotent: does nothing when both are installed.
# The package's own service (8123/9000, /etc/clickhouse-server) is not used: the runners
# start their own instance with compat-tests/reference-clickhouse/start.sh or
# compat-tests/lib/reference-clickhouse.mjs.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

if have clickhouse-server && have clickhouse-client; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends clickhouse-server clickhouse-client >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y --no-install-recommends clickhouse-server clickhouse-client >/dev/null
fi
# The package may have started its service where an init system runs; the runners do not need it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet clickhouse-server 2>/dev/null; then
  $SUDO systemctl stop clickhouse-server || true
fi
echo "installed $(dpkg-query -W -f='clickhouse-server ${Version}' clickhouse-server)"
