#!/bin/sh
# Runs one fuzz target for a bounded time, as the test suite does. Usage:
#   run_fuzzer.sh FUZZER SOURCE_CORPUS WORK_DIR SECONDS
# SECONDS = 0 only replays the corpus (no mutation).
# libFuzzer first runs every input of the corpus (the seeds and the regression inputs: a replay
# of every bug found so far), then mutates them. New inputs go to WORK_DIR/corpus (the first
# corpus folder is the one libFuzzer writes to), crashes to WORK_DIR/crash-*; the source tree is
# left as it was.
set -eu
fuzzer=$1 source_corpus=$2 work_dir=$3 seconds=$4

mkdir -p "$work_dir/corpus"
touch "$work_dir/.started" # failing inputs of earlier runs stay, but are not listed below
# Sanitizer reports stop the run with a stack; UBSan's too (the build has -fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0}"
set -- "$work_dir/corpus" "$source_corpus" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work_dir/" -print_final_stats=1
if [ "$seconds" -eq 0 ]; then
  set -- "$@" -runs=0
else
  set -- "$@" -max_total_time="$seconds"
fi
# A target's dictionary (the words its reader knows), where it has one, speeds the search.
dictionary="$(dirname "$0")/$(basename "$fuzzer").dict"
if [ -f "$dictionary" ]; then
  set -- "$@" -dict="$dictionary"
fi
status=0
"$fuzzer" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "$fuzzer failed (status $status). Inputs that failed:" >&2
  find "$work_dir" -maxdepth 1 -type f -newer "$work_dir/.started" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) >&2
  echo "Replay one with: $fuzzer INPUT; tests/fuzz/README.md says what to do with it." >&2
fi
exit "$status"
