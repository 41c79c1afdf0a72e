#!/usr/bin/env bash
# Starts a reference ClickHouse 18.16 in the background on free loopback ports and prints
# REFERENCE_URL=http://127.0.0.1:PORT once it answers /ping. Usage: start.sh [--dir DIR]
#   eval "$(compat-tests/reference-clickhouse/start.sh)"; export REFERENCE_URL
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/install.sh"
exec node "$here/server.mjs" start "$@"
