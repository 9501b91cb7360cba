#!/bin/sh
# CTest's emulator for Windows programs: wine-run.sh PREFIX PROGRAM [ARGS...]
# Exits with the program's exit status; a crash exits non-zero because the
# debugger is disabled (see wine-env.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
WINEPREFIX=$1
. "$here/wine-env.sh"
shift
# A test that wants a fresh wsphost catalog gets its file removed first.
if [ "${WSPHOST_CATALOG_FRESH:-}" = 1 ] && [ -n "${WSPHOST_CATALOG:-}" ]; then
    rm -f "$WSPHOST_CATALOG" "$WSPHOST_CATALOG.32" "$WSPHOST_CATALOG.lock"
fi
exec wine "$@"
