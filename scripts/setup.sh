#!/usr/bin/env bash
# Installs what ShareLSP's build needs (Debian packages only) and builds cmocka
# for Windows from Debian's own cmocka source package into build/deps.
# Idempotent: a second run finds everything in place and does nothing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="$root/build/deps"

# clang and libclang-rt-dev (libFuzzer and clang's sanitizer runtimes): the
# native-fuzz preset.
packages=(gcc gcc-mingw-w64-x86-64-win32 wine64 wine libcmocka-dev cmake ninja-build dpkg-dev xz-utils patch
          clang libclang-rt-dev)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

say() { printf 'setup: %s\n' "$*"; }

missing_packages() {
    local p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            printf '%s\n' "$p"
    done
}

apt_updated=no
apt_update_once() {
    if [ "$apt_updated" = no ]; then
        # An index that fails to download (the i386 index of the security
        # suite, "Mirror sync in progress?", seen here) fails the update but
        # leaves the others usable: what needs a missing one fails below, by
        # name.
        as_root apt-get update -qq || say "apt-get update could not fetch every index; going on with those it has" >&2
        apt_updated=yes
    fi
}

install_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    [ "${#missing[@]}" -eq 0 ] && return
    say "installing ${missing[*]}"
    apt_update_once
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

has_deb_src() {
    grep -qsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}

# apt-get source needs a deb-src entry. Rather than naming a mirror, mirror the
# machine's own Debian entries: every enabled "deb" entry becomes a "deb-src" one.
add_deb_src() {
    has_deb_src && return
    local out=/etc/apt/sources.list.d/sharelsp-deb-src.sources
    local tmp
    tmp=$(mktemp)
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        grep -q 'debian-archive-keyring' "$f" || continue
        sed -E 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' "$f" >>"$tmp"
        printf '\n' >>"$tmp"
    done
    if [ -f /etc/apt/sources.list ]; then
        grep -E '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list |
            sed -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+(.*)$/Types: deb-src\nURIs: \2\nSuites: \3/' |
            awk '/^Suites:/ { n = split($0, w, " "); printf "Suites: %s\nComponents:", w[2]; for (i = 3; i <= n; i++) printf " %s", w[i]; printf "\n\n"; next } { print }' >>"$tmp" || true
    fi
    if ! grep -q 'deb-src' "$tmp"; then
        rm -f "$tmp"
        echo "setup: no Debian apt source found to derive a deb-src entry from" >&2
        exit 1
    fi
    say "adding $out (deb-src twins of this machine's Debian sources)"
    as_root install -m 0644 "$tmp" "$out"
    rm -f "$tmp"
    apt_updated=no
}

# Debian's cmocka source tree, fetched once for both Windows builds of it.
cmocka_source_tree() {
    local src="$deps/cmocka-source" tree
    tree=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'cmocka-*' 2>/dev/null | head -n 1)
    if [ -z "$tree" ]; then
        add_deb_src
        apt_update_once
        rm -rf "$src"
        mkdir -p "$src"
        say "fetching Debian's cmocka source package" >&2
        (cd "$src" && apt-get source -qq cmocka >/dev/null 2>&1) || {
            echo "setup: 'apt-get source cmocka' failed" >&2
            exit 1
        }
        tree=$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'cmocka-*' | head -n 1)
        [ -n "$tree" ] || { echo "setup: cmocka source tree not found in $src" >&2; exit 1; }
    fi
    printf '%s\n' "$tree"
}

# build_cmocka_for_windows TRIPLE TOOLCHAIN OUT: the static library only, so
# tests need no cmocka DLL on Wine's path.
build_cmocka_for_windows() {
    local triple=$1 toolchain=$2 out=$3
    if [ -f "$out/lib/libcmocka.a" ] && [ -f "$out/include/cmocka.h" ]; then
        return
    fi
    local tree
    tree=$(cmocka_source_tree)
    local build="$deps/cmocka-source/build-$triple"
    rm -rf "$build"
    say "building cmocka for $triple into $out"
    cmake -S "$tree" -B "$build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$root/cmake/$toolchain" \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$out" \
        -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF >/dev/null
    cmake --build "$build" >/dev/null
    cmake --install "$build" >/dev/null
    if [ ! -f "$out/lib/libcmocka.a" ]; then
        local static
        static=$(find "$out/lib" -name 'libcmocka*static*.a' | head -n 1)
        [ -n "$static" ] || { echo "setup: no static cmocka library was built" >&2; exit 1; }
        cp "$static" "$out/lib/libcmocka.a"
    fi
}

# Wine's own ws2_32 tests for the peer suite, from Debian's Wine source package.
fetch_wine_tests() {
    local out="$deps/wine-peer"
    local version
    version=$(dpkg-query -W -f='${Version}' wine64)
    [ -f "$out/VERSION" ] && [ "$(cat "$out/VERSION")" = "$version" ] && return
    add_deb_src
    apt_update_once
    "$root/tests/peer/fetch.sh" "$out"
}

# 32-bit Wine (Debian's wine32 from the i386 architecture) and the i686 mingw
# compiler, for the windows-x86 preset, beside wine64 (docs/building.md).
x86_packages=(wine32:i386 gcc-mingw-w64-i686-win32)

x86_installed() {
    local p
    for p in wine64 libwine:amd64 "${x86_packages[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || return 1
    done
}

# An apt-get install run as a simulation first: it must succeed and remove
# nothing (a plain "apt-get install wine32:i386" can succeed by removing wine64
# and libwine:amd64 through libgstreamer-plugins-base1.0-0).
apt_install_safely() {
    local sim
    sim=$(apt-get install -s "$@" 2>&1) || return 1
    if grep -q '^Remv ' <<<"$sim"; then
        say "apt would remove packages for this install; not done:"
        grep '^Remv ' <<<"$sim" | sed 's/^/setup:   /' >&2
        return 1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# One win64 prefix of its own runs a 64-bit and a 32-bit program: both Wines work.
check_both_wines() {
    local prefix
    prefix=$(mktemp -d)
    local ok=yes
    (
        export WINEPREFIX="$prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree=d;mshtml=d"
        unset DISPLAY WAYLAND_DISPLAY
        wine wineboot -i </dev/null >/dev/null 2>&1
        wine 'C:\windows\system32\cmd.exe' /c exit 7 </dev/null >/dev/null 2>&1; a=$?
        wine 'C:\windows\syswow64\cmd.exe' /c exit 9 </dev/null >/dev/null 2>&1; b=$?
        wineserver -k </dev/null >/dev/null 2>&1 || true
        wineserver -w </dev/null >/dev/null 2>&1 || true
        [ "$a" = 7 ] && [ "$b" = 9 ]
    ) || ok=no
    rm -rf "$prefix"
    [ "$ok" = yes ] || { echo "setup: a 64-bit or a 32-bit Windows program did not run under Wine" >&2; exit 1; }
    say "wine runs 64-bit and 32-bit programs in one win64 prefix"
}

install_x86() {
    x86_installed && return
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        say "adding the i386 architecture (dpkg --add-architecture i386)"
        as_root dpkg --add-architecture i386
        apt_updated=no
    fi
    if [ "$apt_updated" = no ]; then
        # The i386 index of the security suite may fail to download ("Mirror
        # sync in progress?"); the install below copes without it.
        as_root apt-get update -qq 2>/dev/null || say "apt-get update could not fetch every index; going on with those it has"
        apt_updated=yes
    fi
    say "installing ${x86_packages[*]} beside wine64"
    if ! apt_install_safely --no-install-recommends "${x86_packages[@]}"; then
        # Multi-Arch: same packages must have one version on amd64 and i386.
        # Without the security suite's i386 index the i386 ones are the point
        # release's: prefer the point release for this install (a preferences
        # file of our own, named on the command line: /etc/apt is not
        # touched) and take libgstreamer-plugins-base1.0-0 on both at the i386
        # version, which apt would otherwise resolve by removing wine64.
        local prefs
        prefs=$(mktemp)
        [ -f /etc/apt/preferences ] && cat /etc/apt/preferences >"$prefs" && printf '\n' >>"$prefs"
        printf 'Package: *\nPin: release l=Debian-Security\nPin-Priority: 100\n' >>"$prefs"
        local pin=(-o "Dir::Etc::Preferences=$prefs")
        local gst=libgstreamer-plugins-base1.0-0 version
        version=$(apt-cache "${pin[@]}" policy "$gst:i386" | sed -n 's/^ *Candidate: //p')
        say "again with the security suite pinned to 100 and $gst at $version on amd64 and i386"
        local status=0
        apt_install_safely "${pin[@]}" --no-install-recommends --allow-downgrades \
            wine64 libwine:amd64 "${x86_packages[@]}" "$gst:amd64=$version" "$gst:i386=$version" || status=$?
        rm -f "$prefs"
        [ "$status" -eq 0 ] || { echo "setup: could not install ${x86_packages[*]} beside wine64" >&2; exit 1; }
    fi
    x86_installed || { echo "setup: wine64, libwine:amd64 and ${x86_packages[*]} are not all installed" >&2; exit 1; }
    dpkg -l wine64 wine32:i386 | sed -n 's/^ii  */setup: installed /p'
    check_both_wines
}

install_packages
install_x86
build_cmocka_for_windows x86_64-w64-mingw32 mingw-w64-x86_64.cmake "$deps/cmocka-win64"
build_cmocka_for_windows i686-w64-mingw32 mingw-w64-i686.cmake "$deps/cmocka-win32"
fetch_wine_tests
say "ready"
