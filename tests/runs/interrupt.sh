#!/usr/bin/env bash
# Interrupting a run never corrupts a results file:
#  - SIGINT: the completed replicas are written, and the file says it is partial;
#  - kill -9: the file already under the output name is untouched, and nothing half-written
#    takes its place.
# Usage: interrupt.sh BASKETS SCENARIO PYTHON
set -euo pipefail
baskets=$1 scenario=$2 python=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# SIGINT in the middle of a long run.
"$baskets" run "$scenario" -n 1000000 -j 2 -q --out "$dir/partial.h5" &
pid=$!
sleep 3
kill -INT "$pid"
status=0
wait "$pid" || status=$?
((status == 130)) || fail "exit status $status after SIGINT, expected 130"
"$python" - "$dir/partial.h5" <<'PY'
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["status"] == "partial", f.attrs["status"]
    assert "SIGINT" in f.attrs["partial_reason"], f.attrs["partial_reason"]
    completed = int(f.attrs["replicas_completed"])
    assert 0 < completed < 1000000, completed
    assert f["replica"].shape == (completed,), f["replica"].shape
    assert f["served_share"].shape[0] == completed
print("SIGINT: partial file with", completed, "replicas")
PY

# kill -9 while overwriting an earlier file with --force.
"$baskets" run "$scenario" -n 3 -q --out "$dir/kept.h5"
before=$(md5sum < "$dir/kept.h5")
"$baskets" run "$scenario" -n 1000000 -j 2 -q --out "$dir/kept.h5" --force &
pid=$!
sleep 2
kill -9 "$pid"
wait "$pid" || true
pkill -9 -P "$pid" 2>/dev/null || true
[[ $(md5sum < "$dir/kept.h5") == "$before" ]] || fail "kill -9 changed the earlier file"
"$python" -c "import h5py,sys; f=h5py.File(sys.argv[1],'r'); assert f.attrs['status']=='complete'; assert f['replica'].shape==(3,)" "$dir/kept.h5"
echo "kill -9: earlier file untouched"

# Without --force an existing file is refused before anything runs.
status=0
"$baskets" run "$scenario" -n 3 -q --out "$dir/kept.h5" 2> "$dir/err.txt" || status=$?
((status != 0)) || fail "an existing file was overwritten without --force"
grep -q "kept.h5" "$dir/err.txt" || fail "the error does not name the file: $(cat "$dir/err.txt")"
[[ $(md5sum < "$dir/kept.h5") == "$before" ]] || fail "the refused run changed the file"
echo "existing file refused without --force"
