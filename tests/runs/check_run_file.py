"""A run's results file, as a notebook user meets it.

Usage: check_run_file.py BASKETS SCENARIO WORKDIR

- the summary table loads into pandas in one line and matches the statistics `run` printed;
- the providers table loads into pandas in one line, one row per replica x API provider, and
  what the providers earned is what the buyers spent on APIs;
- the time series load into xarray in one line with named dimensions;
- the provenance is there, and the stored scenario text re-runs to the same results.
"""
import math
import pathlib
import re
import subprocess
import sys
import tomllib

import h5py
import xarray as xr

baskets, scenario, workdir = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
workdir.mkdir(parents=True, exist_ok=True)
first = workdir / "first.h5"
second = workdir / "second.h5"
replayed_scenario = workdir / "from_file.toml"

run = subprocess.run(
    [baskets, "run", scenario, "-n", "12", "-q", "--out", str(first), "--force",
     "--timeseries", "10"],
    check=True, capture_output=True, text=True)

# One line: the per-replica summary as a pandas DataFrame (rows: replica x strategy).
summary = xr.open_dataset(first, engine="h5netcdf").to_dataframe()
assert list(summary.index.names) == ["replica", "strategy"], summary.index.names
assert len(summary) == 12 * 2, len(summary)

# The printed means of served_share are those of the table.
row = next(line for line in run.stdout.splitlines() if line.startswith("served_share"))
printed = [float(x) for x in re.findall(r"([0-9.e+-]+) ±", row)]
means = summary.groupby(level="strategy", sort=False)["served_share"].mean()
assert len(printed) == len(means), (printed, means)
for p, m in zip(printed, means):
    assert math.isclose(p, float(f"{m:.5g}"), rel_tol=1e-12), (p, m)

# One line: the providers table as a pandas DataFrame (rows: replica x API provider).
providers = xr.open_dataset(first, engine="h5netcdf", group="providers").to_dataframe()
assert list(providers.index.names) == ["replica", "provider"], providers.index.names
with open(scenario, "rb") as f:
    scenario_toml = tomllib.load(f)
names = [h["name"] for h in scenario_toml.get("hyperscalers", [])] + \
    [lab["name"] for lab in scenario_toml.get("open_labs", []) if "hosted_api" in lab]
assert providers.index.get_level_values("provider").unique().tolist() == names, providers.index
assert len(providers) == 12 * len(names), len(providers)
assert len(providers.columns) == 11 and all(c.startswith("provider_") for c in providers.columns)
assert not providers.isna().any().any(), "provider metrics not recorded"
assert (providers >= 0).all().all(), providers[(providers < 0).any(axis=1)]
assert (providers["provider_market_share"] <= 1.0 + 1e-12).all()

# What the providers earned is what the buyers paid for APIs: cost_api is per buyer, so each
# strategy's weighs by its number of buyers.
buyers = {}
for group in scenario_toml["buyers"]:
    buyers[group["strategy"]] = buyers.get(group["strategy"], 0) + group["count"]
spent = (summary["cost_api"] * summary.index.get_level_values("strategy").map(buyers)) \
    .groupby(level="replica").sum()
earned = providers["provider_revenue"].groupby(level="replica").sum()
for r in spent.index:
    assert math.isclose(earned[r], spent[r], rel_tol=1e-9, abs_tol=1e-9), (r, earned[r], spent[r])

# One line: the time series as an xarray Dataset with named dimensions.
series = xr.open_dataset(first, engine="h5netcdf", group="timeseries")
assert series["served_share"].dims == ("replica", "strategy", "time"), series["served_share"].dims
assert series.sizes["time"] == 182, series.sizes  # 1825 days every 10 days
assert series.sizes["replica"] == 12
assert float(series["served_share"].max()) <= 1.0 + 1e-9
for name in ("utilisation", "price", "market_share", "capacity", "energy"):
    assert series[name].dims == ("replica", "provider", "time"), (name, series[name].dims)
    assert not series[name].isnull().any(), f"{name} not sampled"

# Provenance, and the stored scenario re-runs to the same results.
with h5py.File(first, "r") as f:
    for key in ("program_version", "git_commit", "seed", "command_line", "started_at",
                "finished_at", "host", "status", "simgrid_version", "boost_version"):
        assert key in f.attrs, key
    assert f.attrs["status"] == "complete"
    text = f["provenance/scenario_text"][()]
    text = text.decode() if isinstance(text, bytes) else text
replayed_scenario.write_text(text)
subprocess.run([baskets, "run", str(replayed_scenario), "-n", "12", "-q", "--out", str(second),
                "--force", "--timeseries", "10"], check=True, capture_output=True)
again = xr.open_dataset(second, engine="h5netcdf").to_dataframe()
assert (again.to_numpy() == summary.to_numpy()).all(), "the stored scenario gave other results"

# Recording time series reads the executions' progress more often, which may change results in
# their last bits (floating-point rounding), never more.
without = workdir / "without_series.h5"
subprocess.run([baskets, "run", str(replayed_scenario), "-n", "12", "-q", "--out", str(without),
                "--force"], check=True, capture_output=True)
plain = xr.open_dataset(without, engine="h5netcdf").to_dataframe()
for column in summary.columns:
    scale = max(1.0, float(abs(summary[column]).max()))
    worst = float(abs(plain[column] - summary[column]).max())
    assert worst <= 1e-12 * scale, (column, worst, scale)
print("results file checks passed")
