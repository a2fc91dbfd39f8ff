"""The resampling machinery behind ``sim.experiments.stats`` (vectorised, chunked).

Split from ``stats`` to keep modules small: this holds the generators of bootstrap
replicates — independent values (resampled index matrices; exact order-statistic draws
for quantiles) and clustered values (multiplicity vectors over replications) — while
``stats`` holds the public estimators and their documentation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.metrics.measures import QUANTILE_OF, STATISTICS, statistic

RngLike = np.random.Generator | int

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

_STATS: tuple[str, ...] = STATISTICS
_QUANTILE_OF = QUANTILE_OF
_LEVEL = 0.95
_Z95 = NormalDist().inv_cdf(0.5 + _LEVEL / 2)  # 1.959963984540054
# Elements per chunk of a (resamples x values) work array: ~16 MB of float64, small enough
# for a shared machine, large enough that numpy's per-call overhead is negligible.
_CHUNK_ELEMENTS = 2**21


# --------------------------------------------------------------------------- helpers


def _generator(rng: RngLike) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator or an int seed, not {type(rng).__name__}")


def _values(x: ArrayLike, what: str = "values") -> FloatArray:
    arr = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        # Unmitigated incidents have no TTR: they are censored, and silently dropping them
        # would bias every statistic downwards. The caller has to decide.
        raise ValueError(f"{what} must be finite (drop or impute censored incidents first)")
    return arr


def _point(xs: FloatArray, stat: str) -> float:
    """The statistic of values ``xs`` (``sim.metrics.measures.statistic``)."""
    return statistic(xs, stat)


def _check_stat(stat: str) -> None:
    if stat not in _STATS:
        raise ValueError(f"stat must be one of {', '.join(_STATS)}; got {stat!r}")


def _check_n_boot(n_boot: int) -> int:
    if isinstance(n_boot, bool) or int(n_boot) != n_boot or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer, got {n_boot!r}")
    return int(n_boot)


def _unit_codes(cluster: ArrayLike, n: int) -> tuple[IntArray, int]:
    labels = np.asarray(cluster)
    if labels.shape != (n,):
        raise ValueError(f"cluster must have one label per value ({n}), got shape {labels.shape}")
    uniq, codes = np.unique(labels, return_inverse=True)
    return codes.astype(np.intp).reshape(-1), int(uniq.size)


def _unit_sums(codes: IntArray, weights: FloatArray, n_units: int) -> FloatArray:
    """Per-unit sums of ``weights`` (float64, one entry per unit even if it has no value)."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=n_units), dtype=np.float64)


def _resample_counts(rng: np.random.Generator, n_units: int, rows: int) -> FloatArray:
    """Multiplicities of ``n_units`` units in ``rows`` bootstrap resamples of ``n_units``.

    Drawn as resampled indices and counted with one ``bincount`` (row offsets keep rows
    apart); float64 because they feed matrix products (exact for integers below 2**53).
    """
    idx = rng.integers(0, n_units, size=(rows, n_units))
    idx += (np.arange(rows) * n_units)[:, None]
    counts = np.bincount(idx.ravel(), minlength=rows * n_units)
    return counts.reshape(rows, n_units).astype(np.float64)


def _weigh(counts: FloatArray, table: FloatArray) -> FloatArray:
    """``counts @ table``: per-resample sums of per-unit quantities.

    Through einsum's own loops, not BLAS: the products are small, and on a busy machine a
    multi-threaded BLAS made them up to 100x slower (threads fighting for cores); the
    summation order is also fixed, so results do not depend on the BLAS build or thread count.
    Integer-valued operands below 2**53 are summed exactly either way.
    """
    return np.asarray(np.einsum("ij,j...->i...", counts, table), dtype=np.float64)


def _chunks(total: int, width: int) -> list[tuple[int, int]]:
    rows = max(1, min(total, _CHUNK_ELEMENTS // max(1, width)))
    return [(i, min(total, i + rows)) for i in range(0, total, rows)]


# ------------------------------------------------------ independent values (no cluster)


def _iid_moment_reps(
    xs: FloatArray, rng: np.random.Generator, n_boot: int
) -> tuple[FloatArray, FloatArray]:
    """Bootstrap replicates of the mean and the geometric mean of positive values.

    ``xs`` is sorted, so the non-positive values form a prefix and "is positive" is just
    ``index >= n_nonpos``. Values and logs travel together in one complex array: one gather
    per resampled index instead of two.
    """
    n = xs.size
    n_nonpos = int(np.searchsorted(xs, 0.0, side="right"))
    logs = np.zeros(n)
    logs[n_nonpos:] = np.log(xs[n_nonpos:])
    packed = xs + 1j * logs
    means = np.empty(n_boot)
    geos = np.empty(n_boot)
    idx_type = np.int32 if n < 2**31 else np.int64
    for start, stop in _chunks(n_boot, n):
        idx = rng.integers(0, n, size=(stop - start, n), dtype=idx_type)
        sums = np.take(packed, idx).sum(axis=1)
        n_pos = (idx >= n_nonpos).sum(axis=1) if n_nonpos else np.full(stop - start, n)
        means[start:stop] = sums.real / n
        with np.errstate(divide="ignore", invalid="ignore"):
            geos[start:stop] = np.exp(sums.imag / n_pos)  # NaN when no positive value drawn
    return means, geos


def _iid_quantile_reps(
    xs: FloatArray, q: float, rng: np.random.Generator, n_boot: int
) -> FloatArray:
    """Exact bootstrap replicates of the type-7 ``q``-quantile of sorted ``xs``, O(n_boot).

    A resample is n indices ``floor(n U_i)``; its sorted values are ``xs[floor(n U_(k))]``.
    Only the two order statistics around position ``h = q (n - 1)`` matter, and their joint
    law is known: ``U_(k) ~ Beta(k, n - k + 1)`` and, given it, the next one is
    ``U_(k) + (1 - U_(k)) * Beta(1, n - k)`` (the minimum of the n - k uniforms above it).
    """
    n = xs.size
    h = q * (n - 1)
    k = math.floor(h)  # 0-based position of the lower order statistic
    frac = h - k
    u_lo = rng.beta(k + 1, n - k, size=n_boot)
    i_lo = np.minimum(np.floor(n * u_lo).astype(np.intp), n - 1)
    if frac == 0.0 or k + 1 >= n:
        return xs[i_lo].astype(np.float64)
    u_hi = u_lo + (1.0 - u_lo) * rng.beta(1, n - k - 1, size=n_boot)
    i_hi = np.minimum(np.floor(n * u_hi).astype(np.intp), n - 1)
    lo_val = xs[i_lo]
    return np.asarray(lo_val + frac * (xs[i_hi] - lo_val), dtype=np.float64)


# ------------------------------------------------------------- clustered (pooled) data


class _Pooled:
    """Values grouped by resampling unit (replication), with per-unit sufficient statistics.

    A cluster-bootstrap resample is a vector ``c`` of unit multiplicities; the resampled data
    set is every value of unit r repeated ``c[r]`` times. Pooled statistics of it follow from
    per-unit sums (mean, geometric mean, rate) or from weighted cumulative counts over the
    globally sorted values (quantiles).
    """

    def __init__(self, values: FloatArray, codes: IntArray, n_units: int) -> None:
        order = np.argsort(values, kind="stable")
        self.xs: FloatArray = values[order]
        self.codes: IntArray = codes[order]
        self.n = int(values.size)
        self.n_units = n_units
        pos = self.xs > 0
        logs = np.zeros(self.n)
        logs[pos] = np.log(self.xs[pos])
        self.count = _unit_sums(self.codes, np.ones(self.n), n_units)
        self.total = _unit_sums(self.codes, self.xs, n_units)
        self.log_total = _unit_sums(self.codes, logs, n_units)
        self.n_pos = _unit_sums(self.codes, pos.astype(np.float64), n_units)
        # Quantile search: blocks of ``block`` sorted values; ``prefix[g, r]`` is how many
        # values of unit r lie in blocks 0..g. Block length balances the matrix product
        # (R x n / block per resample) against the in-block scan (block per resample).
        self.block = int(
            np.clip(round(math.sqrt(n_units * max(self.n, 1) / 40)), 1, max(1, self.n))
        )
        n_blocks = max(1, -(-self.n // self.block))
        per_block = np.bincount(
            (np.arange(self.n) // self.block) * n_units + self.codes,
            minlength=n_blocks * n_units,
        ).reshape(n_blocks, n_units)
        self.prefix_t: FloatArray = np.ascontiguousarray(np.cumsum(per_block, axis=0).T, np.float64)
        # The unit of each sorted value, block by block; the last block is padded with a
        # unit past the real ones, which every resample weighs 0.
        padded = np.full(n_blocks * self.block, n_units, dtype=np.intp)
        padded[: self.n] = self.codes
        self.block_codes: IntArray = padded.reshape(n_blocks, self.block)

    @classmethod
    def from_replications(cls, by_rep: Sequence[ArrayLike], what: str) -> _Pooled:
        arrays = [_values(v, what) for v in by_rep]
        values = np.concatenate(arrays) if arrays else np.empty(0)
        codes = np.repeat(np.arange(len(arrays)), [a.size for a in arrays]).astype(np.intp)
        return cls(values, codes, len(arrays))

    def point(self, stat: str) -> float:
        """The statistic of the data as observed (every unit once)."""
        return _point(self.xs, stat)

    def replicates(self, stats: Sequence[str], counts: FloatArray) -> list[FloatArray]:
        """Each statistic for each row of unit multiplicities ``counts`` (rows x units)."""
        rows = counts.shape[0]
        if self.n == 0:
            return [np.full(rows, np.nan) for _ in stats]
        size = _weigh(counts, self.count)
        wanted_q = [_QUANTILE_OF[st] for st in stats if st in _QUANTILE_OF]
        quantiles = dict(zip(wanted_q, self._quantiles(wanted_q, counts, size), strict=True))
        out: list[FloatArray] = []
        with np.errstate(divide="ignore", invalid="ignore"):
            for st in stats:
                if st == "mean":
                    out.append(np.asarray(_weigh(counts, self.total) / size, dtype=np.float64))
                elif st == "rate":
                    out.append(np.asarray(_weigh(counts, self.n_pos) / size, dtype=np.float64))
                elif st == "geomean":
                    mean_log = _weigh(counts, self.log_total) / _weigh(counts, self.n_pos)
                    out.append(np.asarray(np.exp(mean_log), dtype=np.float64))
                else:
                    out.append(quantiles[_QUANTILE_OF[st]])
        return out

    def _positions(self, counts: FloatArray, targets: FloatArray) -> IntArray:
        """Index in ``xs`` of the element at 0-based position ``targets[i, j]`` of resample i.

        That element is the first sorted value whose cumulative resample weight exceeds the
        target. Step 1: cumulative weights at block ends (one matrix product) give the block.
        Step 2: a cumulative sum of the weights inside that block gives the element.
        """
        rows = targets.shape[0]
        ends = _weigh(counts, self.prefix_t)  # rows x blocks
        blk = (ends[:, None, :] <= targets[:, :, None]).sum(axis=2)
        blk = np.minimum(blk, ends.shape[1] - 1)  # only reached by empty resamples
        base = np.where(blk > 0, np.take_along_axis(ends, np.maximum(blk - 1, 0), axis=1), 0.0)
        # Weights of the values of each wanted block (rows x targets x block), looked up in
        # the counts with a zero column appended for the padding unit. Counts are integers,
        # so the sums are exact and "base + cumsum <= target" is "cumsum <= target - base".
        padded_counts = np.concatenate([counts, np.zeros((rows, 1))], axis=1)
        flat = self.block_codes[blk] + (np.arange(rows) * (self.n_units + 1))[:, None, None]
        weights = np.take(padded_counts, flat)
        inside = (np.cumsum(weights, axis=2) <= (targets - base)[:, :, None]).sum(axis=2)
        return np.asarray(np.minimum(blk * self.block + inside, self.n - 1), dtype=np.intp)

    def _quantiles(
        self, qs: Sequence[float], counts: FloatArray, size: FloatArray
    ) -> list[FloatArray]:
        """Type-7 quantiles of each weighted resample: interpolate positions floor(h), +1."""
        if not qs:
            return []
        last = np.maximum(size - 1, 0)
        h = np.outer(last, qs)
        lo = np.floor(h)
        frac = h - lo
        idx = self._positions(counts, np.concatenate([lo, np.minimum(lo + 1, last[:, None])], 1))
        lo_val = self.xs[idx[:, : len(qs)]]
        out = lo_val + frac * (self.xs[idx[:, len(qs) :]] - lo_val)
        out[size == 0] = np.nan
        return [np.ascontiguousarray(out[:, j]) for j in range(len(qs))]


def _pooled_reps(
    pools: Sequence[_Pooled], stats: Sequence[str], rng: np.random.Generator, n_boot: int
) -> list[list[FloatArray]]:
    """Replicates ``[pool][stat]`` with the *same* unit multiplicities for every pool.

    Sharing the multiplicities across pools is what pairs strategy a with strategy b: a
    resample draws replications, and both strategies' incidents of those replications enter.
    """
    n_units = pools[0].n_units
    out = [[np.empty(n_boot) for _ in stats] for _ in pools]
    # Widest per-resample work array: the counts, or the in-block scan / block-end matrix
    # for two positions per quantile.
    n_pos = 2 * sum(st in _QUANTILE_OF for st in stats)
    width = max(n_units, *(n_pos * max(p.block, p.prefix_t.shape[1]) for p in pools))
    for start, stop in _chunks(n_boot, width):
        counts = _resample_counts(rng, n_units, stop - start)
        for p, pool in enumerate(pools):
            for s, reps in enumerate(pool.replicates(stats, counts)):
                out[p][s][start:stop] = reps
    return out


# ------------------------------------------------------------------------- public API
