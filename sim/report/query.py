"""Aggregates of incident tables, computed by DuckDB over Parquet (or a DataFrame).

A results folder can hold millions of incident rows; charts never get them. Each
function here returns a small table: histogram bins, ECDF points (quantiles at fixed
probabilities), per-cell sweep curves. Only *real* incidents count (``noise`` rows are
false-positive pages), as in ``gameday compare``; durations are minutes.

Confidence intervals of the sweep curves are per-replication (cluster) intervals by the
delta method — a normal approximation, cheap enough for every cell of a grid. The
compare summary's intervals (cluster bootstrap, ``summary.json``) are used as they are.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from sim.metrics.measures import statistic

from .folder import ResultsError

__all__ = [
    "Source",
    "incident_counts",
    "sweep_curves",
    "ttr_ecdf",
    "ttr_histogram",
    "write_csv",
]

#: A Parquet file, a glob of hive-partitioned Parquet files, or rows in memory.
Source = Path | str | pd.DataFrame
REAL = "NOT coalesce(noise, false)"
_Z95 = 1.959963984540054


@contextmanager
def _incidents(source: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection with the view ``incidents`` over ``source``."""
    con = duckdb.connect(config={"threads": 2})
    try:
        if isinstance(source, pd.DataFrame):
            con.register("incidents", source)
        else:
            hive = isinstance(source, str) and "*" in source
            con.read_parquet(str(source), hive_partitioning=hive).create_view("incidents")
        yield con
    except duckdb.Error as exc:  # a damaged or foreign Parquet file is bad input
        raise ResultsError(f"{source}: cannot read the incident rows ({exc})") from None
    finally:
        con.close()


def _strategy_filter(strategies: Sequence[str] | None) -> tuple[str, list[Any]]:
    if not strategies:
        return "", []
    marks = ", ".join("?" for _ in strategies)
    return f" AND strategy IN ({marks})", list(strategies)


def ttr_histogram(
    source: Source, strategies: Sequence[str] | None = None, *, bins_per_decade: int = 8
) -> pd.DataFrame:
    """TTR histogram per strategy on log-spaced bins.

    Columns: ``strategy, lo, hi`` (bin edges, minutes), ``count``, ``share`` (of the
    strategy's mitigated incidents). Durations of 0 are left out (no log).
    """
    where, params = _strategy_filter(strategies)
    sql = f"""
        WITH b AS (
            SELECT strategy, floor(log10(ttr) * {int(bins_per_decade)}) AS bin
            FROM incidents WHERE {REAL} AND ttr > 0 {where}
        )
        SELECT strategy, bin, count(*) AS count,
               count(*) / sum(count(*)) OVER (PARTITION BY strategy) AS share
        FROM b GROUP BY strategy, bin ORDER BY strategy, bin
    """
    with _incidents(source) as con:
        frame = con.execute(sql, params).df()
    frame["lo"] = 10 ** (frame["bin"] / bins_per_decade)
    frame["hi"] = 10 ** ((frame["bin"] + 1) / bins_per_decade)
    frame["count"] = frame["count"].astype("int64")
    return frame[["strategy", "lo", "hi", "count", "share"]]


def ttr_ecdf(
    source: Source,
    strategies: Sequence[str] | None = None,
    *,
    points: int = 101,
    column: str = "ttr",
) -> pd.DataFrame:
    """The empirical CDF of a duration per strategy, as ``points`` quantiles.

    Columns: ``strategy, minutes, share`` (the share of incidents at or below
    ``minutes``). Exact quantiles from DuckDB, so a million rows become ``points`` rows.
    """
    if column not in ("ttr", "ttd", "tta", "human_minutes"):
        raise ValueError(f"no ECDF for column {column!r}")
    probs = [round(i / (points - 1), 6) for i in range(points)]
    where, params = _strategy_filter(strategies)
    sql = f"""
        SELECT strategy, quantile_cont({column}, {probs!r}) AS q
        FROM incidents WHERE {REAL} AND {column} IS NOT NULL AND NOT isnan({column}) {where}
        GROUP BY strategy
    """
    with _incidents(source) as con:
        found = dict(con.execute(sql, params).fetchall())
    order = [s for s in strategies if s in found] if strategies else sorted(found)
    rows = [(s, found[s]) for s in order]
    out = [
        {"strategy": s, "minutes": float(v), "share": p}
        for s, qs in rows
        for p, v in zip(probs, qs, strict=True)
    ]
    return pd.DataFrame(out, columns=["strategy", "minutes", "share"])


def incident_counts(source: Source) -> pd.DataFrame:
    """Per strategy: ``rows`` (all incident rows), ``incidents`` (real), ``noise``,
    ``unmitigated`` (real, no TTR), ``replications``."""
    sql = f"""
        SELECT strategy, count(*) AS rows,
               count(*) FILTER (WHERE {REAL}) AS incidents,
               count(*) FILTER (WHERE NOT {REAL}) AS noise,
               count(*) FILTER (WHERE {REAL} AND (ttr IS NULL OR isnan(ttr))) AS unmitigated,
               count(DISTINCT replication) AS replications
        FROM incidents GROUP BY strategy ORDER BY strategy
    """
    with _incidents(source) as con:
        return con.execute(sql).df()


def write_csv(source: Source, target: Path) -> Path:
    """All incident rows as CSV (DuckDB streams it; fine for millions of rows)."""
    with _incidents(source) as con:
        con.execute(f"COPY incidents TO '{_quote(str(target))}' (HEADER, DELIMITER ',')")
    return target


def _quote(text: str) -> str:
    return text.replace("'", "''")


# ------------------------------------------------------------------------ sweeps


def _interval(value: float, se: float, upper: float) -> tuple[float, float, float]:
    """``value`` with its normal-approximation 95% interval, clipped to ``[0, upper]``:
    the quantities here (durations, rates, costs) cannot be negative, nor a rate above 1."""
    return value, max(0.0, value - _Z95 * se), min(upper, value + _Z95 * se)


def _ratio_ci(
    num: np.ndarray, den: np.ndarray, upper: float = math.inf
) -> tuple[float, float, float]:
    """Ratio estimator sum(num)/sum(den) over replications, with a cluster delta-method CI."""
    total = float(den.sum())
    if total <= 0:
        return math.nan, math.nan, math.nan
    value = float(num.sum()) / total
    r = num.size
    if r < 2:
        return value, math.nan, math.nan
    resid = num - value * den
    se = math.sqrt(r / (r - 1) * float((resid**2).sum())) / total
    return _interval(value, se, upper)


def _mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    if values.size == 0:
        return math.nan, math.nan, math.nan
    value = float(values.mean())
    if values.size < 2:
        return value, math.nan, math.nan
    se = float(values.std(ddof=1)) / math.sqrt(values.size)
    return _interval(value, se, math.inf)


def sweep_curves(source: Source, params: Sequence[str]) -> pd.DataFrame:
    """Per grid point (``params``) and strategy: MTTR, error rate and cost with 95% CIs.

    Columns: the params, ``strategy``, ``replications``, ``incidents``, ``mttr_mean`` /
    ``_lo`` / ``_hi``, ``mttr_median``, ``mttr_p90``, ``error_rate`` / ``_lo`` / ``_hi``,
    ``cost`` / ``_lo`` / ``_hi`` (outage cost per replication). The intervals treat
    replications as the independent units (ratio estimators, delta method); they are
    clipped to what the quantity can be (not below 0; a rate not above 1).
    """
    keys = ", ".join(f'"{p}"' for p in params)
    group = f"{keys}, strategy" if keys else "strategy"
    per_rep = f"""
        SELECT {group}, replication,
               sum(ttr) FILTER (WHERE {REAL} AND ttr IS NOT NULL AND NOT isnan(ttr)) AS ttr_sum,
               count(*) FILTER (WHERE {REAL} AND ttr IS NOT NULL AND NOT isnan(ttr)) AS mitigated,
               count(*) FILTER (WHERE {REAL}) AS incidents,
               count(*) FILTER (WHERE {REAL} AND errors > 0) AS with_error,
               coalesce(sum(cost) FILTER (WHERE {REAL}), 0) AS cost
        FROM incidents GROUP BY {group}, replication
    """
    durations = f"""
        SELECT {group}, ttr
        FROM incidents WHERE {REAL} AND ttr IS NOT NULL AND NOT isnan(ttr)
    """
    with _incidents(source) as con:
        reps = con.execute(per_rep).df()
        ttr = con.execute(durations).df()
    cols = [*params, "strategy"]
    rows: list[dict[str, Any]] = []
    for key, g in reps.groupby(cols, sort=True, dropna=False):
        values = key if isinstance(key, tuple) else (key,)
        row: dict[str, Any] = dict(zip(cols, values, strict=True))
        num = g["ttr_sum"].fillna(0.0).to_numpy(dtype=float)
        den = g["mitigated"].to_numpy(dtype=float)
        row["replications"] = len(g)
        row["incidents"] = int(g["incidents"].sum())
        row["mttr_mean"], row["mttr_mean_lo"], row["mttr_mean_hi"] = _ratio_ci(num, den)
        err_num = g["with_error"].to_numpy(dtype=float)
        err_den = g["incidents"].to_numpy(dtype=float)
        rate = _ratio_ci(err_num, err_den, upper=1.0)
        row["error_rate"], row["error_rate_lo"], row["error_rate_hi"] = rate
        row["cost"], row["cost_lo"], row["cost_hi"] = _mean_ci(g["cost"].to_numpy(dtype=float))
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    quantiles = (
        ttr.groupby(cols, sort=True, dropna=False)["ttr"]
        .agg(
            mttr_median=lambda v: statistic(v, "median"),
            mttr_p90=lambda v: statistic(v, "p90"),
        )
        .reset_index()
    )
    return frame.merge(quantiles, on=cols, how="left")
