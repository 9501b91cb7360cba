#!/usr/bin/env bash
# The layer kit as an author gets it: examples/firewall built on its own
# (find_package(ShareLSP)) against ShareLSP installed from each build, and
# against the release package's lib/x64 and lib/x86 (the package rules of
# cmake/SharelspPackage.cmake, installed into a folder). Each must make a
# firewall.dll of its bitness exporting WSPStartup, and firewall-install.cmd;
# a toolchain pointed at the other bitness's half must be refused.
# Usage: kit.sh SOURCE_DIR X64_BUILD_DIR X86_BUILD_DIR X86_INSTALL_DIR WORK_DIR
set -euo pipefail
src=$1 x64=$2 x86=$3 x86_install=$4 work=$5
rm -rf "$work"
mkdir -p "$work"

configure() { # NAME TOOLCHAIN PACKAGE_DIR
    cmake -S "$src/examples/firewall" -B "$work/$1" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$src/cmake/$2" \
        -DShareLSP_DIR="$3" >"$work/$1.log" 2>&1
}

build_against() { # NAME TOOLCHAIN PACKAGE_DIR MACHINE
    local out="$work/$1"
    { configure "$1" "$2" "$3" && cmake --build "$out" >>"$out.log" 2>&1; } ||
        { cat "$out.log"; echo "kit: $1 did not build" >&2; exit 1; }
    objdump -f -p "$out/firewall.dll" >"$out.dump" # whole: grep -q would cut the pipe
    grep -q "file format $4" "$out.dump" || { echo "kit: $1 made no $4 firewall.dll" >&2; exit 1; }
    grep -q 'WSPStartup' "$out.dump" || { echo "kit: $1's firewall.dll exports no WSPStartup" >&2; exit 1; }
    test -f "$out/firewall-install.cmd" || { echo "kit: $1 wrote no firewall-install.cmd" >&2; exit 1; }
    echo "kit: $1: firewall.dll ($4) built"
}

cmake --install "$x86" --prefix "$x86_install" >/dev/null
cmake --install "$x64" --prefix "$work/install-x64" >/dev/null
cmake --install "$x64" --component package --prefix "$work/package" >/dev/null

build_against install-x64 mingw-w64-x86_64.cmake "$work/install-x64/lib/cmake/ShareLSP" pei-x86-64
build_against install-x86 mingw-w64-i686.cmake "$x86_install/lib/cmake/ShareLSP" pei-i386
build_against package-x64 mingw-w64-x86_64.cmake "$work/package/lib/x64/cmake/ShareLSP" pei-x86-64
build_against package-x86 mingw-w64-i686.cmake "$work/package/lib/x86/cmake/ShareLSP" pei-i386

if configure wrong-half mingw-w64-x86_64.cmake "$work/package/lib/x86/cmake/ShareLSP"; then
    echo "kit: a 64-bit build took the package's x86 half" >&2
    exit 1
fi
grep -q 'not accepted' "$work/wrong-half.log" || { cat "$work/wrong-half.log"; exit 1; }
echo "kit: a 64-bit build is refused the x86 half"
