#!/bin/sh
# Writes the export lists of the stand-in DLLs from the Wine that is
# installed: every export of Wine's ws2_32.dll and mswsock.dll, by name and
# by the ordinal Wine gives it (programs and other DLLs import some by
# ordinal). A name wsphost implements (def/wsphost.def, its own lines) is
# the host's; every other name is forwarded to Wine's builtin at run time.
#   scripts/standin-exports.sh [WINE_PE_DIR]
# WINE_PE_DIR defaults to /usr/lib/x86_64-linux-gnu/wine/x86_64-windows.
# Wine 8.0's i386 DLLs export the same names under the same ordinals, so
# these lists serve both builds; the x86_64-only WSC forms of wsphost go to
# def/ws2_32_standin64.def. Run it again when Wine's export lists change;
# standin.program checks that the stand-in still matches the Wine it runs on.
set -eu
export LC_ALL=C
here=$(cd "$(dirname "$0")/.." && pwd)
pe=${1:-/usr/lib/x86_64-linux-gnu/wine/x86_64-windows}
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}

# "ORDINAL NAME" for every named export of a DLL (objdump prints the
# zero-based index into the address table; the ordinal base is 1).
exports() {
    "$objdump" -p "$1" | awk '
        /^Export Address Table -- Ordinal Base/ { base = $NF }
        /\[Ordinal\/Name Pointer\] Table/ { on = 1; next }
        on && /^$/ { on = 0 }
        on { gsub(/[\[\]]/, ""); print $1 + base, $2 }'
}

# The names wsphost defines itself: the .def lines with no '=' forwarder, in
# both bitnesses (wsphost.def) or in the 64-bit build only (wsphost64.def,
# which has no EXPORTS line: it is appended to wsphost.def).
host_names() {
    awk 'FILENAME ~ /wsphost64/ || /^EXPORTS/ { on = 1 }
         /^EXPORTS/ { next }
         on && !/^ *;/ && NF && !/=/ && $1 !~ /^wsphost_/ { print $1 }' "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exports "$pe/ws2_32.dll" | sort -k2 > "$tmp/wine"
host_names "$here/def/wsphost.def" "$here/def/wsphost64.def" | sort > "$tmp/host"
host_names "$here/def/wsphost64.def" | sort > "$tmp/host64"

# wsphost's names Wine lacks, numbered on from Wine's last ordinal in one
# sequence over both bitnesses (an export keeps its ordinal in either).
cut -d' ' -f2 "$tmp/wine" | sort > "$tmp/wine-names"
next=$(($(sort -n "$tmp/wine" | tail -1 | cut -d' ' -f1) + 1))
comm -13 "$tmp/wine-names" "$tmp/host" | while read -r name; do
    echo "    $name @$next"
    next=$((next + 1))
done > "$tmp/extra"

{
    echo "; ws2_32.dll, the stand-in (src/host/standin): every export of Wine 8.0's"
    echo "; ws2_32 under its name and ordinal. Written by scripts/standin-exports.sh"
    echo "; from Wine's builtin; do not edit by hand. Names without '=' are wsphost's"
    echo "; own (through the catalog); standin_fwd_* jump to Wine's builtin ws2_32."
    echo "LIBRARY ws2_32.dll"
    echo "EXPORTS"
    join -1 2 -2 1 -a 1 -o 1.1,1.2,2.1 -e - "$tmp/wine" "$tmp/host" | sort -n | while read -r ord name mine; do
        if [ "$mine" = - ]; then
            echo "    $name=standin_fwd_$name @$ord"
        else
            echo "    $name @$ord"
        fi
    done
    echo "    ; wsphost's, which Wine's ws2_32 does not export (Windows' does)"
    awk 'NR == FNR { only64[$1]; next } !($1 in only64)' "$tmp/host64" "$tmp/extra"
} > "$here/def/ws2_32_standin.def"

{
    echo "; Exports of the stand-in ws2_32.dll built for x86_64 only, appended to"
    echo "; ws2_32_standin.def: wsphost's WSC forms only a 64-bit ws2_32 has"
    echo "; (def/wsphost64.def). Written by scripts/standin-exports.sh."
    awk 'NR == FNR { only64[$1]; next } $1 in only64' "$tmp/host64" "$tmp/extra"
} > "$here/def/ws2_32_standin64.def"

{
    echo "/* The names of Wine's ws2_32 that the stand-in forwards to the builtin."
    echo " * Written by scripts/standin-exports.sh; do not edit by hand. */"
    join -1 2 -2 1 -v 1 "$tmp/wine" "$tmp/host" | awk '{ print "STANDIN_FORWARD(" $1 ")" }'
} > "$here/src/host/standin/ws2_32_forwards.h"

# mswsock: the stand-in implements the extension functions through the
# catalog; the rest is Wine's, forwarded.
printf '%s\n' AcceptEx GetAcceptExSockaddrs TransmitFile | sort > "$tmp/mswsock-own"
exports "$pe/mswsock.dll" | sort -k2 > "$tmp/mswsock"
{
    echo "; mswsock.dll, the stand-in (src/host/standin): Wine 8.0's mswsock exports"
    echo "; under their names and ordinals. Written by scripts/standin-exports.sh."
    echo "; AcceptEx, GetAcceptExSockaddrs and TransmitFile ask the socket's"
    echo "; provider (through the stand-in ws2_32); the rest jump to Wine's builtin."
    echo "LIBRARY mswsock.dll"
    echo "EXPORTS"
    join -1 2 -2 1 -a 1 -o 1.1,1.2,2.1 -e - "$tmp/mswsock" "$tmp/mswsock-own" | sort -n | while read -r ord name mine; do
        case "$mine:$name" in
        -:EnumProtocols[AW]) echo "    $name=ws2_32.WSA$name @$ord" ;; # Wine's forwarders, kept
        -:*) echo "    $name=standin_fwd_$name @$ord" ;;
        *) echo "    $name=standin_$name @$ord" ;;
        esac
    done
} > "$here/def/mswsock_standin.def"

{
    echo "/* The names of Wine's mswsock that the stand-in forwards to the builtin."
    echo " * Written by scripts/standin-exports.sh; do not edit by hand. */"
    join -1 2 -2 1 -v 1 "$tmp/mswsock" "$tmp/mswsock-own" | awk '$1 !~ /^EnumProtocols[AW]$/ { print "STANDIN_FORWARD(" $1 ")" }'
} > "$here/src/host/standin/mswsock_forwards.h"
