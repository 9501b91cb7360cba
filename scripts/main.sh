#!/usr/bin/env bash
# The main job: builds ShareLSP for Windows, x86_64 and x86, installs them
# into build/windows/install and build/windows-x86/install, says where each
# Windows-ready artifact is and what it is for, makes the release package
# (build/windows/package/ShareLSP-VERSION-windows.zip), and runs the
# demonstration under Wine: two processes sharing one TCP connection through
# ShareLSP, 64-bit, then 32-bit and 64-bit together; then an unmodified
# Winsock program run through ShareLSP by wsphost-run. Installs what is missing
# first. Exits non-zero if the build fails or any step of the demonstration
# does not behave.
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

# The release package: both bitnesses in one ZIP (cmake/SharelspPackage.cmake).
log="$root/build/package.log"
if ! cmake --build --preset windows --target package >"$log" 2>&1; then
    cat "$log"
    echo "main: the release package FAILED (log above, also in $log)" >&2
    exit 1
fi
package=$(sed -nE 's/^CPack: - package: (.*\.zip) generated\.$/\1/p' "$log")

describe() {
    case "$1" in
    bin/sharelsp.dll) echo "the layered service provider (install it with sharelsp-install.exe)" ;;
    bin/sharelsp-install.exe) echo "installs, removes, lists and verifies ShareLSP in the Winsock catalog" ;;
    bin/wsphost.dll) echo "plays ws2_32's part so providers load under Wine (docs/host.md)" ;;
    bin/wspbase.dll) echo "a base provider over the platform's own Winsock (for tests)" ;;
    bin/sharelsp-demo.exe) echo "the demonstration (runs under Wine through wsphost)" ;;
    bin/sharelsp-probe.exe) echo "an ordinary Winsock program that shows whether ShareLSP is in its socket's chain" ;;
    bin/wsphost-run) echo "runs any Windows program, unchanged, through the catalog under Wine (docs/host.md)" ;;
    bin/wsphost-launch.exe) echo "wsphost-run's launcher: puts bin/standin first on the program's DLL path" ;;
    bin/standin/ws2_32.dll) echo "wsphost as a drop-in ws2_32 for Wine (used by wsphost-run)" ;;
    bin/standin/mswsock.dll) echo "mswsock whose AcceptEx/TransmitFile go through the catalog (used by wsphost-run)" ;;
    bin/firewall.dll) echo "example layer on ShareLSP: refuses connections its rule file denies (docs/writing-a-layer.md)" ;;
    bin/monitor.dll) echo "example layer on ShareLSP: one log line per socket at its last close anywhere" ;;
    bin/*-install.cmd) echo "the sharelsp-install command line for that layer's GUID and name" ;;
    bin/firewall.rules.example) echo "an example rule file for firewall.dll" ;;
    lib/libsharelsp_lsp.a) echo "ShareLSP's provider code, for building a layer of your own (docs/writing-a-layer.md)" ;;
    lib/libsharelsp_core.a) echo "the core libsharelsp_lsp.a is built on" ;;
    lib/cmake/ShareLSP/*) echo "CMake package for layers: find_package(ShareLSP), sharelsp_add_layer" ;;
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
echo "Release package: $package ($(stat -c %s "$package") bytes): bin/x64, bin/x86, lib/x64, lib/x86,"
echo "  include/, docs/, LICENSE. docs/install.md says how to install it on 64-bit and 32-bit Windows."
echo

# The demonstration, in the build's Wine prefix, with a fresh catalog: two
# 64-bit processes; then across bitness (docs/install.md), a 64-bit A with a
# 32-bit B (A installs ShareLSP in both halves of the catalog), and a 32-bit
# A with a 64-bit B over the same catalog.
prefix="$root/build/windows/wineprefix"
x64="$root/build/windows/install/bin"
x86="$root/build/windows-x86/install/bin"
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
catalog="$root/build/windows/demo.catalog"
mixed="$root/build/windows/demo-mixed.catalog"
rm -f "$catalog" "$catalog.32" "$catalog.lock" "$mixed" "$mixed.32" "$mixed.lock"
"$root/cmake/wine-server.sh" start "$prefix" >/dev/null
status=0
WSPHOST_CATALOG="$catalog" "$root/cmake/wine-run.sh" "$prefix" "$x64/sharelsp-demo.exe" || status=$?
echo
WSPHOST_CATALOG="$mixed" "$root/cmake/wine-run.sh" "$prefix" "$x64/sharelsp-demo.exe" \
    --b-program "$(winpath "$x86/sharelsp-demo.exe")" --sharelsp32 "$(winpath "$x86/sharelsp.dll")" || status=$?
echo
WSPHOST_CATALOG="$mixed" "$root/cmake/wine-run.sh" "$prefix" "$x86/sharelsp-demo.exe" \
    --installed --b-program "$(winpath "$x64/sharelsp-demo.exe")" || status=$?
echo

# An unmodified program through ShareLSP: sharelsp-probe.exe is linked to
# ws2_32 alone. Wine runs it as it is on its own ws2_32; wsphost-run runs the
# same file with the stand-in ws2_32 over a catalog where the released
# installer, run the same way, installed ShareLSP (docs/host.md).
standin="$root/build/windows/demo-standin.catalog"
rm -f "$standin" "$standin.32" "$standin.lock"
through() { WSPHOST_CATALOG="$standin" "$root/cmake/wine-run-standin.sh" "$prefix" "$x64/wsphost-run" "$@"; }
echo "An unmodified Winsock program (sharelsp-probe.exe, linked to ws2_32 alone), run by Wine as it is:"
probe=0
"$root/cmake/wine-run.sh" "$prefix" "$x64/sharelsp-probe.exe" || probe=$?
[ "$probe" -eq 2 ] || { echo "main: the probe should reach no provider under Wine alone (exit $probe)" >&2; status=1; }
echo
echo "wsphost-run --catalog $standin -- sharelsp-install.exe install:"
through "$x64/sharelsp-install.exe" install --path32 "$(winpath "$x86/sharelsp.dll")" || status=$?
echo
echo "wsphost-run --catalog $standin -- sharelsp-probe.exe (the same file):"
through "$x64/sharelsp-probe.exe" || status=$?
echo
echo "The 32-bit build's wsphost-run, its 32-bit probe, the catalog's 32-bit half:"
WSPHOST_CATALOG="$standin" "$root/cmake/wine-run-standin.sh" "$prefix" "$x86/wsphost-run" "$x86/sharelsp-probe.exe" ||
    status=$?
"$root/cmake/wine-server.sh" stop "$prefix" >/dev/null
exit "$status"
