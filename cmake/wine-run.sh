#!/bin/sh
# CTest's emulator for Windows programs: wine-run.sh PREFIX PROGRAM [ARGS...]
# Exits with the program's exit status; a crash exits non-zero because the
# debugger is disabled (see wine-env.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
WINEPREFIX=$1
. "$here/wine-env.sh"
shift
exec wine "$@"
