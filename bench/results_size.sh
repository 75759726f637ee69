#!/usr/bin/env bash
# Size of results files: bytes per replica x strategy in the summary table, and the compressed
# size of the time series per replica-year. Sizes are taken from the growth between two runs of
# different lengths, so the fixed part (provenance, statistics, HDF5 metadata) cancels.
# Usage: bench/results_size.sh [BASKETS] [SCENARIO]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
baskets=${1:-$root/build/baskets}
scenario=${2:-$root/scenarios/default.toml}
python=/usr/bin/python3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

small=100 large=400
for n in $small $large; do
  "$baskets" run "$scenario" -n "$n" -q --force --out "$dir/plain-$n.h5" > /dev/null 2>&1
  "$baskets" run "$scenario" -n "$n" -q --force --out "$dir/series-$n.h5" --timeseries > /dev/null 2>&1
done

"$python" - "$dir" "$small" "$large" <<'PY'
import os, sys
import h5py
folder, small, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = lambda name: os.path.getsize(os.path.join(folder, name))
with h5py.File(os.path.join(folder, f"plain-{large}.h5"), "r") as f:
    strategies = f["strategy"].shape[0]
    horizon_years = float(f.attrs["horizon_days"]) / 365.0
    metrics = len([k for k, v in f.items() if isinstance(v, h5py.Dataset) and v.ndim == 2])
with h5py.File(os.path.join(folder, f"series-{large}.h5"), "r") as f:
    series = f["timeseries"]
    data = [v for v in series.values() if isinstance(v, h5py.Dataset) and v.ndim >= 2]
    raw = sum(v.size * v.dtype.itemsize for v in data)
    stored = sum(v.id.get_storage_size() for v in data)
    step = float(series.attrs["step_days"])

rows = (large - small) * strategies
summary_bytes = (size(f"plain-{large}.h5") - size(f"plain-{small}.h5")) / rows
series_bytes = (size(f"series-{large}.h5") - size(f"plain-{large}.h5")
                - size(f"series-{small}.h5") + size(f"plain-{small}.h5")) / (large - small)
print(f"scenario: {strategies} strategies, {metrics} metrics, horizon {horizon_years:.1f} years")
print(f"summary table: {summary_bytes:.0f} bytes per replica x strategy "
      f"({metrics} float64 metrics = {8 * metrics} bytes of data, plus seed and index)")
print(f"time series (step {step:g} days): {series_bytes / horizon_years:.0f} bytes per replica-year "
      f"compressed; raw {raw / large / horizon_years:.0f}; compression ratio {raw / stored:.2f}")
PY
