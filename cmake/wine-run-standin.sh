#!/bin/sh
# CTest's runner for a Windows program run through the stand-in ws2_32:
#   wine-run-standin.sh PREFIX WSPHOST_RUN [--x86] PROGRAM [ARGS...]
# The environment of wine-run.sh (wine-env.sh), then wsphost-run with the
# catalog WSPHOST_CATALOG names (removed first when WSPHOST_CATALOG_FRESH=1);
# --x86 is passed on (a 32-bit program run by the 64-bit build's wsphost-run).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
WINEPREFIX=$1
. "$here/wine-env.sh"
run=$2
shift 2
if [ "${WSPHOST_CATALOG_FRESH:-}" = 1 ]; then
    rm -f "$WSPHOST_CATALOG" "$WSPHOST_CATALOG.32" "$WSPHOST_CATALOG.lock"
fi
x86=
if [ "${1:-}" = --x86 ]; then
    x86=--x86
    shift
fi
exec "$run" --catalog "$WSPHOST_CATALOG" $x86 -- "$@"
