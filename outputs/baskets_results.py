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
    "cost_api", "cost_hardware", "cost_switching", "cost_total", "quality_adjusted_output",
    "quality_gap",
)

#: The losses of the tail_risk group (larger is worse) and the metric each is read from.
LOSS_KINDS = ("unserved_share", "cost_total")

_GROUPS = ("statistics", "tail_risk")


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
    timeseries:   the ``timeseries`` group (dims replica, strategy, provider, government, time),
                  read lazily; None when the run had no ``--timeseries``.
    provenance:   the root attributes (program_version, git_commit, seed, status, ...).
    scenario_text: the full scenario file the run used.
    """

    path: pathlib.Path
    summary: pd.DataFrame
    statistics: pd.DataFrame
    tail_risk: pd.DataFrame
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


def _check_layout(path: pathlib.Path) -> tuple[dict, str, bool]:
    """Checks the file with h5py; returns (provenance, scenario_text, has_timeseries)."""
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ResultsFileError(f"{path}: not an HDF5 file, or unreadable ({error})") from None
    with file:
        def fail(what):
            raise ResultsFileError(f"{path}: not a baskets results file: {what}")

        if _plain(file.attrs.get("program")) != "baskets":
            fail("its root attribute 'program' is not 'baskets'")
        for name in ("replica", "strategy", *METRICS):
            if name not in file:
                fail(f"no '{name}' in the root group")
        for group in _GROUPS:
            if not isinstance(file.get(group), h5py.Group):
                fail(f"no '{group}' group")
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

    def table(group=None):
        with xr.open_dataset(path, engine=ENGINE, group=group) as ds:
            return ds.load().to_dataframe()

    summary = table()
    # Keep the file's strategy order (the first is the reference), not an alphabetical one.
    statistics = table("statistics")
    tail_risk = table("tail_risk")
    timeseries = xr.open_dataset(path, engine=ENGINE, group="timeseries") if has_timeseries else None
    return Results(path, summary, statistics, tail_risk, timeseries, provenance, scenario_text)


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
