"""Kaplan–Meier estimates of the TTR distribution, with censored incidents.

An incident whose user impact had not ended at the horizon has no TTR; leaving it out
(as MTTR, median and p90 over the mitigated incidents do) biases them low when many are
censored. The Kaplan–Meier estimator uses it as "at least ``ttr_observed``" instead.
``scipy.stats.ecdf`` computes the survival function and its pointwise 95% interval
(``log-log`` method); a quantile's interval is where the band crosses the level
(Brookmeyer–Crowley style). A quantile the curve never reaches (too much censoring) is
NaN, as is an interval end the band never reaches.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["KM_QUANTILES", "km_quantiles"]

#: The quantiles reported, by name.
KM_QUANTILES = {"median": 0.5, "p90": 0.9}


def _first_below(times: NDArray[np.float64], survival: NDArray[np.float64], level: float) -> float:
    """The first time the survival curve is at or below ``level`` (NaN: never)."""
    below = np.nonzero(survival <= level + 1e-12)[0]
    return float(times[below[0]]) if below.size else math.nan


def km_quantiles(observed: ArrayLike, censored: ArrayLike) -> dict[str, Any]:
    """``{"n", "censored", "median": {"value", "ci95"}, "p90": {...}}`` of the TTR.

    ``observed``: the TTR, or for a censored incident the time seen (horizon - onset);
    ``censored``: True where the incident was still open. NaN observations are dropped.
    """
    from scipy.stats import CensoredData, ecdf  # imported here: scipy is slow to import

    times = np.asarray(observed, dtype=np.float64)
    cens = np.asarray(censored, dtype=bool)
    keep = ~np.isnan(times)
    times, cens = times[keep], cens[keep]
    out: dict[str, Any] = {"n": int(times.size), "censored": int(cens.sum())}
    if not (~cens).any():
        for name in KM_QUANTILES:
            out[name] = {"value": math.nan, "ci95": [math.nan, math.nan]}
        return out
    result = ecdf(CensoredData(uncensored=times[~cens], right=times[cens]))
    sf = result.sf
    with warnings.catch_warnings():
        # Undefined at the last observations (survival 0): those band ends are NaN,
        # read below as "never crosses".
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(0.95, method="log-log")
    at = sf.quantiles
    for name, q in KM_QUANTILES.items():
        level = 1.0 - q
        value = _first_below(at, sf.probabilities, level)
        # The upper survival band crosses later (the interval's high end), the lower earlier.
        lo = _first_below(at, np.nan_to_num(band.low.probabilities, nan=0.0), level)
        hi = _first_below(at, np.nan_to_num(band.high.probabilities, nan=1.0), level)
        out[name] = {"value": value, "ci95": [lo, hi]}
    return out
