"""outputs/baskets_results.py on a real results file.

Usage: test_loader.py BASKETS SOURCE_DIR RESULTS.h5 WORKDIR

RESULTS.h5 comes from `baskets run scenarios/default.toml -n 30 --timeseries` (the
notebook.results_file fixture). Checks the tables' shapes, that the module's VaR and CVaR are the
simulator's (the file's tail_risk group), the losses, and the errors on files that are missing or
not results files.
"""
import math
import pathlib
import subprocess
import sys

import h5py
import numpy as np

baskets, source, results_path = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
workdir = pathlib.Path(sys.argv[4])
workdir.mkdir(parents=True, exist_ok=True)
sys.path.insert(0, str(source / "outputs"))
import baskets_results as br  # noqa: E402

REPLICAS = 30
r = br.load(results_path)

# Summary: one row per replica x strategy, every metric a column.
assert r.strategies == ["one basket", "two baskets"], r.strategies
assert list(r.summary.index.names) == ["replica", "strategy"], r.summary.index.names
assert len(r.summary) == REPLICAS * 2, r.summary.shape
assert set(br.METRICS) <= set(r.summary.columns), set(br.METRICS) - set(r.summary.columns)
replicas = r.summary.index.get_level_values("replica").unique()
assert list(replicas) == list(range(REPLICAS)), list(replicas)
assert r.complete and r.provenance["program"] == "baskets", r.provenance
assert r.provenance["replicas_completed"] == REPLICAS, r.provenance
assert "horizon_days" in r.scenario_text, r.scenario_text[:200]

# Providers: one row per replica x API provider (default.toml has one, Atlas), a column each.
assert list(r.providers.index.names) == ["replica", "provider"], r.providers.index.names
assert r.providers.index.get_level_values("provider").unique().tolist() == ["Atlas"]
assert r.providers.shape == (REPLICAS, len(br.PROVIDER_METRICS)), r.providers.shape
assert list(r.providers.columns) == [f"provider_{m}" for m in br.PROVIDER_METRICS]

# Statistics and tail risk: one row per strategy x metric, strategy x loss.
assert len(r.statistics) == 2 * len(br.METRICS), r.statistics.shape
assert list(r.tail_risk.index.names) == ["strategy", "loss"], r.tail_risk.index.names
assert len(r.tail_risk) == 2 * len(br.LOSS_KINDS), r.tail_risk.shape
for s in r.strategies:
    for m in br.METRICS:
        mean = r.summary.xs(s, level="strategy")[m].mean()
        assert math.isclose(mean, r.statistics.loc[(s, m), "mean"], rel_tol=1e-12, abs_tol=1e-12), \
            (s, m, mean, r.statistics.loc[(s, m), "mean"])

# Losses: per replica x strategy, in the file's strategy order.
unserved = br.losses(r, "unserved_share")
cost = br.losses(r, "cost_total")
assert list(unserved.columns) == r.strategies and list(unserved.index) == list(replicas)
served = r.summary["served_share"].unstack("strategy")
assert (unserved.to_numpy() == 1.0 - served[r.strategies].to_numpy()).all()
assert (cost.to_numpy() == r.summary["cost_total"].unstack("strategy")[r.strategies].to_numpy()).all()
assert (unserved.to_numpy() >= 0).all() and (unserved.to_numpy() <= 1).all()
try:
    br.losses(r, "served_share")
    raise AssertionError("losses accepted an unknown kind")
except ValueError as error:
    assert "served_share" in str(error), error

# VaR and CVaR computed here are the simulator's, to 1e-12 (relative to the loss's scale).
for kind, table in (("unserved_share", unserved), ("cost_total", cost)):
    for s in r.strategies:
        for alpha, name in ((0.95, "95"), (0.99, "99")):
            row = r.tail_risk.loc[(s, kind)]
            for ours, theirs in ((br.cvar(table[s], alpha), row["cvar" + name]),
                                 (br.var(table[s], alpha), row["var" + name])):
                assert abs(ours - theirs) <= 1e-12 * max(1.0, abs(theirs)), (kind, s, name, ours, theirs)

# CVaR on small samples worked by hand: the boundary observation counts fractionally.
assert br.cvar([1, 2, 3, 4], 0.5) == 3.5
assert math.isclose(br.cvar([1, 2, 3, 4], 0.6), (4 + 0.6 * 3) / 1.6)
assert br.cvar([5, 1, 3], 1.0) == 5 and math.isclose(br.cvar([5, 1, 3], 0.0), 3.0)
assert br.var([1, 2, 3, 4], 0.5) == 2 and br.var([1, 2, 3, 4], 0.51) == 3

# ECDF and bootstrap.
x, p = br.ecdf(cost["one basket"])
assert (np.diff(x) >= 0).all() and p[-1] == 1.0 and len(p) == REPLICAS
def cvar95(v):
    return br.cvar(v, 0.95)
interval = br.bootstrap_interval(cost["one basket"], cvar95, resamples=500)
assert interval == br.bootstrap_interval(cost["one basket"], cvar95, resamples=500), "not seeded"
assert interval[0] <= interval[1] and interval[0] >= cost["one basket"].min()

# Time series: present here, with named dimensions.
ts = r.timeseries
assert ts is not None and ts["served_share"].dims == ("replica", "strategy", "time"), ts
assert ts.sizes["replica"] == REPLICAS, ts.sizes

# Without --timeseries there is no time series.
plain = workdir / "no_timeseries.h5"
subprocess.run([baskets, "run", str(source / "scenarios/default.toml"), "-n", "2", "-q",
                "--out", str(plain), "--force"], check=True, capture_output=True)
assert br.load(plain).timeseries is None

# Clear errors, naming the file.
def fails(path, error_type, words):
    try:
        br.load(path)
    except error_type as error:
        assert str(path) in str(error) and words in str(error), error
    else:
        raise AssertionError(f"{path} loaded")

fails(workdir / "missing.h5", FileNotFoundError, "no such results file")
text = workdir / "text.h5"
text.write_text("not HDF5\n")
fails(text, br.ResultsFileError, "not an HDF5 file")
other = workdir / "other.h5"
with h5py.File(other, "w") as f:
    f["x"] = np.arange(3)
fails(other, br.ResultsFileError, "not a baskets results file")
print("baskets_results checks passed")
