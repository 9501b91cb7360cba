#!/usr/bin/env bash
# run-peer.sh: runs Wine's ws2_32 tests three ways and compares them by
# failing check location (file:line), not by totals. One build of each suite,
# peer_*.exe, linked to ws2_32 as Wine builds it, runs unchanged every time:
#   ref   on Wine's own ws2_32 (the reference)
#   host  through wsphost-run: the stand-in ws2_32 over wspbase (a fresh
#         catalog, made with the base entries on the first run)
#   lsp   through wsphost-run with ShareLSP installed in its catalog
# Each test function runs in a process of its own (PEER_ONLY), so a crash
# hides nothing else. A location that fails in host but not in ref, or in
# lsp but not in host, is a difference; so is a test function that crashes
# (or hangs) in one and not the one before. A difference fails the run
# unless known.txt lists it with its reason. A difference seen once is run
# twice more: only one that repeats every time counts (a few checks are
# timing-dependent).
#
# run-peer.sh --prefix WINEPREFIX --bin DIR --sources DIR --known FILE --work DIR
#             [--suite sock|protocol]... [--function NAME]...
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmake_dir=$(cd "$here/../../cmake" && pwd)
runner=$cmake_dir/wine-run.sh
standin_runner=$cmake_dir/wine-run-standin.sh
prefix= bin= sources= known= work=
suites=() functions=()
while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --sources) sources=$2; shift 2 ;;
    --known) known=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --suite) suites+=("$2"); shift 2 ;;
    --function) functions+=("$2"); shift 2 ;;
    *) echo "run-peer.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ ${#suites[@]} -gt 0 ] || suites=(sock protocol)
builds=(ref host lsp)
say() { printf 'peer: %s\n' "$*"; }

rm -rf "$work"
mkdir -p "$work"

# The catalogs: the stand-in makes a missing one with the base entries
# (host's, on its first run); the lsp one gets ShareLSP installed over them.
prepare_catalogs() {
    mkdir -p "$work/host" "$work/lsp"
    WSPHOST_CATALOG="$work/lsp/catalog" "$runner" "$prefix" "$bin/sharelsp_install_for_tests.exe" \
        >"$work/lsp/install.log" 2>&1 || { cat "$work/lsp/install.log"; say "ShareLSP could not be installed"; exit 1; }
}

# run_one SUITE BUILD FUNCTION ATTEMPT: one test function in one process.
run_one() {
    local suite=$1 build=$2 fn=$3 attempt=$4
    local exe="$bin/peer_${suite}.exe" dir="$work/$build"
    mkdir -p "$dir/logs"
    local log="$dir/logs/$suite.$fn.$attempt.log"
    local run=("$runner" "$prefix")
    [ "$build" = ref ] || run=("$standin_runner" "$prefix" "$bin/wsphost-run")
    (
        cd "$dir" || exit 1
        if [ "$build" != ref ]; then export WSPHOST_CATALOG="$dir/catalog"; fi
        PEER_ONLY=$fn timeout -k 10 300 "${run[@]}" "$exe" "$suite" </dev/null >"$log" 2>&1
        echo $? >"$log.rc"
    )
    # 126/127: the runner itself could not start; that is no test result.
    case "$(cat "$log.rc")" in
    126 | 127) cat "$log" >&2; say "could not run $exe"; exit 2 ;;
    esac
}

# Failing locations of one log, one per line; "crash" if the test did not
# reach its summary line (a crash, a hang, or an exit in the middle).
failures_of() {
    local log=$1
    {
        grep -oE '^[a-z_]+\.c:[0-9]+: Test (failed|succeeded inside todo block)' "$log" | cut -d: -f1,2
        grep -qE '[0-9]+ tests executed \(' "$log" || echo crash
    } | sort -u
}

list_functions() {
    local suite=$1
    if [ ${#functions[@]} -gt 0 ]; then
        printf '%s\n' "${functions[@]}" | grep -Fxf "$sources/$suite.tests"
    else
        cat "$sources/$suite.tests"
    fi
}

# Tests that create windows need no display with the null driver (as the
# project's Wine fixture sets it); a prefix made by hand may lack it. The
# driver is chosen once per Wine server: one started before the value was
# set (the first command creates the prefix) is stopped, so the tests start
# a new one that reads it.
if ! "$runner" "$prefix" reg query 'HKCU\Software\Wine\Drivers' /v Graphics </dev/null 2>/dev/null | grep -qi null; then
    "$runner" "$prefix" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1
    WINEPREFIX=$prefix wineserver -k 2>/dev/null
    WINEPREFIX=$prefix wineserver -w 2>/dev/null
fi
prepare_catalogs
version=$(cat "$sources/VERSION")
total=0
for suite in "${suites[@]}"; do total=$((total + $(list_functions "$suite" | wc -l))); done
say "Wine $version's ws2_32 tests (${suites[*]}): $total test functions, each run three ways"

# Every function, every build, once.
for suite in "${suites[@]}"; do
    while read -r fn; do
        for build in "${builds[@]}"; do run_one "$suite" "$build" "$fn" 1; done
    done < <(list_functions "$suite")
done

# known.txt: "WHERE WHAT REASON…": WHERE is host (differs from ref), lsp
# (differs from host) or flaky (ignored everywhere); WHAT is file:line, or
# crash:FUNCTION.
known_has() { # known_has WHERE WHAT
    grep -qE "^($1|flaky)[[:space:]]+$2([[:space:]]|\$)" "$known" 2>/dev/null
}

# diff_function SUITE FUNCTION OLDER NEWER ATTEMPTS: what fails in NEWER and
# not in OLDER in every attempt given (locations, or crash:FUNCTION).
diff_function() {
    local suite=$1 fn=$2 older=$3 newer=$4 attempts=$5
    local a newer_all older_any
    newer_all=$(failures_of "$work/$newer/logs/$suite.$fn.1.log")
    older_any=$(failures_of "$work/$older/logs/$suite.$fn.1.log")
    for a in $(seq 2 "$attempts"); do
        newer_all=$(comm -12 <(echo "$newer_all") <(failures_of "$work/$newer/logs/$suite.$fn.$a.log" | sort -u))
        older_any=$(printf '%s\n%s\n' "$older_any" "$(failures_of "$work/$older/logs/$suite.$fn.$a.log")" | sort -u)
    done
    comm -23 <(echo "$newer_all" | sed '/^$/d' | sort -u) <(echo "$older_any" | sed '/^$/d' | sort -u) |
        sed "s/^crash\$/crash:$fn/"
}

unexplained=0
: >"$work/differences.txt"
for suite in "${suites[@]}"; do
    while read -r fn; do
        for pair in "ref host" "host lsp"; do
            set -- $pair
            older=$1 newer=$2
            first=$(diff_function "$suite" "$fn" "$older" "$newer" 1)
            [ -n "$first" ] || continue
            if echo "$first" | while read -r what; do known_has "$newer" "$what" || exit 1; done; then
                echo "$first" | sed "s/^/$newer /; s/\$/ $fn/" >>"$work/differences.txt"
                continue
            fi
            # Something unexplained: run both twice more, and keep what
            # repeats every time (a few checks are timing-dependent).
            for attempt in 2 3; do
                run_one "$suite" "$older" "$fn" "$attempt"
                run_one "$suite" "$newer" "$fn" "$attempt"
            done
            diff_function "$suite" "$fn" "$older" "$newer" 3 | sed "s/^/$newer /; s/\$/ $fn/" >>"$work/differences.txt"
        done
    done < <(list_functions "$suite")
done

# Summaries: checks executed and failures (from the tests' own summary
# lines), failing locations, crashed functions.
for build in "${builds[@]}"; do
    logs=("$work/$build"/logs/*.1.log)
    executed=$(cat "${logs[@]}" | grep -oE '[0-9]+ tests executed' | awk '{s += $1} END {print s + 0}')
    failed=$(cat "${logs[@]}" | grep -oE '[0-9]+ failures' | awk '{s += $1} END {print s + 0}')
    locations=$(for l in "${logs[@]}"; do failures_of "$l"; done | grep -v '^crash$' | sort -u | wc -l)
    crashed=$(for l in "${logs[@]}"; do failures_of "$l" | grep -q '^crash$' && basename "$l" .1.log; done | tr '\n' ' ')
    say "$build: $executed checks executed, $failed failed, $locations failing locations, crashed: ${crashed:-none}"
done
for newer in host lsp; do
    n=$(grep -c "^$newer " "$work/differences.txt")
    k=0
    while read -r _ what _; do known_has "$newer" "$what" && k=$((k + 1)); done < <(grep "^$newer " "$work/differences.txt")
    say "$newer adds $n differences ($k known)"
done
while read -r where what fn; do
    if ! known_has "$where" "$what"; then
        unexplained=$((unexplained + 1))
        echo "peer: unexplained: $where $what (in $fn)"
    fi
done <"$work/differences.txt"
# Known entries that did not show (informational: the list can shrink).
if [ -f "$known" ] && [ ${#functions[@]} -eq 0 ] && [ ${#suites[@]} -eq 2 ]; then
    grep -E '^(host|lsp)[[:space:]]' "$known" | while read -r where what _; do
        grep -q "^$where $what " "$work/differences.txt" || echo "peer: known but not seen: $where $what"
    done
fi
if [ "$unexplained" -eq 0 ]; then
    say "no unexplained difference"
    exit 0
fi
say "$unexplained unexplained differences (logs in $work)"
exit 1
