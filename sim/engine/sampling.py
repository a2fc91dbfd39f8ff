"""Turn spec distributions into fast inverse-CDF samplers: ``sampler(u) -> minutes``.

Every sample is the distribution's quantile at one uniform number ``u`` in [0, 1).
One uniform per sample, always, is what makes common random numbers work across
strategies: the same step of the same incident gets the same ``u`` whether a human or
automation performs it, so a step that is slow for one is slow (quantile-wise) for the
other, and the paired difference between strategies loses most of its noise.
Samplers are built once per scenario and called on the hot path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

try:  # the C quantile behind ``NormalDist.inv_cdf``, minus its Python wrapper and checks
    from statistics import _normal_dist_inv_cdf as _normal_quantile  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - every CPython since 3.9 has it
    _normal_quantile = None

from sim.spec.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Triangular,
    Uniform,
    Weibull,
)

__all__ = ["Sampler", "sampler"]

Sampler = Callable[[float], float]

SpecDistribution = (
    Fixed | Exponential | LogNormal | Uniform | Gamma | Weibull | Empirical | Triangular
)

# Keep u strictly inside (0, 1): quantile functions are infinite at the ends.
_EPS = 1e-16
_probit = NormalDist().inv_cdf


_HI = 1.0 - _EPS


def _clip(u: float) -> float:
    return _EPS if u < _EPS else (_HI if u > _HI else u)


def sampler(dist: SpecDistribution, scale: float = 1.0) -> Sampler:
    """The quantile function of ``dist`` multiplied by ``scale`` (a skill or assist factor)."""
    if isinstance(dist, Fixed):
        value = dist.value * scale
        return lambda u: value
    if isinstance(dist, Exponential):
        mean = dist.mean * scale
        log1p = math.log1p
        # _clip inlined in the hot samplers: one Python call less per sample.
        return lambda u: -mean * log1p(-(_EPS if u < _EPS else (_HI if u > _HI else u)))
    if isinstance(dist, LogNormal):
        if scale <= 0:
            return lambda u: 0.0
        mu, sigma, exp = dist.mu + math.log(scale), dist.sigma, math.exp
        if _normal_quantile is not None:
            # The same value as below (it computes ``mu + q * sigma``), one call fewer.
            q = _normal_quantile
            return lambda u: exp(q(_EPS if u < _EPS else (_HI if u > _HI else u), mu, sigma))
        return lambda u: exp(mu + sigma * _probit(_EPS if u < _EPS else (_HI if u > _HI else u)))
    if isinstance(dist, Uniform):
        low, span = dist.low * scale, (dist.high - dist.low) * scale
        return lambda u: low + span * u
    if isinstance(dist, Gamma):
        # Exact gamma quantiles need the inverse incomplete gamma function; scipy has a
        # well-tested one, imported only when a scenario uses a gamma distribution.
        from scipy.special import gammaincinv

        k, theta = dist.k, dist.theta * scale
        return lambda u: float(gammaincinv(k, _clip(u))) * theta
    if isinstance(dist, Weibull):
        lam, inv_k, log1p = dist.scale * scale, 1.0 / dist.shape, math.log1p
        return lambda u: lam * (-log1p(-_clip(u))) ** inv_k
    if isinstance(dist, Empirical):
        values = sorted(v * scale for v in dist.values)
        n = len(values)
        return lambda u: values[min(int(u * n), n - 1)]
    if isinstance(dist, Triangular):
        a, c, b = dist.low * scale, dist.mode * scale, dist.high * scale
        split = (c - a) / (b - a)
        sqrt = math.sqrt

        def triangular(u: float) -> float:
            if u < split:
                return a + sqrt(u * (b - a) * (c - a))
            return b - sqrt((1.0 - u) * (b - a) * (b - c))

        return triangular
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover - exhaustive
