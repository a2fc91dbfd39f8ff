"""Probability distributions of durations (all in minutes).

A distribution is written as a mapping with a ``dist`` tag, for example::

    ack_time: {dist: lognormal, median: 4m, p90: 20m}
    tbf: {dist: exponential, mean: 30d}

or as a bare duration (``ack_time: 5m``), which means ``{dist: fixed, value: 5m}``.
The spec only *describes* distributions and knows their moments; sampling lives in
the engine so that the spec stays free of random state.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .units import Duration, DurationInput, PositiveDuration

__all__ = [
    "Z90",
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Triangular",
    "Uniform",
    "Weibull",
]

#: The standard normal 90th percentile; links a log-normal's median and p90.
Z90 = 1.2815515655446004


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Fixed(_Dist):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: Duration

    @property
    def mean(self) -> float:
        return self.value


class Exponential(_Dist):
    """Memoryless waiting time with the given mean (e.g. Poisson failure arrivals)."""

    dist: Literal["exponential"] = "exponential"
    mean_: PositiveDuration = Field(alias="mean")

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, populate_by_name=True
    )

    @property
    def mean(self) -> float:
        return self.mean_


class LogNormal(_Dist):
    """Heavy-tailed durations (repair times): give ``median`` + ``p90``, or ``mean`` + ``cv``.

    ``median``/``p90`` is what people can estimate from experience ("usually 20 minutes,
    one in ten takes over two hours"); ``mean``/``cv`` suits fitted data.
    """

    dist: Literal["lognormal"] = "lognormal"
    median: PositiveDuration | None = None
    p90: PositiveDuration | None = None
    mean_: PositiveDuration | None = Field(default=None, alias="mean")
    cv: float | None = Field(default=None, gt=0, le=20)

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, populate_by_name=True
    )

    @model_validator(mode="after")
    def _one_parameterisation(self) -> Self:
        by_quantiles = self.median is not None or self.p90 is not None
        by_moments = self.mean_ is not None or self.cv is not None
        if by_quantiles and by_moments:
            raise ValueError("give either median+p90 or mean+cv, not both")
        if by_quantiles:
            if self.median is None or self.p90 is None:
                raise ValueError("lognormal by quantiles needs both 'median' and 'p90'")
            if self.p90 <= self.median:
                raise ValueError(
                    f"p90 ({self.p90:g} min) must be greater than median ({self.median:g} min)"
                )
        elif by_moments:
            if self.mean_ is None or self.cv is None:
                raise ValueError("lognormal by moments needs both 'mean' and 'cv'")
        else:
            raise ValueError("lognormal needs 'median' and 'p90' (or 'mean' and 'cv')")
        return self

    @property
    def mu(self) -> float:
        """Mean of the log of the duration."""
        if self.median is not None:
            return math.log(self.median)
        assert self.mean_ is not None
        return math.log(self.mean_) - self.sigma**2 / 2

    @property
    def sigma(self) -> float:
        """Standard deviation of the log of the duration."""
        if self.median is not None and self.p90 is not None:
            return math.log(self.p90 / self.median) / Z90
        assert self.cv is not None
        return math.sqrt(math.log1p(self.cv**2))

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)


class Uniform(_Dist):
    """Any value between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"] = "uniform"
    low: Duration
    high: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.high < self.low:
            raise ValueError(f"high ({self.high:g}) must be >= low ({self.low:g})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2


class Gamma(_Dist):
    """Gamma durations: ``shape`` + ``scale``, or ``mean`` + ``cv``."""

    dist: Literal["gamma"] = "gamma"
    shape: float | None = Field(default=None, gt=0)
    scale: PositiveDuration | None = None
    mean_: PositiveDuration | None = Field(default=None, alias="mean")
    cv: float | None = Field(default=None, gt=0, le=20)

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, populate_by_name=True
    )

    @model_validator(mode="after")
    def _one_parameterisation(self) -> Self:
        direct = (self.shape, self.scale)
        moments = (self.mean_, self.cv)
        if any(v is not None for v in direct) and any(v is not None for v in moments):
            raise ValueError("give either shape+scale or mean+cv, not both")
        if not (all(v is not None for v in direct) or all(v is not None for v in moments)):
            raise ValueError("gamma needs 'shape' and 'scale' (or 'mean' and 'cv')")
        return self

    @property
    def k(self) -> float:
        """Shape parameter."""
        if self.shape is not None:
            return self.shape
        assert self.cv is not None
        return 1.0 / self.cv**2

    @property
    def theta(self) -> float:
        """Scale parameter in minutes."""
        if self.scale is not None:
            return self.scale
        assert self.mean_ is not None
        return self.mean_ / self.k

    @property
    def mean(self) -> float:
        return self.k * self.theta


class Weibull(_Dist):
    """Weibull durations: ``shape`` (below 1: most short, a long tail; above 1: bunched
    around the scale) and ``scale`` (the 63rd percentile). Fitted repair and
    acknowledgement times (``gameday calibrate``) are often Weibull."""

    dist: Literal["weibull"] = "weibull"
    shape: float = Field(gt=0.05, le=50)
    scale: PositiveDuration

    @property
    def mean(self) -> float:
        return self.scale * math.gamma(1.0 + 1.0 / self.shape)


class Empirical(_Dist):
    """Resample observed durations (e.g. last year's incident repair times)."""

    dist: Literal["empirical"] = "empirical"
    values: list[Duration] = Field(min_length=1, max_length=100_000)

    @property
    def mean(self) -> float:
        return sum(self.values) / len(self.values)


class Triangular(_Dist):
    """Three-point estimate: ``low``, most likely ``mode``, ``high``."""

    dist: Literal["triangular"] = "triangular"
    low: Duration
    mode: Duration
    high: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(
                f"need low <= mode <= high and low < high, got "
                f"{self.low:g} / {self.mode:g} / {self.high:g}"
            )
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


def _bare_duration_is_fixed(value: object) -> object:
    """``5m`` or ``12`` stands for ``{dist: fixed, value: ...}``."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    return value


#: Any of the distributions, chosen by the ``dist`` key.
Distribution = Annotated[
    Fixed | Exponential | LogNormal | Uniform | Gamma | Weibull | Empirical | Triangular,
    Field(discriminator="dist"),
    BeforeValidator(
        _bare_duration_is_fixed,
        json_schema_input_type=DurationInput
        | Fixed
        | Exponential
        | LogNormal
        | Uniform
        | Gamma
        | Weibull
        | Empirical
        | Triangular,
    ),
]
