"""Experiments as background jobs: a click starts work that a rerun cannot kill.

Streamlit reruns the page script on every interaction and would stop a long
computation running inside it. Here work runs on one worker thread owned by a
process-wide registry (``st.cache_resource`` keeps a single one per server); the page
only submits a job and polls its progress. Jobs are keyed by what determines their
result (scenario text digest, strategies, seed, N, knobs), so submitting the same
experiment again returns the finished (or running) job: that registry *is* the cache.
The oldest finished jobs are dropped beyond ``MAX_JOBS``.

No Streamlit here either; ``registry()`` in ``state`` wraps it in ``st.cache_resource``.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Job", "JobRegistry"]

MAX_JOBS = 24
Progress = Callable[[int], None]


@dataclass
class Job:
    key: str
    label: str
    total: int
    done_units: int = 0
    result: Any = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    future: Future[Any] | None = None

    @property
    def done(self) -> bool:
        return self.finished is not None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_units / self.total) if self.total else 0.0

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def advance(self, units: int) -> None:
        self.done_units += units

    def wait(self, timeout: float | None = None) -> Job:
        """Block until finished (tests and the bench; the UI polls instead)."""
        if self.future is not None:
            with contextlib.suppress(Exception):  # a failure is recorded in self.error
                self.future.result(timeout=timeout)
        return self


class JobRegistry:
    """Runs jobs one at a time on a worker thread and remembers their results."""

    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gameday-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def submit(self, key: str, label: str, total: int, work: Callable[[Progress], Any]) -> Job:
        """Start ``work(progress)`` unless a job with ``key`` exists (and did not fail)."""
        with self._lock:
            existing = self._jobs.get(key)
            if existing is not None and existing.error is None:
                self._jobs.move_to_end(key)
                return existing
            job = Job(key=key, label=label, total=total)
            self._jobs[key] = job
            self._trim()
            job.future = self._pool.submit(self._run, job, work)
            return job

    def _run(self, job: Job, work: Callable[[Progress], Any]) -> None:
        try:
            job.result = work(job.advance)
        except Exception:
            job.error = traceback.format_exc()
        finally:
            job.finished = time.monotonic()

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.done]
        while len(self._jobs) > MAX_JOBS and finished:
            del self._jobs[finished.pop(0)]
