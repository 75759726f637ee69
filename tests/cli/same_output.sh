#!/usr/bin/env bash
# Runs two commands and requires the same standard output, byte for byte.
# Usage: same_output.sh COMMAND_A... -- COMMAND_B...
set -u
a=()
while (($#)) && [[ $1 != -- ]]; do a+=("$1"); shift; done
shift
out_a=$("${a[@]}") || { echo "first command failed" >&2; exit 1; }
out_b=$("$@") || { echo "second command failed" >&2; exit 1; }
if [[ "$out_a" != "$out_b" ]]; then
  diff <(printf '%s\n' "$out_a") <(printf '%s\n' "$out_b") | head -20
  exit 1
fi
printf '%s\n' "$out_a" | head -3
