# Sourced by wine-run.sh and wine-server.sh: the one environment every Wine
# process of the test suite runs in. The caller sets WINEPREFIX (absolute).
case "${WINEPREFIX:-}" in
/*) export WINEPREFIX ;;
*) echo "wine-env.sh: WINEPREFIX must be an absolute path, got '${WINEPREFIX:-}'" >&2; exit 2 ;;
esac
export WINEARCH=win64
# Quiet, and headless: message-only windows need no X server.
export WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY
# winedbg.exe=d: with the default debugger a crashing program can exit 0.
# mscoree/mshtml: no Mono or Gecko installer prompts when the prefix is made.
export WINEDLLOVERRIDES="winedbg.exe=d;mscoree=d;mshtml=d${SHARELSP_EXTRA_DLLOVERRIDES:+;$SHARELSP_EXTRA_DLLOVERRIDES}"
