"""Pool processes end when the process that started them dies, even by SIGKILL.

A killed ``gameday sweep`` used to leave its forkserver and pool workers running (a
SIGKILL gives the parent no chance to stop them). On Linux the kernel can signal a
process when its parent dies (``prctl(PR_SET_PDEATHSIG)``); the chain is:

* the forkserver imports this module first (``open_executor`` lists it in the
  forkserver's preload) and, finding ``GAMEDAY_POOL_OWNER`` equal to its parent's pid,
  asks to be killed when that parent dies;
* each worker runs :func:`die_with_parent` (the pool's initializer) and is killed when
  the forkserver, its parent, dies.

Elsewhere (macOS, or the variable unset) nothing happens; there the pool's own
shutdown is all there is.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["OWNER_ENV", "die_with_parent", "mark_owner"]

#: Set by the process that owns a pool to its pid, read by the forkserver it starts.
OWNER_ENV = "GAMEDAY_POOL_OWNER"
_PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: nothing better to do
        return
    # The parent may have died before prctl took effect: then we are already orphaned.
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)


def mark_owner() -> None:
    """Record this process as the owner of the pools (and forkserver) it starts."""
    os.environ[OWNER_ENV] = str(os.getpid())


# Imported by the forkserver at its start: bind its life to the pool's owner.
if os.environ.get(OWNER_ENV) == str(os.getppid()):
    die_with_parent(os.getppid())
