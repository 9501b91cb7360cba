#!/bin/sh
# check-redirection.sh PREFIX X64_BIN X86_BIN CATALOG: one provider path under
# %SystemRoot%\System32 serves both halves, as file system redirection makes
# it on Windows: the 64-bit sharelsp.dll goes in the prefix's system32, the
# 32-bit one in syswow64, and the 64-bit installer installs the one path in
# both halves (its 32-bit check looks in SysWOW64), verify loads each in a
# process of its bitness, and a 32-bit process shares a socket with a 64-bit
# one through them.
set -eu
here=$(cd "$(dirname "$0")/../../cmake" && pwd)
prefix=$1 x64=$2 x86=$3 catalog=$4
name=sharelsp-redirected.dll
cp "$x64/sharelsp.dll" "$prefix/drive_c/windows/system32/$name"
cp "$x86/sharelsp.dll" "$prefix/drive_c/windows/syswow64/$name"
export WSPHOST_CATALOG="$catalog"
rm -f "$catalog" "$catalog.32" "$catalog.lock"
run() { "$here/wine-run.sh" "$prefix" "$@"; }
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
run "$x64/sharelsp-install-host.exe" install --path "%SystemRoot%\\System32\\$name"
run "$x64/sharelsp-install-host.exe" verify --installer32 "$(winpath "$x86/sharelsp-install-host.exe")"
run "$x86/sharelsp-demo.exe" --installed --b-program "$(winpath "$x64/sharelsp-demo.exe")"
# Without the 32-bit copy the 64-bit installer refuses (exit 4).
run "$x64/sharelsp-install-host.exe" remove
rm "$prefix/drive_c/windows/syswow64/$name"
status=0
run "$x64/sharelsp-install-host.exe" install --path "%SystemRoot%\\System32\\$name" || status=$?
rm -f "$prefix/drive_c/windows/system32/$name"
[ "$status" = 4 ] || { echo "check-redirection: install without the 32-bit DLL exited $status, not 4" >&2; exit 1; }
echo "check-redirection: one System32 path served both halves"
