"""Executors: serial, a local process pool, or a Dask cluster — one interface.

All are ``concurrent.futures.Executor``s; callers submit ``run_batch`` tasks and collect
results in submission order, so the choice of executor never changes a result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Literal

from .parent_death import die_with_parent, mark_owner

__all__ = ["ExecutorKind", "SerialExecutor", "default_workers", "open_executor"]

ExecutorKind = Literal["serial", "process", "dask"]


class SerialExecutor(Executor):
    """Runs each task at once in this process (for tests, debugging and ``--workers 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # a future carries any failure to the caller
            future.set_exception(exc)
        return future


def default_workers() -> int:
    """The cores this process may run on (``os.cpu_count`` where affinity is unknown)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@contextmanager
def open_executor(
    kind: ExecutorKind = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    retries: int = 2,
) -> Iterator[Executor]:
    """An executor of ``kind``; ``scheduler`` (``tcp://host:8786``) implies Dask.

    The process pool uses the ``forkserver`` start method: workers fork from a clean
    server process (no threads, such as a progress bar's, are copied) and the engine is
    imported once there, not once per worker. Server and workers end when this process
    dies, even by SIGKILL (``parent_death``).
    """
    if scheduler is not None:
        kind = "dask"
    if kind == "serial" or (kind == "process" and workers == 1):
        yield SerialExecutor()
    elif kind == "process":
        mark_owner()  # the forkserver and the workers die with this process (Linux)
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sim.experiments.parent_death", "sim.experiments.runner"])
        with ProcessPoolExecutor(
            max_workers=workers or default_workers(), mp_context=ctx, initializer=die_with_parent
        ) as pool:
            yield pool
    elif kind == "dask":
        with _dask(workers, scheduler, retries) as executor:
            yield executor
    else:
        raise ValueError(f"unknown executor {kind!r} (serial, process, dask)")


@contextmanager
def _dask(workers: int | None, scheduler: str | None, retries: int) -> Iterator[Executor]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the Dask executor needs the 'distributed' extra: pip install 'gameday[distributed]'"
        ) from exc
    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client.get_executor(retries=retries, pure=False)
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client.get_executor(retries=retries, pure=False)
