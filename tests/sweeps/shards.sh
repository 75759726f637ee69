#!/usr/bin/env bash
# Shards 0/3, 1/3, 2/3 joined by merge give the file of the whole sweep; so do two MPI ranks
# (when the build has MPI and mpirun is installed).
# Usage: shards.sh BASKETS PYTHON SWEEP_FILE WORKDIR [mpi]
set -euo pipefail
baskets=$1 python=$2 sweep=$3 work=$4 mode=${5:-shards}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"

"$baskets" sweep "$sweep" -j 2 -q --out "$work/whole.h5"

if [[ $mode == mpi ]]; then
  # Root may run mpirun in a container or CI machine; two ranks on two cores or fewer.
  mpirun --allow-run-as-root --oversubscribe -np 2 \
    "$baskets" sweep "$sweep" -j 1 -q --out "$work/mpi.h5"
  "$python" "$here/same_sweep.py" "$work/whole.h5" "$work/mpi.h5"
  exit 0
fi

for i in 0 1 2; do
  "$baskets" sweep "$sweep" -j 2 -q --shard "$i/3" --out "$work/shard$i.h5"
done
# Two shards of three are a partial file that says which points are missing.
status=0
"$baskets" merge "$work/partial.h5" "$work/shard0.h5" "$work/shard2.h5" 2>"$work/partial.log" || status=$?
((status == 3)) && grep -q "points missing from the shards: 1, 4" "$work/partial.log"
"$baskets" merge "$work/merged.h5" "$work/shard"{0,1,2}.h5
"$python" "$here/same_sweep.py" "$work/whole.h5" "$work/merged.h5"
# ... and the partial one completes with --resume.
"$baskets" sweep "$sweep" -j 2 -q --resume --out "$work/partial.h5"
"$python" "$here/same_sweep.py" "$work/whole.h5" "$work/partial.h5"
# `info` says what the file is. Its output is read whole before grep: `info | grep -q` would fail
# under pipefail whenever grep's early exit meets `info` still writing (SIGPIPE).
merged_info=$("$baskets" info "$work/merged.h5")
grep -q "sweep        grid design, 6 of 6 points complete, 5 replicas per point" <<<"$merged_info"
shard_info=$("$baskets" info "$work/shard1.h5")
grep -q "grid design, 2 of 6 points complete, 5 replicas per point, shard 1/3" <<<"$shard_info"
echo "shards: merged and resumed files equal the whole sweep"
