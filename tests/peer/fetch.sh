#!/usr/bin/env bash
# fetch.sh OUT: Wine's own ws2_32 conformance tests, from Debian's source
# package of the Wine that is installed (never vendored), made ready for the
# peer suite:
#   OUT/VERSION                       the Wine version they came from
#   OUT/include/wine/{test,debug}.h   Wine's test framework
#   OUT/{sock,protocol}.c             the tests, each START_TEST body gated so
#                                     that one test function can run alone
#   OUT/{sock,protocol}.tests         the test functions, in order
# Does nothing when OUT already holds the installed version's files.
set -euo pipefail

out=$1
version=$(dpkg-query -W -f='${Version}' wine64 2>/dev/null || true)
[ -n "$version" ] || { echo "peer: wine64 is not installed" >&2; exit 1; }
if [ -f "$out/VERSION" ] && [ "$(cat "$out/VERSION")" = "$version" ] && [ -f "$out/sock.tests" ]; then
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "peer: fetching Debian's wine $version source package"
(cd "$work" && apt-get source --download-only -qq "wine=$version" >/dev/null 2>&1) || {
    echo "peer: 'apt-get source wine=$version' failed (is there a deb-src entry? scripts/setup.sh adds one)" >&2
    exit 1
}
orig=$(find "$work" -maxdepth 1 -name 'wine_*.orig.tar.*' | head -n 1)
[ -n "$orig" ] || { echo "peer: no upstream tarball in the source package" >&2; exit 1; }
wanted=(dlls/ws2_32/tests/sock.c dlls/ws2_32/tests/protocol.c include/wine/test.h include/wine/debug.h)
mkdir -p "$work/src"
tar -xf "$orig" -C "$work/src" --strip-components=1 --wildcards $(printf '*/%s ' "${wanted[@]}")
# Debian's own patches, where one touches these files.
debian=$(find "$work" -maxdepth 1 -name 'wine_*.debian.tar.*' | head -n 1)
if [ -n "$debian" ]; then
    tar -xf "$debian" -C "$work"
    if [ -f "$work/debian/patches/series" ]; then
        while read -r patch; do
            [ -n "$patch" ] && [ "${patch#\#}" = "$patch" ] || continue
            if grep -qE "^\+\+\+ [^ ]*/($(IFS='|'; echo "${wanted[*]}"))" "$work/debian/patches/$patch"; then
                echo "peer: applying Debian's $patch"
                patch -s -d "$work/src" -p1 <"$work/debian/patches/$patch"
            fi
        done <"$work/debian/patches/series"
    fi
fi

rm -rf "$out"
mkdir -p "$out/include/wine"
cp "$work/src/include/wine/test.h" "$work/src/include/wine/debug.h" "$out/include/wine/"
for name in sock protocol; do
    # Inside START_TEST, each call of a test function on a line of its own
    # becomes "if (peer_run("name")) name(...);": the driver runs one function
    # per process, so a crash hides nothing else. Set-up lines stay as they are.
    awk -v list="$out/$name.tests" '
        /^START_TEST/ { body = 1 }
        body && /^}/ { body = 0 }
        body && /^[ \t]+(test_[A-Za-z0-9_]+|do_test)\(/ {
            match($0, /^[ \t]+/)
            indent = substr($0, 1, RLENGTH)
            call = substr($0, RLENGTH + 1)
            fn = call; sub(/\(.*/, "", fn)
            if (!(fn in seen)) { seen[fn] = 1; print fn > list }
            print indent "if (peer_run(\"" fn "\")) " call
            next
        }
        { print }
    ' "$work/src/dlls/ws2_32/tests/$name.c" >"$out/$name.c"
done
echo "$version" >"$out/VERSION"
echo "peer: Wine $version's ws2_32 tests in $out ($(wc -l <"$out/sock.tests") + $(wc -l <"$out/protocol.tests") test functions)"
