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
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        # A new prefix goes on working after wineboot returns (first-boot
        # set-up in background processes), and tests that create windows
        # crawl meanwhile. Let it finish: wait for every Wine process of the
        # prefix to end and the (non-persistent) server to exit.
        wine wineboot -i </dev/null >/dev/null 2>&1
        # The null graphics driver (below) before the desktop of the
        # persistent server starts: explorer.exe reads it once, when it
        # starts, and one started without it (seen under load, racing the
        # reg add below) refuses top-level windows for the server's life.
        wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1
        wineserver -w </dev/null >/dev/null 2>&1
    fi
    # A server this prefix still has (one being stopped, or started by hand)
    # serves as well: only wineboot has to work.
    wineserver -p </dev/null >/dev/null 2>&1 || true
    wine wineboot -i </dev/null >/dev/null 2>&1
    # The null graphics driver: programs that create top-level windows work
    # without a display, as they would on Windows (message-only windows
    # work without it, but real programs and Wine's own tests make others).
    wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1
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
