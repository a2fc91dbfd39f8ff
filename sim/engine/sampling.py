"""Turn spec distributions into fast samplers: ``sampler(rng) -> minutes``.

Samplers are built once per replication (closures over precomputed parameters) and
called on the hot path with the incident's or entity's own ``random.Random``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from sim.spec.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    LogNormal,
    Triangular,
    Uniform,
)

__all__ = ["Sampler", "sampler"]

Sampler = Callable[[random.Random], float]

SpecDistribution = Fixed | Exponential | LogNormal | Uniform | Gamma | Empirical | Triangular


def sampler(dist: SpecDistribution, scale: float = 1.0) -> Sampler:
    """A sampler of ``dist`` multiplied by ``scale`` (e.g. a skill or assist factor)."""
    if isinstance(dist, Fixed):
        value = dist.value * scale
        return lambda rng: value
    if isinstance(dist, Exponential):
        rate = 1.0 / (dist.mean * scale) if dist.mean * scale > 0 else math.inf
        return lambda rng: rng.expovariate(rate)
    if isinstance(dist, LogNormal):
        mu = dist.mu + math.log(scale) if scale > 0 else -math.inf
        sigma = dist.sigma
        exp, gauss = math.exp, random.Random.gauss
        return lambda rng: exp(mu + sigma * gauss(rng))
    if isinstance(dist, Uniform):
        low, span = dist.low * scale, (dist.high - dist.low) * scale
        return lambda rng: low + span * rng.random()
    if isinstance(dist, Gamma):
        k, theta = dist.k, dist.theta * scale
        return lambda rng: rng.gammavariate(k, theta)
    if isinstance(dist, Empirical):
        values = [v * scale for v in dist.values]
        n = len(values)
        return lambda rng: values[int(rng.random() * n)]
    if isinstance(dist, Triangular):
        low, high, mode = dist.low * scale, dist.high * scale, dist.mode * scale
        return lambda rng: rng.triangular(low, high, mode)
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover - exhaustive
