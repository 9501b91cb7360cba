#!/usr/bin/env bash
# The layer kit as an author gets it: examples/firewall built on its own
# (find_package(ShareLSP)) against ShareLSP installed from each build, then
# against the same files laid out as the release package has them
# (lib/x64, lib/x86 beside one include/). Each must make firewall.dll of
# its bitness and its firewall-install.cmd.
# Usage: kit.sh SOURCE_DIR X64_BUILD_DIR X86_BUILD_DIR WORK_DIR
set -euo pipefail
src=$1 x64=$2 x86=$3 work=$4
rm -rf "$work"
mkdir -p "$work/package/include"

build_against() { # NAME TOOLCHAIN PACKAGE_DIR MACHINE
    local out="$work/$1"
    cmake -S "$src/examples/firewall" -B "$out" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$src/cmake/$2" \
        -DShareLSP_DIR="$3" >"$out.log" 2>&1 && cmake --build "$out" >>"$out.log" 2>&1 ||
        { cat "$out.log"; echo "kit: $1 did not build" >&2; exit 1; }
    objdump -f "$out/firewall.dll" | grep -q "file format $4" ||
        { echo "kit: $1 made no $4 firewall.dll" >&2; exit 1; }
    grep -q 'WSPStartup' <(objdump -p "$out/firewall.dll") ||
        { echo "kit: $1's firewall.dll exports no WSPStartup" >&2; exit 1; }
    test -f "$out/firewall-install.cmd" || { echo "kit: $1 wrote no firewall-install.cmd" >&2; exit 1; }
    echo "kit: $1: firewall.dll ($4) built"
}

for half in x64:"$x64":mingw-w64-x86_64.cmake:pei-x86-64 x86:"$x86":mingw-w64-i686.cmake:pei-i386; do
    IFS=: read -r name build toolchain machine <<<"$half"
    cmake --install "$build" --prefix "$work/install-$name" >/dev/null
    build_against "install-$name-firewall" "$toolchain" "$work/install-$name/lib/cmake/ShareLSP" "$machine"
    # The release package's layout (cmake/SharelspPackage.cmake).
    mkdir -p "$work/package/lib"
    cp -r "$work/install-$name/lib" "$work/package/lib/$name"
    cp -r "$work/install-$name/include/." "$work/package/include/"
    build_against "package-$name-firewall" "$toolchain" "$work/package/lib/$name/cmake/ShareLSP" "$machine"
done
