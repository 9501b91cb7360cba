#!/bin/sh
# CTest's runner for a Windows program run through the stand-in ws2_32:
#   wine-run-standin.sh PREFIX WSPHOST_RUN PROGRAM [ARGS...]
# The environment of wine-run.sh (wine-env.sh), then wsphost-run with the
# catalog WSPHOST_CATALOG names (removed first when WSPHOST_CATALOG_FRESH=1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
WINEPREFIX=$1
. "$here/wine-env.sh"
run=$2
shift 2
if [ "${WSPHOST_CATALOG_FRESH:-}" = 1 ]; then
    rm -f "$WSPHOST_CATALOG" "$WSPHOST_CATALOG.32" "$WSPHOST_CATALOG.lock"
fi
exec "$run" --catalog "$WSPHOST_CATALOG" -- "$@"
