#!/usr/bin/env bash
# The main job: builds ShareLSP for Windows, x86_64 and x86, installs them
# into build/windows/install and build/windows-x86/install, says where each
# Windows-ready artifact is and what it is for, and runs the demonstration under Wine: two processes sharing one TCP
# connection through ShareLSP. Installs what is missing first. Exits non-zero
# if the build fails or any step of the demonstration does not behave.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"

for preset in windows windows-x86; do
    log="$root/build/$preset.build.log"
    mkdir -p "$root/build"
    if ! { cmake --preset "$preset" && cmake --build --preset "$preset" && cmake --install "build/$preset"; } >"$log" 2>&1; then
        cat "$log"
        echo "main: the Windows build ($preset) FAILED (log above, also in $log)" >&2
        exit 1
    fi
done

describe() {
    case "$1" in
    bin/sharelsp.dll) echo "the layered service provider (install it with sharelsp-install.exe)" ;;
    bin/sharelsp-install.exe) echo "installs, removes, lists and verifies ShareLSP in the Winsock catalog" ;;
    bin/wsphost.dll) echo "plays ws2_32's part so providers load under Wine (docs/host.md)" ;;
    bin/wspbase.dll) echo "a base provider over the platform's own Winsock (for tests)" ;;
    bin/sharelsp-demo.exe) echo "the demonstration (runs under Wine through wsphost)" ;;
    lib/*) echo "import library" ;;
    include/*) echo "public header" ;;
    *) echo "" ;;
    esac
}

version=${SHARELSP_VERSION:-$(sed -nE 's/.*SHARELSP_VERSION_STRING "([^"]+)".*/\1/p' include/sharelsp/version.h)}
for build in windows:x86_64 windows-x86:x86; do
    install="$root/build/${build%%:*}/install"
    echo "ShareLSP $version for Windows ${build#*:}, built in $install:"
    (cd "$install" && find . -type f | sed 's|^\./||' | sort) | while read -r f; do
        printf '  %-36s %s\n' "$f" "$(describe "$f")"
    done
done
echo "Copy bin/ of both to a Windows machine (docs/install.md: both halves of a 64-bit Windows)."
echo

# The demonstration, in the build's Wine prefix, with a fresh catalog.
prefix="$root/build/windows/wineprefix"
catalog="$root/build/windows/demo.catalog"
rm -f "$catalog" "$catalog.32" "$catalog.lock"
"$root/cmake/wine-server.sh" start "$prefix" >/dev/null
status=0
WSPHOST_CATALOG="$catalog" "$root/cmake/wine-run.sh" "$prefix" "$root/build/windows/install/bin/sharelsp-demo.exe" || status=$?
"$root/cmake/wine-server.sh" stop "$prefix" >/dev/null
exit "$status"
