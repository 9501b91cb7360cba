#!/bin/sh
# wine-server.sh start|stop PREFIX
# start: a persistent wineserver and a booted prefix. All of their stdio goes to
# /dev/null, or Wine's background processes would keep CTest's pipes open and
# CTest would wait for them forever.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
action=$1
WINEPREFIX=$2
. "$here/wine-env.sh"
case "$action" in
start)
    mkdir -p "$WINEPREFIX"
    wineserver -p </dev/null >/dev/null 2>&1
    wine wineboot -i </dev/null >/dev/null 2>&1
    echo "wine: prefix $WINEPREFIX ready"
    ;;
stop)
    wineserver -k </dev/null >/dev/null 2>&1 || true
    wineserver -w </dev/null >/dev/null 2>&1 || true
    echo "wine: server stopped"
    ;;
*)
    echo "usage: wine-server.sh start|stop PREFIX" >&2
    exit 2
    ;;
esac
