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
# The x86 build of this tree (build/windows-x86), as Windows paths: the 64-bit
# tests reach the 32-bit half through it (the 32-bit sharelsp.dll, installer
# and test programs), and a 32-bit catalog half a 64-bit process makes names
# its wspbase.dll (docs/host.md).
sharelsp_root=$(cd "$(dirname "$here")" && pwd)
export SHARELSP_X86_BIN="${SHARELSP_X86_BIN:-Z:$(printf '%s' "$sharelsp_root/build/windows-x86/bin" | tr / '\\')}"
export WSPHOST_BASE32="${WSPHOST_BASE32:-$SHARELSP_X86_BIN\\wspbase.dll}"
