#!/usr/bin/env bash
# Stops the reference ClickHouse started by start.sh and removes its folder. Usage: stop.sh [--dir DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec node "$here/server.mjs" stop "$@"
