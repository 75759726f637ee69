#!/usr/bin/env bash
# An interrupted sweep, resumed, ends with the same file as an uninterrupted one.
# Usage: resume.sh BASKETS PYTHON SWEEP_FILE WORKDIR
set -euo pipefail
baskets=$1 python=$2 sweep=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"

"$baskets" sweep "$sweep" -n 3 -j 2 -q --out "$work/whole.h5"

# One worker at a time, a checkpoint after every point: the first checkpoint appears after the
# first point, and the sweep is interrupted while later points run.
"$baskets" sweep "$sweep" -n 3 -j 1 -q --checkpoint 0 --out "$work/resumed.h5" \
  >"$work/interrupted.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
  [[ -f $work/resumed.h5 ]] && break
  sleep 0.05
done
kill -INT "$pid"
status=0
wait "$pid" || status=$?
if ((status != 130)); then
  cat "$work/interrupted.log"
  echo "expected exit status 130 (SIGINT) from the interrupted sweep, got $status" >&2
  exit 1
fi
"$python" - "$work/resumed.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    done, total = int(f.attrs["points_complete"]), int(f.attrs["points"])
    print(f"interrupted file: {f.attrs['status']}, {done} of {total} points complete")
    assert f.attrs["status"] == "partial" and 0 < done < total, "not a partial checkpoint"
PY

"$baskets" sweep "$sweep" -n 3 -j 2 -q --resume --out "$work/resumed.h5" >"$work/resume.log"
grep -q "interrupted by SIGINT" "$work/interrupted.log"
"$python" "$here/same_sweep.py" "$work/whole.h5" "$work/resumed.h5"

# A resumed file of a different sweep (another -n) is refused, and left as it was.
before=$(md5sum <"$work/resumed.h5")
if "$baskets" sweep "$sweep" -n 4 -q --resume --out "$work/resumed.h5" 2>"$work/refused.log"; then
  echo "resuming with another -n should be refused" >&2
  exit 1
fi
grep -q "different sweep" "$work/refused.log"
[[ $(md5sum <"$work/resumed.h5") == "$before" ]]
echo "resume: same as uninterrupted; a different sweep refused"
