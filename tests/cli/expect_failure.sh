#!/usr/bin/env bash
# Runs a command that must fail: exit status non-zero, and its output must contain every
# pattern given after "--" (extended regular expressions).
# Usage: expect_failure.sh COMMAND... -- PATTERN...
set -u
command=()
while (($#)) && [[ $1 != -- ]]; do command+=("$1"); shift; done
shift
output=$("${command[@]}" 2>&1)
status=$?
printf '%s\n' "$output"
if ((status == 0)); then
  echo "expected a non-zero exit status, got 0" >&2
  exit 1
fi
for pattern in "$@"; do
  if ! grep -Eq -- "$pattern" <<<"$output"; then
    echo "output lacks: $pattern" >&2
    exit 1
  fi
done
