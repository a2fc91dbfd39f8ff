"""Seeds are named streams (``sim.engine.streams``), never arithmetic on seeds."""

from __future__ import annotations

from sim.engine.streams import replication_seeds, stream_seed, stream_seeds


def test_replication_seeds_of_neighbouring_base_seeds_never_coincide() -> None:
    # With ``seed * 1_000_003 + r``, base seed 0 at replication 1,000,003 was base seed 1
    # at replication 0: the same replication in two "independent" experiments.
    far = replication_seeds(0, 1_000_004)
    assert far[1_000_003] != replication_seeds(1, 1)[0]
    assert len(set(far)) == len(far)


def test_replication_seeds_are_prefix_stable_and_fit_int64() -> None:
    seeds = replication_seeds(7, 50)
    assert replication_seeds(7, 20) == seeds[:20]
    assert all(0 <= s < 2**63 for s in seeds)
    assert replication_seeds(8, 50) != seeds


def test_streams_of_different_purposes_differ() -> None:
    assert stream_seed(3, "arrivals") != stream_seed(3, "noise")
    assert stream_seeds(3, "arrivals", 2) != stream_seeds(3, "incident", 2)
    assert stream_seeds(3, "arrivals", 5)[:2] == stream_seeds(3, "arrivals", 2)
