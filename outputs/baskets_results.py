"""Read a results file written by ``baskets run SCENARIO --out FILE.h5``.

The file is netCDF4-compatible HDF5, so one line of xarray gives pandas::

    xr.open_dataset("default.h5", engine="h5netcdf").to_dataframe()

This module wraps that, checks that the file is a baskets results file, and adds the few
statistics a notebook needs: losses per strategy, the empirical CDF, VaR and CVaR defined exactly
as the simulator defines them (sim/risk.hpp), and a seeded bootstrap interval::

    import baskets_results as br
    results = br.load("default.h5")
    losses = br.losses(results, "unserved_share")     # replica x strategy
    br.cvar(losses["one basket"], 0.95)               # == results.tail_risk cvar95
    results.providers["provider_revenue"]             # (replica, provider): each API provider

It reads the file of a parameter sweep (``baskets sweep SWEEP.toml --out FILE.h5``, docs/sweeps.md)
too, and says where a second basket pays off::

    sweep = br.load_sweep("pay.h5")
    sweep.points                                      # one row per point: the parameters' values
    br.pay_off(sweep, "served_share", x="cutoff_rate", y="open_model_lag")  # y x x, for a heatmap
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
import warnings
from typing import Callable

import h5py
import numpy as np
import pandas as pd
import xarray as xr

ENGINE = "h5netcdf"

#: The per-replica metrics of the summary table, one column each.
METRICS = (
    "served_share", "unserved_work", "outage_days", "longest_outage_days", "outage_episodes",
    "cost_api", "cost_hardware", "cost_switching", "cost_energy", "cost_total",
    "quality_adjusted_output", "quality_gap",
)

#: The per-replica metrics of each API provider: the providers table's columns are
#: ``provider_<metric>``.
PROVIDER_METRICS = (
    "served_work", "revenue", "market_share", "mean_utilisation", "mean_price", "energy",
    "energy_cost", "capital_cost", "capacity_orders", "final_capacity", "intelligence_per_kwh",
)

#: The losses of the tail_risk group (larger is worse) and the metric each is read from.
LOSS_KINDS = ("unserved_share", "cost_total")

_GROUPS = ("statistics", "tail_risk", "providers")

#: The metrics of a sweep file's sensitivity group.
SENSITIVITY_METRICS = (
    "served_share", "outage_days", "cost_total", "quality_gap", "quality_adjusted_output",
)

_SWEEP_GROUPS = ("points", "parameters", "statistics", "tail_risk", "sensitivity", "providers")
_SWEEP_ATTRIBUTES = ("design", "points", "points_complete", "replicas_per_point")


class ResultsFileError(ValueError):
    """The file exists but is not a (readable) baskets results file."""


@dataclasses.dataclass(frozen=True)
class Results:
    """One results file, loaded.

    summary:      one row per (replica, strategy), one column per metric (and ``seed``).
    statistics:   one row per (strategy, metric): mean, standard_error, ci95_*, p5..p99 and the
                  paired difference against the first strategy (paired_*, probability_better).
    tail_risk:    one row per (strategy, loss): var95, cvar95, var99, cvar99; the per-strategy
                  probability_long_outage is repeated on each loss row.
    providers:    one row per (replica, provider), one column per provider metric
                  (``provider_revenue``, ...); providers are the API providers, hyperscalers
                  first, then the open labs' hosted APIs.
    timeseries:   the ``timeseries`` group (dims replica, strategy, provider, government, time),
                  read lazily; None when the run had no ``--timeseries``.
    provenance:   the root attributes (program_version, git_commit, seed, status, ...).
    scenario_text: the full scenario file the run used.
    """

    path: pathlib.Path
    summary: pd.DataFrame
    statistics: pd.DataFrame
    tail_risk: pd.DataFrame
    providers: pd.DataFrame
    timeseries: xr.Dataset | None
    provenance: dict
    scenario_text: str

    @property
    def strategies(self) -> list[str]:
        """Strategy names in the file's order; the first is the reference of paired_*."""
        return list(self.summary.index.get_level_values("strategy").unique())

    @property
    def complete(self) -> bool:
        """False when the run was interrupted and the file holds only the completed replicas."""
        return self.provenance.get("status") == "complete"


def _plain(value):
    """An HDF5 attribute as a plain Python value (str, int, float, or a list of them)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        items = [_plain(v) for v in value.tolist()]
        return items[0] if len(items) == 1 else items
    if isinstance(value, np.generic):
        return value.item()
    return value


# What a file that is not of the kind asked for is, and which function reads it.
_OTHER_KIND = {
    "run": ("the results file of a run, not of a sweep", "load"),
    "sweep": ("the file of a parameter sweep (file_kind 'sweep'), not of a run", "load_sweep"),
}


def _open_checked(path: pathlib.Path, kind: str) -> h5py.File:
    """Opens a baskets file of `kind` ("run" or "sweep") with h5py, or says what it is instead."""
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ResultsFileError(f"{path}: not an HDF5 file, or unreadable ({error})") from None
    name = "results file" if kind == "run" else "sweep file"
    found = _plain(file.attrs.get("file_kind", "run"))  # files from before sweeps have none
    problem = None
    if _plain(file.attrs.get("program")) != "baskets":
        problem = f"not a baskets {name}: its root attribute 'program' is not 'baskets'"
    elif found != kind and found in _OTHER_KIND:
        what, reader = _OTHER_KIND[found]
        problem = f"{what}: read it with baskets_results.{reader}({str(path)!r})"
    elif found != kind:
        problem = f"not a baskets {name}: its root attribute 'file_kind' is {found!r}, not {kind!r}"
    if problem:
        file.close()
        raise ResultsFileError(f"{path}: {problem}")
    return file


def _check_providers(file: h5py.File, dims: tuple, fail: Callable[[str], None]) -> None:
    """Fails unless the providers group holds `dims` (those it shares with the root group), the
    provider dimension and one variable per provider metric: the same table in both files."""
    for name in (*dims, "provider", *(f"provider_{m}" for m in PROVIDER_METRICS)):
        if name not in file["providers"]:
            fail(f"no '{name}' in the providers group")


def _check_layout(path: pathlib.Path) -> tuple[dict, str, bool]:
    """Checks the file with h5py; returns (provenance, scenario_text, has_timeseries)."""
    with _open_checked(path, "run") as file:
        def fail(what):
            raise ResultsFileError(f"{path}: not a baskets results file: {what}")

        for name in ("replica", "strategy", *METRICS):
            if name not in file:
                fail(f"no '{name}' in the root group")
        for group in _GROUPS:
            if not isinstance(file.get(group), h5py.Group):
                fail(f"no '{group}' group")
        _check_providers(file, ("replica",), fail)
        provenance = {k: _plain(v) for k, v in file.attrs.items() if not k.startswith("_")}
        text = file.get("provenance/scenario_text")
        scenario_text = _plain(text[()]) if text is not None else ""
        return provenance, scenario_text, isinstance(file.get("timeseries"), h5py.Group)


def load(path) -> Results:
    """Loads a results file written by ``baskets run --out``.

    Raises FileNotFoundError when there is no file at `path`, and ResultsFileError (naming the
    file and what is wrong) when it is not a baskets results file. Warns when the run was
    interrupted (status "partial"): the statistics then cover only the completed replicas.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such results file (write one with "
            f"`baskets run SCENARIO --out {path}`)")
    provenance, scenario_text, has_timeseries = _check_layout(path)
    if provenance.get("status") != "complete":
        warnings.warn(f"{path}: partial run ({provenance.get('partial_reason') or 'no reason'}): "
                      f"{provenance.get('replicas_completed')} of "
                      f"{provenance.get('replicas_requested')} replicas", stacklevel=2)

    def table(group=None, dims=None):
        with xr.open_dataset(path, engine=ENGINE, group=group) as ds:
            return ds.load().to_dataframe(dim_order=dims)

    summary = table()
    # Keep the file's strategy order (the first is the reference), not an alphabetical one.
    statistics = table("statistics")
    tail_risk = table("tail_risk")
    providers = table("providers", ["replica", "provider"])
    timeseries = xr.open_dataset(path, engine=ENGINE, group="timeseries") if has_timeseries else None
    return Results(path, summary, statistics, tail_risk, providers, timeseries, provenance,
                   scenario_text)


def losses(results: Results, kind: str) -> pd.DataFrame:
    """Losses per replica (rows) and strategy (columns, in the file's order); larger is worse.

    kind "unserved_share": 1 - served_share; kind "cost_total": cost_total (currency per buyer).
    These are the losses behind the file's tail_risk group.
    """
    if kind == "unserved_share":
        table = 1.0 - results.summary["served_share"].unstack("strategy")
    elif kind == "cost_total":
        table = results.summary["cost_total"].unstack("strategy")
    else:
        raise ValueError(f"losses: unknown kind {kind!r}; expected one of {LOSS_KINDS}")
    table = table[results.strategies]
    table.columns.name = "strategy"
    return table


def _sample(values, what: str) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise ValueError(f"{what}: empty sample")
    if np.isnan(x).any():
        raise ValueError(f"{what}: NaN in the sample")
    return x


def _level(alpha: float, what: str) -> None:
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"{what}: level {alpha} outside [0, 1]")


def _snap_to_count(x: float, n: int) -> float:
    # As in sim/risk.cpp: 0.95 * 1000 means 950 observations, not 950.0000000000001.
    nearest = round(x)
    return float(nearest) if abs(x - nearest) <= 1e-12 * n else x


def ecdf(values) -> tuple[np.ndarray, np.ndarray]:
    """The empirical CDF: (x sorted ascending, P(X <= x) = 1/n, 2/n, ..., 1).

    Draw it with ``plt.step(x, p, where="post")``.
    """
    x = np.sort(_sample(values, "ecdf"))
    return x, np.arange(1, x.size + 1) / x.size


def var(values, alpha: float) -> float:
    """Value-at-risk of a loss sample: the smallest loss l with P(L <= l) >= alpha.

    The order statistic L_(ceil(alpha n)), as the simulator computes it (no interpolation).
    """
    x = np.sort(_sample(values, "var"))
    _level(alpha, "var")
    rank = math.ceil(_snap_to_count(alpha * x.size, x.size))
    return float(x[min(max(rank, 1), x.size) - 1])


def cvar(values, alpha: float) -> float:
    """Conditional value-at-risk (expected shortfall) of a loss sample at level alpha.

    The mean of the worst (1 - alpha) share of the replicas, the boundary observation counted
    fractionally: with m = (1 - alpha) n and k = floor(m), (sum of the k largest + (m - k) * the
    (k+1)-th largest) / m. The largest loss at alpha = 1. Agrees with the file's tail_risk
    cvar95 / cvar99, which the simulator computes the same way.
    """
    x = np.sort(_sample(values, "cvar"))[::-1]
    _level(alpha, "cvar")
    n = x.size
    tail = _snap_to_count((1.0 - alpha) * n, n)
    if tail == 0.0:
        return float(x[0])
    whole = min(math.floor(tail), n)
    total = 0.0
    for i in range(whole):  # largest first, one at a time, as the simulator sums
        total += float(x[i])
    if whole < n:
        total += (tail - whole) * float(x[whole])
    return total / tail


def bootstrap_interval(values, statistic: Callable[[np.ndarray], float], level: float = 0.95,
                       resamples: int = 2000, seed: int = 20240601) -> tuple[float, float]:
    """A percentile bootstrap interval for statistic(values), e.g. ``lambda x: cvar(x, 0.95)``.

    Resamples the replicas with replacement `resamples` times from a generator seeded with `seed`,
    so the same values always give the same interval. Returns (low, high).
    """
    x = _sample(values, "bootstrap_interval")
    if not 0.0 < level < 1.0:
        raise ValueError(f"bootstrap_interval: level {level} outside (0, 1)")
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, x.size, size=(resamples, x.size))
    stats = np.array([statistic(x[row]) for row in draws])
    low, high = np.quantile(stats, [(1.0 - level) / 2.0, (1.0 + level) / 2.0])
    return float(low), float(high)


# Sweep files ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SweepResults:
    """One sweep file (``baskets sweep SWEEP.toml --out FILE.h5``, docs/sweeps.md), loaded.

    rows:         one row per (point, replica, strategy) that ran, one column per metric; the
                  file's NaN rows of replicas that did not run (points not complete, failed
                  replicas) are left out. Join the parameters with
                  ``rows.join(points, on="point")``.
    points:       one row per point: one column per parameter (in the sweep's order), then
                  ``complete`` (bool: all the point's replicas ran) and ``replicas_completed``.
    parameters:   one row per parameter name: ``path`` (the scenario keys, joined by ", "),
                  ``scale`` (linear or log for a range, "values" for a grid's list of values),
                  ``low``, ``high`` (the range, or the smallest and largest value).
    statistics:   one row per (point, strategy, metric): the run file's statistics at each point,
                  paired_* against the first strategy on common random numbers; NaN at a point
                  not complete.
    tail_risk:    one row per (point, strategy, loss): var95, cvar95, var99, cvar99; the
                  per-(point, strategy) probability_long_outage is repeated on each loss row.
    providers:    one row per (point, replica, provider) that ran, one column per provider
                  metric (``provider_revenue``, ...), as a run's providers table; rows of
                  replicas that did not run are left out, as in ``rows``.
    sensitivity:  one row per (parameter, strategy, metric, response): spearman, main_effect
                  (grid designs), sobol_first, sobol_total (saltelli designs); NaN where the
                  design does not give it. Response "mean" is the point's mean of the metric,
                  "paired_difference" its paired difference against the first strategy.
    provenance:   the root attributes (design, points, points_complete, replicas_per_point, seed,
                  fingerprint, program_version, ...).
    scenario_text, sweep_text: the base scenario and the sweep file the sweep used.
    strategies:   strategy names in the file's order; the first is the reference of paired_*.
    """

    path: pathlib.Path
    rows: pd.DataFrame
    points: pd.DataFrame
    parameters: pd.DataFrame
    statistics: pd.DataFrame
    tail_risk: pd.DataFrame
    providers: pd.DataFrame
    sensitivity: pd.DataFrame
    provenance: dict
    scenario_text: str
    sweep_text: str
    strategies: list

    @property
    def complete(self) -> bool:
        """False when some point did not run all its replicas (interrupted sweep, shard file)."""
        return self.provenance.get("points_complete") == self.provenance.get("points")

    @property
    def design(self) -> str:
        """grid, sobol, uniform or saltelli."""
        return self.provenance.get("design", "")


def _check_sweep_layout(path: pathlib.Path) -> tuple[dict, str, str]:
    """Checks the file with h5py; returns (provenance, scenario_text, sweep_text)."""
    with _open_checked(path, "sweep") as file:
        def fail(what):
            raise ResultsFileError(f"{path}: not a baskets sweep file: {what}")

        for name in _SWEEP_ATTRIBUTES:
            if name not in file.attrs:
                fail(f"no root attribute '{name}'")
        for name in ("point", "replica", "strategy", *METRICS, "completed"):
            if name not in file:
                fail(f"no '{name}' in the root group")
        for group in (*_SWEEP_GROUPS, "provenance"):
            if not isinstance(file.get(group), h5py.Group):
                fail(f"no '{group}' group")
        _check_providers(file, ("point", "replica"), fail)
        provenance = {k: _plain(v) for k, v in file.attrs.items() if not k.startswith("_")}

        def text(name):
            item = file.get(f"provenance/{name}")
            return _plain(item[()]) if item is not None else ""

        return provenance, text("scenario_text"), text("sweep_text")


def load_sweep(path) -> SweepResults:
    """Loads the file of a parameter sweep written by ``baskets sweep --out``.

    Raises FileNotFoundError when there is no file at `path`, and ResultsFileError (naming the
    file and what is wrong) when it is not a baskets sweep file; the results file of a run is
    read with `load`. Warns when some points are not complete (an interrupted sweep, or one
    shard of a sweep): their statistics are NaN and they have no rows.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: no such sweep file (write one with "
            f"`baskets sweep SWEEP.toml --out {path}`)")
    provenance, scenario_text, sweep_text = _check_sweep_layout(path)
    points_total, points_complete = provenance.get("points"), provenance.get("points_complete")
    if points_complete != points_total:
        shard = provenance.get("shard") or ""
        how = (f"shard {shard}: join the shards with `baskets merge`" if shard else
               "continue it with `baskets sweep ... --resume`")
        warnings.warn(f"{path}: {points_complete} of {points_total} points complete ({how}); "
                      f"the others have no rows and NaN statistics", stacklevel=2)

    def table(group, dims):
        # Dimensions named explicitly: the index levels are those of docs/sweeps.md whatever
        # order xarray meets them in. Coordinates keep the file's order (strategies unsorted).
        with xr.open_dataset(path, engine=ENGINE, group=group) as ds:
            return ds.load().to_dataframe(dim_order=list(dims))

    with xr.open_dataset(path, engine=ENGINE) as file:
        root = file.load()
    strategies = [str(s) for s in root["strategy"].values]
    # 1 where the replica ran at the point, over (point, replica): every sweep file has it (it
    # came with the first, schema 1). One mask for both tables, so that they hold the same
    # replicas; the rows and provider rows of the others are NaN.
    ran = root["completed"].to_series() == 1
    rows = root.drop_vars("completed").to_dataframe(dim_order=["point", "replica", "strategy"])

    def that_ran(frame, other_dim):
        return frame[ran.reindex(frame.index.droplevel(other_dim)).to_numpy()]

    rows = that_ran(rows, "strategy")
    providers = that_ran(table("providers", ["point", "replica", "provider"]), "provider")

    parameters = table("parameters", ["parameter"])
    points = table("points", ["point"])
    names = list(parameters.index)
    points["complete"] = points["complete"].astype(bool)
    points["replicas_completed"] = points["replicas_completed"].astype(np.int64)
    points = points[names + [c for c in points.columns if c not in names]]

    statistics = table("statistics", ["point", "strategy", "metric"])
    tail_risk = table("tail_risk", ["point", "strategy", "loss"])
    sensitivity = table("sensitivity", ["parameter", "strategy", "metric", "response"])
    return SweepResults(path, rows, points, parameters, statistics, tail_risk, providers,
                        sensitivity, provenance, scenario_text, sweep_text, strategies)


def _bin_centres(values: pd.Series, parameter: pd.Series,
                 bins: int) -> tuple[pd.Series, np.ndarray]:
    """Each value replaced by the centre of its bin, and all the centres: `bins` equal bins from
    the parameter's low to its high on its scale (log: equal ratios, geometric centres)."""
    low, high = float(parameter["low"]), float(parameter["high"])
    log = parameter["scale"] == "log"
    forward, back = (np.log, np.exp) if log else ((lambda v: v), (lambda v: v))
    edges = np.linspace(forward(low), forward(high), bins + 1)
    centres = back((edges[:-1] + edges[1:]) / 2.0)
    # The last bin is closed on the right, so that `high` falls in it.
    index = np.clip(np.searchsorted(edges, forward(values.to_numpy(dtype=float)), "right") - 1,
                    0, bins - 1)
    return pd.Series(centres[index], index=values.index, name=values.name), centres


def pay_off(sweep: SweepResults, metric: str = "served_share", x: str | None = None,
            y: str | None = None, strategy: str | None = None, at: dict | None = None,
            bins: int | None = None) -> pd.DataFrame:
    """Where a strategy pays off: its paired difference against the first strategy over two
    parameters, as a table ready for a heatmap (rows: y's values ascending, columns: x's).

    Each cell is the mean, over the complete points with those values of x and y, of the file's
    ``paired_difference`` (`strategy` minus the first strategy, for `metric`, each point's mean
    over its replicas on common random numbers): the other parameters are averaged over, except
    those fixed by `at` ({name: value}, values as in ``sweep.points``). A cell with no complete
    point is NaN. The sign is the metric's: for served_share a positive cell means the strategy
    serves more than the first; for costs and outages, that it costs or loses more.

    x, y: parameter names (default: the first two parameters). strategy: default the second.
    bins: for designs that are not grids, whose points do not repeat values, each axis is cut
    into `bins` equal bins on the parameter's scale (default 5) and labelled by the bins'
    centres; for a grid the default keeps the grid's values.
    """
    names = list(sweep.parameters.index)
    if len(names) < 2 and (x is None or y is None):
        raise ValueError(f"pay_off: the sweep has {len(names)} parameter(s); a heatmap needs two")
    x = names[0] if x is None else x
    y = (names[1] if names[1] != x else names[0]) if y is None else y
    for name in (x, y, *(at or {})):
        if name not in names:
            raise ValueError(f"pay_off: no parameter {name!r}; the sweep's are {names}")
    if x == y:
        raise ValueError(f"pay_off: x and y are both {x!r}")
    if len(sweep.strategies) < 2:
        raise ValueError("pay_off: the sweep has one strategy; nothing to compare it with")
    strategy = sweep.strategies[1] if strategy is None else strategy
    if strategy not in sweep.strategies:
        raise ValueError(f"pay_off: no strategy {strategy!r}; the sweep's are {sweep.strategies}")
    known = sweep.statistics.index.get_level_values("metric").unique()
    if metric not in known:
        raise ValueError(f"pay_off: no metric {metric!r}; expected one of {list(known)}")

    points = sweep.points
    for name, value in (at or {}).items():
        column = points[name]
        chosen = (np.isclose(column.to_numpy(dtype=float), float(value), rtol=1e-9, atol=0.0)
                  if pd.api.types.is_numeric_dtype(column) else (column == value).to_numpy())
        if not chosen.any():
            raise ValueError(f"pay_off: no point with {name} = {value!r}; its values are "
                             f"{sorted(sweep.points[name].unique())}")
        points = points[chosen]
    if bins is None and sweep.design != "grid":
        bins = 5
    axes = points[[x, y]]
    # Every value of the axes (every bin), with or without a complete point, so that the table's
    # shape does not change while a sweep runs.
    values = {n: np.sort(axes[n].unique()) for n in (x, y)}
    if bins is not None:
        if bins < 1:
            raise ValueError(f"pay_off: bins = {bins}; at least 1")
        binned = {n: _bin_centres(axes[n], sweep.parameters.loc[n], bins) for n in (x, y)}
        axes = pd.concat([binned[n][0] for n in (x, y)], axis=1)
        values = {n: binned[n][1] for n in (x, y)}
    difference = sweep.statistics.xs((strategy, metric), level=("strategy", "metric"))
    table = axes[points["complete"]].join(difference["paired_difference"])
    cells = table.groupby([y, x])["paired_difference"].mean().unstack(x)
    cells = cells.reindex(index=values[y], columns=values[x])
    cells.index.name, cells.columns.name = y, x
    return cells


def centred_limits(table) -> tuple[float, float]:
    """(vmin, vmax) symmetric about 0 for a diverging colormap: ``imshow(..., cmap="RdBu",
    vmin=vmin, vmax=vmax)`` draws 0 white whatever the sign of the values (which
    matplotlib's TwoSlopeNorm refuses when all the values have one sign). NaN is ignored;
    (-1, 1) when there is no nonzero value."""
    values = np.abs(np.asarray(table, dtype=float))
    largest = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    if not largest > 0.0:
        largest = 1.0
    return -largest, largest
