#!/usr/bin/env bash
# The main job: builds ShareLSP for Windows (x86_64), installs it into
# build/windows/install, says where each Windows-ready artifact is and what it
# is for, and runs the demonstration under Wine: two processes sharing one TCP
# connection through ShareLSP. Installs what is missing first. Exits non-zero
# if the build fails or any step of the demonstration does not behave.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"

log="$root/build/windows.build.log"
mkdir -p "$root/build"
if ! { cmake --preset windows && cmake --build --preset windows && cmake --install build/windows; } >"$log" 2>&1; then
    cat "$log"
    echo "main: the Windows build FAILED (log above, also in $log)" >&2
    exit 1
fi

install="$root/build/windows/install"
describe() {
    case "$1" in
    bin/sharelsp.dll) echo "the layered service provider (install it with sharelsp-install.exe)" ;;
    bin/sharelsp-install.exe) echo "installs, removes, lists and verifies ShareLSP in the Winsock catalog" ;;
    bin/wsphost.dll) echo "plays ws2_32's part so providers load under Wine (docs/host.md)" ;;
    bin/wspbase.dll) echo "a base provider over the platform's own Winsock (for tests)" ;;
    bin/sharelsp-demo.exe) echo "the demonstration (runs under Wine through wsphost)" ;;
    bin/wsphost-run) echo "runs any Windows program, unchanged, through the catalog under Wine (docs/host.md)" ;;
    bin/wsphost-launch.exe) echo "wsphost-run's launcher: puts bin/standin first on the program's DLL path" ;;
    bin/standin/ws2_32.dll) echo "wsphost as a drop-in ws2_32 for Wine (used by wsphost-run)" ;;
    bin/standin/mswsock.dll) echo "mswsock whose AcceptEx/TransmitFile go through the catalog (used by wsphost-run)" ;;
    lib/*) echo "import library" ;;
    include/*) echo "public header" ;;
    *) echo "" ;;
    esac
}

echo "ShareLSP ${SHARELSP_VERSION:-$(sed -nE 's/.*SHARELSP_VERSION_STRING "([^"]+)".*/\1/p' include/sharelsp/version.h)} for Windows x86_64, built in $install:"
(cd "$install" && find . -type f | sed 's|^\./||' | sort) | while read -r f; do
    printf '  %-36s %s\n' "$f" "$(describe "$f")"
done
echo "Copy bin/ to a Windows machine; docs/building.md says more."
echo

# The demonstration, in the build's Wine prefix, with a fresh catalog.
prefix="$root/build/windows/wineprefix"
catalog="$root/build/windows/demo.catalog"
rm -f "$catalog" "$catalog.lock"
"$root/cmake/wine-server.sh" start "$prefix" >/dev/null
status=0
WSPHOST_CATALOG="$catalog" "$root/cmake/wine-run.sh" "$prefix" "$install/bin/sharelsp-demo.exe" || status=$?
"$root/cmake/wine-server.sh" stop "$prefix" >/dev/null
exit "$status"
