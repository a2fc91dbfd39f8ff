"""The clustered quantile search finds exactly the element a brute-force resample holds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiments.compare import _by_rep
from sim.experiments.resampling import _Pooled, _resample_counts


def test_positions_match_the_expanded_resample() -> None:
    rng = np.random.default_rng(3)
    for n_units, n in ((1, 5), (7, 300), (40, 2000)):
        values = np.round(rng.lognormal(3.0, 1.0, n))  # rounded: ties between units
        codes = rng.integers(0, n_units, n).astype(np.intp)
        pool = _Pooled(values, codes, n_units)
        counts = _resample_counts(rng, n_units, 50)
        counts[0] = 0  # an empty resample
        size = counts @ pool.count
        targets = np.floor(np.outer(np.maximum(size - 1, 0), [0.0, 0.5, 0.9, 1.0]))
        found = pool._positions(counts, targets)
        for i in range(1, counts.shape[0]):
            # every sorted value repeated as often as its unit was drawn
            expanded = np.repeat(np.arange(n), counts[i, pool.codes].astype(np.intp))
            assert list(found[i]) == list(expanded[targets[i].astype(np.intp)])


def test_by_rep_keeps_row_order_drops_missing_and_fills_empty_replications() -> None:
    frame = pd.DataFrame(
        {
            "replication": [0, 2, 0, 2, 0],
            "ttr": [3.0, 1.0, np.nan, 5.0, 2.0],
            "errors": [1, 0, 2, 0, 0],
        }
    )
    ttr = _by_rep(frame, "ttr", 4)
    assert [list(a) for a in ttr] == [[3.0, 2.0], [], [1.0, 5.0], []]
    errors = _by_rep(frame, "errors", 3)
    assert [list(a) for a in errors] == [[1, 2, 0], [], [0, 0]]
