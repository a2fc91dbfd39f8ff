"""Monte Carlo experiments: replications, comparisons, sweeps, statistics, executors."""

from .compare import Comparison, collect, compare_on, summarize
from .executors import SerialExecutor, default_workers, open_executor
from .power import achieved_power, incidents_needed, power_report
from .runner import Batch, replication_seeds, run_batch
from .stats import (
    Estimate,
    PairedEstimate,
    describe_durations,
    paired_difference,
    proportion,
    variance_reduction,
    wilson_interval,
)

__all__ = [
    "Batch",
    "Comparison",
    "Estimate",
    "PairedEstimate",
    "SerialExecutor",
    "achieved_power",
    "collect",
    "compare_on",
    "default_workers",
    "describe_durations",
    "incidents_needed",
    "open_executor",
    "paired_difference",
    "power_report",
    "proportion",
    "replication_seeds",
    "run_batch",
    "summarize",
    "variance_reduction",
    "wilson_interval",
]
