"""What the bootstrap statistics return: a point estimate with its 95% interval, and a
paired difference with its context (``stats`` computes them)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .resampling import _LEVEL, FloatArray

__all__ = ["Estimate", "PairedEstimate"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95% confidence interval ``[lo, hi]``.

    ``lo <= value <= hi`` whenever the value is finite; NaN everywhere means "no data".
    """

    value: float
    lo: float
    hi: float

    def to_dict(self) -> dict[str, Any]:
        """``{"value": v, "ci95": [lo, hi]}`` (NaN stays NaN, as in ``sim.metrics``)."""
        return {"value": self.value, "ci95": [self.lo, self.hi]}

    @classmethod
    def nan(cls) -> Estimate:
        """The estimate of a statistic over no data."""
        return cls(math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class PairedEstimate(Estimate):
    """The difference ``b - a`` of a statistic (``value, lo, hi``) plus context.

    ``relative_pct`` is the relative change ``100 * (b / a - 1)`` with its own percentile
    interval (NaN when ``a`` is 0); ``se`` is the bootstrap standard error of the difference.
    """

    relative_pct: Estimate
    a: float
    b: float
    se: float
    stat: str
    n_replications: int
    paired: bool

    def to_dict(self) -> dict[str, Any]:
        """The difference as ``{"value", "ci95"}`` plus the context fields."""
        out = super().to_dict()
        out.update(
            relative_pct=self.relative_pct.to_dict(),
            a=self.a,
            b=self.b,
            se=self.se,
            stat=self.stat,
            n_replications=self.n_replications,
            paired=self.paired,
        )
        return out


def _percentile_ci(reps: FloatArray, value: float) -> tuple[float, float]:
    """The 2.5% and 97.5% percentiles of the finite replicates, widened to include ``value``.

    Replicates that are undefined (e.g. a geometric mean of a resample without a positive
    value) are left out: the interval is conditional on the statistic existing. The widening
    only matters for floating-point rounding (all-equal data) or for a biased statistic at a
    handful of values, and guarantees ``lo <= value <= hi``.
    """
    finite = reps[np.isfinite(reps)]
    if finite.size == 0:
        return (value, value) if math.isfinite(value) else (math.nan, math.nan)
    lo, hi = (float(v) for v in np.percentile(finite, [50 * (1 - _LEVEL), 50 * (1 + _LEVEL)]))
    if math.isfinite(value):
        lo, hi = min(lo, value), max(hi, value)
    return lo, hi


def _estimate(value: float, reps: FloatArray) -> Estimate:
    lo, hi = _percentile_ci(reps, value)
    return Estimate(value, lo, hi)
