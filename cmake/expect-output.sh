#!/bin/sh
# CTest's runner for a program whose output and exit status both matter:
#   expect-output.sh STATUS REGEX COMMAND [ARGS...]
# Runs COMMAND, shows what it printed, and passes only when it exited with
# STATUS and printed a line matching REGEX (grep -E). PASS_REGULAR_EXPRESSION
# alone would pass a program that printed the line and then failed.
set -u
status=$1 regex=$2
shift 2
out=$("$@" 2>&1)
got=$?
printf '%s\n' "$out"
if [ "$got" -ne "$status" ]; then
    echo "expect-output: exit status $got, expected $status" >&2
    exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
    echo "expect-output: no line matches: $regex" >&2
    exit 1
fi
