"""The results file from Python, as a notebook user meets it.

Usage: check_results_file.py WRITE_SAMPLE_RESULTS SCENARIO WORKDIR

WRITE_SAMPLE_RESULTS (tests/write_sample_results.cpp) writes the known sample results of
tests/sample_results.hpp into WORKDIR; this script then checks that
- the per-replica summary loads into pandas in one line, every value where it belongs;
- `statistics`, `tail_risk`, `providers` and `timeseries` load in one line with named dimensions,
  and the statistics agree with the summary table;
- every string is variable-length UTF-8 (fixed-length byte strings break xarray's netcdf4
  engine) and no units attribute turns numbers into dates or durations;
- empty dimensions (no providers, no governments) still open;
- the provenance is there, and provenance/scenario_text is the scenario file's text.
"""
import math
import pathlib
import subprocess
import sys

import h5netcdf
import h5py
import numpy as np
import xarray as xr

writer, scenario, workdir = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
workdir.mkdir(parents=True, exist_ok=True)
subprocess.run([writer, str(scenario), str(workdir)], check=True)
sample = workdir / "sample.h5"
no_entities = workdir / "sample_no_entities.h5"
no_series = workdir / "sample_no_series.h5"

# tests/sample_results.hpp: replicas 0, 1, 2, 4, 5 of 6 (3 failed), seed 7, two strategies, two
# API providers (the hyperscaler, then the open lab that hosts an API).
REPLICAS = [0, 1, 2, 4, 5]
STRATEGIES = ["one basket", "zwei Körbe (Ü)"]
PROVIDERS = ["Atlas", "Forge API"]
METRICS = ["served_share", "unserved_work", "outage_days", "longest_outage_days",
           "outage_episodes", "cost_api", "cost_hardware", "cost_switching", "cost_energy",
           "cost_total", "quality_adjusted_output", "quality_gap"]
PROVIDER_UNITS = {  # sim/metrics.hpp, provider_metric_info
    "served_work": "work units", "revenue": "currency", "market_share": "share",
    "mean_utilisation": "share", "mean_price": "currency/work unit", "energy": "kWh",
    "energy_cost": "currency", "capital_cost": "currency", "capacity_orders": "count",
    "final_capacity": "work units/day", "intelligence_per_kwh": "work units/kWh",
}
TIMES = [30.0 * (k + 1) for k in range(12)]


def value(r, s, m):
    return 100.0 * r + 10.0 * s + m + 0.5


def provider_value(r, p, m):
    return 1000.0 * r + 100.0 * p + m + 0.25


def series_value(i, r, e, k):
    return 1000.0 * i + 100.0 * r + 10.0 * e + 0.25 * k


# ---- the per-replica summary: one line to pandas -------------------------------------------
summary = xr.open_dataset(sample, engine="h5netcdf").to_dataframe()
assert list(summary.index.names) == ["replica", "strategy"], summary.index.names
assert len(summary) == len(REPLICAS) * len(STRATEGIES), len(summary)
assert list(summary.columns) == METRICS + ["seed"], list(summary.columns)
for m, name in enumerate(METRICS):
    # float64 everywhere: "days" units would have made longest_outage_days a timedelta.
    assert summary[name].dtype == np.float64, (name, summary[name].dtype)
    for r in REPLICAS:
        for s, strategy in enumerate(STRATEGIES):
            assert summary.loc[(r, strategy), name] == value(r, s, m), (name, r, strategy)
assert (summary["seed"] == 7).all()

# ---- attributes and strings --------------------------------------------------------------
with h5py.File(sample, "r") as f:
    a = f.attrs
    assert a["program"] == "baskets"
    for key in ("program_version", "git_commit", "started_at", "finished_at", "host",
                "scenario_path", "command_line", "simgrid_version", "boost_version",
                "random123_version", "hdf5_version", "title"):
        assert isinstance(a[key], str) and a[key], key
    assert a["hdf5_version"] == "{}.{}.{}".format(*h5py.h5.get_libversion())
    assert a["schema_version"] == 2
    assert a["status"] == "complete" and a["partial_reason"] == ""
    assert (a["replicas_requested"], a["replicas_completed"], a["replicas_failed"]) == (6, 5, 1)
    assert a["seed"] == 7
    assert a["scenario_name"] == "valid_base"
    assert a["horizon_days"] == 365.0
    assert a["long_outage_threshold_days"] == 30.0

    # Every string we wrote is variable-length UTF-8. (CLASS and NAME are the dimension-scale
    # bookkeeping that HDF5's own H5DS writes; netCDF readers hide them.)
    bookkeeping = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST"}
    strings = []

    def check_strings(name, obj):
        items = [(f"{name}@{k}", obj.attrs.get_id(k).dtype) for k in obj.attrs
                 if k not in bookkeeping]
        if isinstance(obj, h5py.Dataset):
            items.append((name, obj.dtype))
        for where, dtype in items:
            info = h5py.check_string_dtype(dtype)
            if info is not None:
                assert info.length is None and info.encoding == "utf-8", (where, info)
                strings.append(where)
        units = obj.attrs.get("units")
        if units is not None:
            assert "since" not in units, (name, units)
            assert units not in {"days", "hours", "minutes", "seconds"}, (name, units)

    check_strings("/", f)
    f.visititems(check_strings)
    assert len(strings) > 30, strings
    assert f["longest_outage_days"].attrs["units"] == "day"
    assert f["served_share"].attrs["units"] == "share"
    assert f["strategy"].asstr()[:].tolist() == STRATEGIES

    # The scenario text, byte for byte.
    assert f["provenance/scenario_text"].asstr()[()] == scenario.read_text(encoding="utf-8")

    # Time series: one chunk per replica, gzip 4 after shuffle.
    served = f["timeseries/served_share"]
    assert served.chunks == (1, 2, 12), served.chunks
    assert served.compression == "gzip" and served.compression_opts == 4 and served.shuffle

# ---- statistics: one line to pandas, and they agree with the summary ----------------------
statistics = xr.open_dataset(sample, engine="h5netcdf", group="statistics").to_dataframe()
assert list(statistics.index.names) == ["strategy", "metric"], statistics.index.names
assert len(statistics) == len(STRATEGIES) * len(METRICS)
for column in ("unit", "mean", "standard_error", "ci95_low", "ci95_high", "p5", "p50", "p95",
               "p99", "paired_difference", "paired_standard_error", "paired_ci95_low",
               "paired_ci95_high", "probability_better"):
    assert column in statistics.columns, column
for strategy in STRATEGIES:
    rows = summary.xs(strategy, level="strategy")
    for name in METRICS:
        row = statistics.loc[(strategy, name)]
        column = rows[name]
        assert math.isclose(row["mean"], column.mean(), rel_tol=1e-12)
        assert math.isclose(row["standard_error"], column.std(ddof=1) / math.sqrt(len(column)),
                            rel_tol=1e-12)
        assert math.isclose(row["p50"], column.median(), rel_tol=1e-12)
        assert row["ci95_low"] < row["mean"] < row["ci95_high"]
assert statistics.loc[("one basket", "served_share"), "paired_difference"] == 0.0
assert math.isclose(statistics.loc[(STRATEGIES[1], "cost_total"), "paired_difference"], 10.0)
assert statistics.loc[("one basket", "longest_outage_days"), "unit"] == "day"

# ---- tail risk ----------------------------------------------------------------------------
tail = xr.open_dataset(sample, engine="h5netcdf", group="tail_risk")
assert tail["var95"].dims == ("strategy", "loss")
assert tail["probability_long_outage"].dims == ("strategy",)
assert tail["probability_long_outage"].attrs["threshold_days"] == 30.0
tail_table = tail.to_dataframe()
assert list(tail_table.index.names) == ["strategy", "loss"]
# With 5 replicas the 95% VaR is the largest loss (order statistic ceil(0.95 * 5) = 5).
costs = summary.xs("one basket", level="strategy")["cost_total"]
assert tail_table.loc[("one basket", "cost_total"), "var95"] == costs.max()
assert tail_table.loc[("one basket", "unserved_share"), "unit"] == "share"

# ---- providers: one line to pandas, one row per (replica, provider) ------------------------
providers = xr.open_dataset(sample, engine="h5netcdf", group="providers").to_dataframe()
assert list(providers.index.names) == ["replica", "provider"], providers.index.names
assert len(providers) == len(REPLICAS) * len(PROVIDERS), len(providers)
columns = [f"provider_{m}" for m in PROVIDER_UNITS]
assert list(providers.columns) == columns, list(providers.columns)
assert providers.index.get_level_values("provider").unique().tolist() == PROVIDERS
for m, name in enumerate(columns):
    assert providers[name].dtype == np.float64, (name, providers[name].dtype)
    for r in REPLICAS:
        for p, provider in enumerate(PROVIDERS):
            assert providers.loc[(r, provider), name] == provider_value(r, p, m), (name, r, provider)
group = xr.open_dataset(sample, engine="h5netcdf", group="providers")
for metric, unit in PROVIDER_UNITS.items():
    variable = group[f"provider_{metric}"]
    assert variable.dims == ("replica", "provider"), (metric, variable.dims)
    assert variable.attrs["units"] == unit and variable.attrs["long_name"], (metric, variable.attrs)
# The root keeps to (replica, strategy): the summary above did not broadcast over providers.
assert "provider" not in xr.open_dataset(sample, engine="h5netcdf").dims

# ---- time series: one line to xarray with named dimensions --------------------------------
series = xr.open_dataset(sample, engine="h5netcdf", group="timeseries")
assert dict(series.sizes) == {"replica": 5, "strategy": 2, "provider": 2, "government": 1,
                              "time": 12}, dict(series.sizes)
assert series["time"].dtype == np.float64 and series["time"].values.tolist() == TIMES
assert series["replica"].values.tolist() == REPLICAS
assert series["strategy"].values.tolist() == STRATEGIES
assert series["provider"].values.tolist() == PROVIDERS
assert series["government"].values.tolist() == ["US government"]
assert series.attrs["step_days"] == 30.0
expected_dims = {
    "served_share": ("replica", "strategy", "time"),
    "outage_share": ("replica", "strategy", "time"),
    "quality_gap": ("replica", "strategy", "time"),
    "utilisation": ("replica", "provider", "time"),
    "price": ("replica", "provider", "time"),
    "market_share": ("replica", "provider", "time"),
    "capacity": ("replica", "provider", "time"),
    "energy": ("replica", "provider", "time"),
    "providers_cut_off": ("replica", "time"),
    "tension": ("replica", "government", "time"),
}
r = np.array(REPLICAS, dtype=float)[:, None, None]
k = np.arange(12, dtype=float)[None, None, :]
for i, (name, dims) in enumerate(expected_dims.items()):
    variable = series[name]
    assert variable.dims == dims, (name, variable.dims)
    entities = 1 if len(dims) == 2 else series.sizes[dims[1]]
    e = np.arange(entities, dtype=float)[None, :, None]
    expected = series_value(i, r, e, k)
    values = variable.values if len(dims) == 3 else variable.values[:, None, :]
    assert np.array_equal(values, expected), name
one = series["served_share"].sel(replica=4, strategy=STRATEGIES[1], time=90.0)
assert float(one) == series_value(0, 4, 1, 2)

# Empty dimensions open too.
empty = xr.open_dataset(no_entities, engine="h5netcdf", group="timeseries")
assert empty.sizes["provider"] == 0 and empty.sizes["government"] == 0, dict(empty.sizes)
for name in ("utilisation", "price", "market_share", "capacity", "energy"):
    assert empty[name].shape == (5, 0, 12), (name, empty[name].shape)
assert empty["tension"].dims == ("replica", "government", "time")
assert empty["served_share"].shape == (5, 2, 12)

# Without time series there is no such group; the rest is the same.
with h5py.File(no_series, "r") as f:
    assert "timeseries" not in f
    assert set(f) >= {"statistics", "tail_risk", "providers", "provenance"}
assert xr.open_dataset(no_series, engine="h5netcdf").to_dataframe().equals(summary)

# ---- provenance, and the file as plain netCDF-4 ------------------------------------------
provenance = xr.open_dataset(sample, engine="h5netcdf", group="provenance")
assert provenance["scenario_text"].item() == scenario.read_text(encoding="utf-8")
assert provenance["command_line"].item().startswith("baskets run")
with h5netcdf.File(sample, "r") as nc:
    assert list(nc.dimensions) == ["replica", "strategy"], list(nc.dimensions)
    assert set(nc.groups) == {"statistics", "tail_risk", "providers", "timeseries", "provenance"}
    assert nc["served_share"].dimensions == ("replica", "strategy")

print("results file checks passed")
