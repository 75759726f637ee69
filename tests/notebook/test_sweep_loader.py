"""outputs/baskets_results.py on a real sweep file, and outputs/sweep_example.ipynb run on it.

Usage: test_sweep_loader.py BASKETS SOURCE_DIR SWEEP.h5 WORKDIR

SWEEP.h5 comes from `baskets sweep scenarios/where_two_baskets_pay.toml -n 4` (the
notebook.sweep_file fixture). It checks the file against docs/sweeps.md as xarray
opens it (groups, dimensions, variables), the tables of load_sweep (shapes from the root
attributes, replicas_per_point rows for every complete point and strategy, the statistics' mean
and paired difference recomputed from the rows, the sensitivity recomputed from the statistics),
pay_off against a direct pandas computation, and the errors on a run file, a file that is not
HDF5 and a missing file. (execute_notebook.py runs the notebook.)
"""
import itertools
import math
import pathlib
import subprocess
import sys
import warnings

import h5py
import numpy as np
import pandas as pd
import xarray as xr

baskets, source, sweep_path = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
workdir = pathlib.Path(sys.argv[4])
workdir.mkdir(parents=True, exist_ok=True)
sys.path.insert(0, str(source / "outputs"))
import baskets_results as br  # noqa: E402


def close(a, b, scale=None):
    """Equal to 1e-12, relative to the larger of the two (or to `scale`)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b), scale or 0.0, 1e-300)


# The file as docs/sweeps.md describes it, opened the way it says.
GROUPS = {
    None: (("point", "replica", "strategy"), br.METRICS),
    "points": (("point",), ("complete", "replicas_completed")),
    "parameters": (("parameter",), ("path", "scale", "low", "high")),
    "statistics": (("point", "strategy", "metric"),
                   ("unit", "mean", "standard_error", "ci95_low", "ci95_high", "p5", "p50", "p95",
                    "p99", "paired_difference", "paired_standard_error", "paired_ci95_low",
                    "paired_ci95_high", "probability_better")),
    "tail_risk": (("point", "strategy", "loss"),
                  ("var95", "cvar95", "var99", "cvar99", "probability_long_outage")),
    "sensitivity": (("parameter", "strategy", "metric", "response"),
                    ("spearman", "main_effect", "sobol_first", "sobol_total")),
    "providers": (("point", "replica", "provider"),
                  tuple(f"provider_{m}" for m in br.PROVIDER_METRICS)),
}
for group, (dims, variables) in GROUPS.items():
    with xr.open_dataset(sweep_path, engine="h5netcdf", group=group) as ds:
        assert set(ds.dims) == set(dims), (group, dict(ds.sizes))
        missing = set(variables) - set(ds.variables)
        assert not missing, (group, missing)
        for dim in dims:  # strings as str (variable-length UTF-8), indices as uint64
            kind = ds[dim].dtype.kind
            assert kind == "O" and isinstance(ds[dim].values[0], str) or \
                ds[dim].dtype == np.uint64, (group, dim, ds[dim].dtype)
with xr.open_dataset(sweep_path, engine="h5netcdf", group="provenance") as ds:
    for name in ("scenario_text", "sweep_text", "command_line"):
        assert isinstance(ds[name].item(), str), (name, ds[name])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    s = br.load_sweep(sweep_path)
partial = [w for w in caught if "points complete" in str(w.message)]
assert not partial, [str(w.message) for w in partial]  # the fixture's sweep is complete
p = s.provenance
POINTS, REPLICAS = p["points"], p["replicas_per_point"]
names = list(s.parameters.index)
S = len(s.strategies)
assert p["program"] == "baskets" and p["file_kind"] == "sweep" and p["shard"] == "", p
assert s.complete and p["points_complete"] == POINTS and POINTS > 0, p
assert p["design"] in ("grid", "sobol", "uniform", "saltelli") and s.design == p["design"], p
assert S >= 2 and len(set(s.strategies)) == S, s.strategies
assert len(names) >= 2, names
assert "[sweep]" in s.sweep_text or "[sweep]" in s.scenario_text, s.sweep_text[:200]
assert s.scenario_text, "no scenario text"
with h5py.File(sweep_path) as f:
    assert f["served_share"].shape == (POINTS, REPLICAS, S), f["served_share"].shape
    assert f["points/complete"].dtype == np.uint64, f["points/complete"].dtype
    ran = int(f["completed"][()].sum()) if "completed" in f else None  # (point, replica)
    P = len(f["providers/provider"])
    assert f["providers/provider_revenue"].shape == (POINTS, REPLICAS, P), \
        f["providers/provider_revenue"].shape
    assert f["providers/provider_energy"].attrs["units"] == "kWh"

# Points: one row per point, the parameters' columns in the sweep's order.
points = s.points
assert list(points.index.names) == ["point"] and list(points.index) == list(range(POINTS))
assert list(points.columns) == names + ["complete", "replicas_completed"], list(points.columns)
assert points["complete"].dtype == bool and points["complete"].all(), points
assert (points["replicas_completed"] == REPLICAS).all(), points["replicas_completed"]
for name, row in s.parameters.iterrows():
    # "values" for a grid parameter given by its list of values rather than a range.
    assert row["scale"] in ("linear", "log", "values") and row["low"] <= row["high"], (name, row)
    assert points[name].dtype == np.float64, (name, points[name].dtype)
    values = points[name]
    assert row["low"] <= values.min() and values.max() <= row["high"], (name, row, values)
    if s.design == "grid":
        assert values.min() == row["low"] and values.max() == row["high"], (name, row, values)
if s.design == "grid":  # full factorial, the first parameter varying slowest
    levels = [list(dict.fromkeys(points[n])) for n in names]
    assert points[names].values.tolist() == [list(c) for c in itertools.product(*levels)], \
        points[names]

# Rows: every complete point has replicas_per_point rows per strategy.
rows = s.rows
assert list(rows.index.names) == ["point", "replica", "strategy"], rows.index.names
assert set(br.METRICS) <= set(rows.columns), set(br.METRICS) - set(rows.columns)
assert len(rows) == POINTS * REPLICAS * S, (rows.shape, POINTS, REPLICAS, S)
assert ran is None or ran * S == len(rows), (ran, rows.shape)
assert list(rows.columns) == list(br.METRICS), list(rows.columns)
counts = rows.groupby(level=["point", "strategy"]).size()
assert (counts == REPLICAS).all() and len(counts) == POINTS * S, counts
assert list(rows.index.get_level_values("strategy").unique()) == s.strategies
assert not rows[list(br.METRICS)].isna().all(axis=1).any()

# Providers: every complete point has replicas_per_point rows per provider, none of them NaN.
providers = s.providers
columns = [f"provider_{m}" for m in br.PROVIDER_METRICS]
assert list(providers.index.names) == ["point", "replica", "provider"], providers.index.names
assert list(providers.columns) == columns, list(providers.columns)
assert P > 0 and len(providers) == POINTS * REPLICAS * P, (providers.shape, POINTS, REPLICAS, P)
assert ran is None or ran * P == len(providers), (ran, providers.shape)
complete_points = points.index[points["complete"]]
assert not providers.loc[list(complete_points)].isna().any().any(), providers.isna().sum()
assert (providers["provider_served_work"] >= 0).all()
shares = providers["provider_market_share"].groupby(level=["point", "replica"]).sum()
assert np.allclose(shares[shares > 0], 1.0, rtol=1e-9), shares

# Statistics: one row per point x strategy x metric; the mean and the paired difference are
# those of the rows, to 1e-12.
stats = s.statistics
assert list(stats.index.names) == ["point", "strategy", "metric"], stats.index.names
assert len(stats) == POINTS * S * len(br.METRICS), stats.shape
reference = s.strategies[0]
means = rows.groupby(level=["point", "strategy"]).mean()
first = rows.xs(reference, level="strategy")
for strategy in s.strategies:
    paired = (rows.xs(strategy, level="strategy") - first).groupby(level="point").mean()
    for metric in br.METRICS:
        scale = rows[metric].abs().max()
        for point in range(POINTS):
            row = stats.loc[(point, strategy, metric)]
            ours = means.loc[(point, strategy), metric]
            assert close(ours, row["mean"]), (point, strategy, metric, ours, row["mean"])
            ours = paired.loc[point, metric]
            assert close(ours, row["paired_difference"], scale), \
                (point, strategy, metric, ours, row["paired_difference"])
assert (stats.xs(reference, level="strategy")["paired_difference"] == 0).all()

# Tail risk and sensitivity: their shapes; the sensitivity recomputed from the statistics.
assert list(s.tail_risk.index.names) == ["point", "strategy", "loss"], s.tail_risk.index.names
assert len(s.tail_risk) == POINTS * S * len(br.LOSS_KINDS), s.tail_risk.shape
sens = s.sensitivity
assert list(sens.index.names) == ["parameter", "strategy", "metric", "response"]
assert list(sens.index.get_level_values("metric").unique()) == list(br.SENSITIVITY_METRICS)
assert len(sens) == len(names) * S * len(br.SENSITIVITY_METRICS) * 2, sens.shape
for (name, strategy, metric, response), row in sens.iterrows():
    y = stats.xs((strategy, metric), level=("strategy", "metric"))[response]
    frame = pd.DataFrame({"x": points[name], "y": y})
    spearman = frame["x"].corr(frame["y"], method="spearman") if len(frame) >= 3 and \
        frame["x"].nunique() > 1 and frame["y"].nunique() > 1 else math.nan
    assert abs(spearman - row["spearman"]) <= 1e-9 or (math.isnan(spearman) and
                                                       math.isnan(row["spearman"])), \
        (name, strategy, metric, response, spearman, row["spearman"])
    if s.design == "grid":
        by = frame.groupby("x")["y"].mean()
        effect = by.max() - by.min() if len(by) > 1 else math.nan
        assert close(effect, row["main_effect"], y.abs().max()), \
            (name, strategy, metric, response, effect, row["main_effect"])
    else:
        assert math.isnan(row["main_effect"]), (name, row)

# pay_off: the mean over points of the paired difference, y x x, equal to pandas directly.
x, y = names[0], names[1]
other = s.strategies[1]
table = br.pay_off(s, x=x, y=y)
assert table.index.name == y and table.columns.name == x, (table.index.name, table.columns.name)
if s.design == "grid":
    assert table.shape == (points[y].nunique(), points[x].nunique()), table.shape
    joined = points.join(stats.xs((other, "served_share"), level=("strategy", "metric")))
    direct = joined.pivot_table(index=y, columns=x, values="paired_difference", aggfunc="mean")
    assert list(table.index) == list(direct.index) and list(table.columns) == list(direct.columns)
    assert np.allclose(table.to_numpy(), direct.to_numpy(), rtol=1e-12, atol=0), (table, direct)
    # The same from the rows: mean over replicas of the difference, then over points.
    served = rows["served_share"].unstack("strategy")
    per_point = (served[other] - served[reference]).groupby(level="point").mean()
    again = points.assign(d=per_point).pivot_table(index=y, columns=x, values="d")
    assert np.allclose(table.to_numpy(), again.to_numpy(), rtol=1e-12, atol=1e-15), (table, again)
    assert table.equals(br.pay_off(s, "served_share", x, y, other))
    cost = br.pay_off(s, "cost_total", x, y)
    direct = points.join(stats.xs((other, "cost_total"), level=("strategy", "metric"))) \
        .pivot_table(index=y, columns=x, values="paired_difference")
    assert np.allclose(cost.to_numpy(), direct.to_numpy(), rtol=1e-12, atol=0), (cost, direct)
    if len(names) > 2:  # one panel per value of a third parameter
        third = names[2]
        for value in points[third].unique():
            panel = br.pay_off(s, x=x, y=y, at={third: value})
            chosen = joined[joined[third] == value]
            direct = chosen.pivot_table(index=y, columns=x, values="paired_difference")
            assert panel.shape == table.shape and np.allclose(
                panel.to_numpy(), direct.to_numpy(), rtol=1e-12, atol=0), (value, panel, direct)
else:
    assert table.shape == (5, 5), table.shape
assert np.allclose(br.pay_off(s, strategy=reference, x=x, y=y).fillna(0).to_numpy(), 0.0)
for bad in (dict(x="no such parameter"), dict(x=x, y=x), dict(strategy="no such strategy"),
            dict(metric="no_such_metric"), dict(at={x: -12345.0})):
    try:
        br.pay_off(s, **bad)
    except ValueError as error:
        assert "pay_off" in str(error), error
    else:
        raise AssertionError(f"pay_off accepted {bad}")
low, high = br.centred_limits(table)
assert low == -high and high >= np.nanmax(np.abs(table.to_numpy())) and high > 0
assert br.centred_limits([np.nan, 0.0]) == (-1.0, 1.0)


# Clear errors, naming the file: a run's file, a file that is not HDF5, no file.
def fails(load, path, error_type, words):
    try:
        load(path)
    except error_type as error:
        assert str(path) in str(error) and words in str(error), error
    else:
        raise AssertionError(f"{path} loaded")


run = workdir / "run.h5"
subprocess.run([baskets, "run", str(source / "scenarios/default.toml"), "-n", "2", "-q",
                "--out", str(run), "--force"], check=True, capture_output=True)
assert len(br.load(run).summary) == 2 * len(br.load(run).strategies)  # the run API still works
fails(br.load_sweep, run, br.ResultsFileError, "baskets_results.load(")
fails(br.load, sweep_path, br.ResultsFileError, "load_sweep")
text = workdir / "text.h5"
text.write_text("not HDF5\n")
fails(br.load_sweep, text, br.ResultsFileError, "not an HDF5 file")
other_file = workdir / "other.h5"
with h5py.File(other_file, "w") as f:
    f["x"] = np.arange(3)
fails(br.load_sweep, other_file, br.ResultsFileError, "not a baskets sweep file")
fails(br.load_sweep, workdir / "missing.h5", FileNotFoundError, "no such sweep file")
print(f"sweep loader checks passed ({s.design}, {POINTS} points x {REPLICAS} replicas x "
      f"{S} strategies, parameters {', '.join(names)})")
