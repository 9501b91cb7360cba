#!/bin/sh
# Proves the Wine runner turns a crash and a failed assertion into a failed
# CTest run, and lets a passing test pass:
#   check-runner.sh WORKDIR EMULATOR PREFIX PASS_EXE FAIL_EXE CRASH_EXE
# Each program runs as the only test of a throw-away CTest project, through the
# same emulator the suite uses; the crash is tried several times because the
# default Wine debugger made a crash exit 0 in about a third of runs.
set -u
work=$1 emulator=$2 prefix=$3 pass_exe=$4 fail_exe=$5 crash_exe=$6
status=0

# run_case NAME EXE EXPECT(pass|fail)
run_case() {
    dir="$work/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    printf 'add_test(%s "%s" "%s" "%s")\n' "$1" "$emulator" "$prefix" "$2" >"$dir/CTestTestfile.cmake"
    if (cd "$dir" && ctest --output-on-failure >"$dir/ctest.log" 2>&1); then got=pass; else got=fail; fi
    if [ "$got" = "$3" ]; then
        echo "ok: $1: the run ${got}ed as expected"
    else
        echo "NOT OK: $1: expected the run to $3, it ${got}ed; its log:"
        cat "$dir/ctest.log"
        status=1
    fi
}

run_case pass "$pass_exe" pass
run_case fail "$fail_exe" fail
grep -q 'FAILED' "$work/fail/ctest.log" || { echo "NOT OK: fail: no cmocka FAILED line"; status=1; }
for i in 1 2 3 4 5; do
    run_case "crash$i" "$crash_exe" fail
    if grep -q 'still alive' "$work/crash$i/ctest.log"; then
        echo "NOT OK: crash$i: the program did not crash"
        status=1
    fi
done
exit $status
