#!/usr/bin/env bash
# Builds and runs every test: the core's unit tests natively (plain, ASan+UBSan,
# TSan), a short run of each fuzz target (native-fuzz: 30 s each) and the
# Windows builds' tests under Wine: x86_64 (windows) and x86 (windows-x86,
# under 32-bit Wine; the peer suite runs in the x86_64 build only). Installs what is missing first. Ends with
# one summary line; exits non-zero if anything failed.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" || exit 1

# windows-x86 first: the windows tests of sharing across bitness and of the
# installer use its build.
presets=(native native-asan native-tsan native-fuzz windows-x86 windows)
passed=0
failed=0
broken=()

for preset in "${presets[@]}"; do
    echo "=== $preset"
    log="$root/build/$preset.build.log"
    mkdir -p "$root/build"
    if ! { cmake --preset "$preset" && cmake --build --preset "$preset"; } >"$log" 2>&1; then
        cat "$log"
        echo "=== $preset: configure or build FAILED (log above, also in $log)"
        broken+=("$preset")
        continue
    fi
    out="$root/build/$preset.test.log"
    ctest --preset "$preset" 2>&1 | tee "$out"
    status=${PIPESTATUS[0]}
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "=== $preset: ctest printed no summary (exit $status)"
        broken+=("$preset")
        continue
    fi
    f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    n=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + n - f))
    failed=$((failed + f))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        broken+=("$preset") # ctest failed for a reason other than a test
    fi
done

echo
if [ "${#broken[@]}" -ne 0 ]; then
    echo "presets that did not build or run: ${broken[*]}"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "${#broken[@]}" -eq 0 ]
