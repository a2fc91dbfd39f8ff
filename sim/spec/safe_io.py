"""Reading and writing files someone else may have chosen, without surprises.

Every output of gameday (event logs, JUnit XML, journals, result folders, reports,
schemas) goes through :func:`atomic_write`: a temporary file in the same folder,
renamed into place once complete, so a reader never sees half a file. It writes only
over a regular file or a new path: a symlink, a device (``/dev/null``), a FIFO, a
socket or a folder at the path is refused with :class:`UnsafePath`, because renaming
over it would replace it (as root, ``--events /dev/null`` would replace the device).

Every input file (specs, payloads, results documents) is read by :func:`read_limited`:
it opens without blocking (a FIFO named ``x.yaml`` would otherwise wait forever for a
writer), refuses anything but a regular file (``/dev/zero`` is endless) and reads at
most the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["UnsafePath", "atomic_write", "file_kind", "output_problem", "read_limited"]

#: Longest file name component most file systems take (bytes).
NAME_MAX = 255


class UnsafePath(ValueError):
    """A path gameday refuses to read or write; the message names the path and why."""


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words, for messages."""
    for test, name in (
        (stat.S_ISREG, "regular file"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


def _too_long(path: Path) -> str | None:
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            return f"the name {part[:40]!r}... is {size} bytes long, over {NAME_MAX}"
    return None


def output_problem(path: str | os.PathLike[str], *, folder: bool = False) -> str | None:
    """Why gameday will not write ``path`` (a file, or a ``folder`` of outputs), or None."""
    target = Path(path)
    problem = _too_long(target)
    if problem:
        return f"{target}: {problem}"
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:  # ENOTDIR: a parent is a file; ENAMETOOLONG; EACCES
        return f"{target}: {exc.strerror or exc}"
    if folder:
        if stat.S_ISDIR(info.st_mode) or (stat.S_ISLNK(info.st_mode) and target.is_dir()):
            return None
        return f"{target}: is a {file_kind(info.st_mode)}, not a folder"
    if stat.S_ISREG(info.st_mode):
        return None
    return (
        f"{target}: refusing to write over a {file_kind(info.st_mode)}; "
        "outputs replace only regular files (or create new ones)"
    )


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically; raise :class:`UnsafePath` for a path that
    is not a regular file or a new one (nothing is written then)."""
    target = Path(path)
    problem = output_problem(target)
    if problem:
        raise UnsafePath(problem)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UnsafePath(f"{target}: its folder {target.parent} is not a folder") from None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    # O_NOFOLLOW | O_EXCL: a link planted at the temporary name is not followed.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(f"{tmp}: is a symbolic link; refusing to write through it") from None
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        problem = output_problem(target)  # something may have appeared meanwhile
        if problem:
            raise UnsafePath(problem)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_limited(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``max_bytes``.

    Raises :class:`UnsafePath` for anything but a regular file, or a file over the
    limit (checked before reading a byte), and ``OSError`` for the rest (not found ...).
    """
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a
    # writer; it is then refused by the type check below.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"is a {file_kind(info.st_mode)}, not a regular file")
        if info.st_size > max_bytes:
            raise UnsafePath(f"file is {_size(info.st_size)}, over the {_size(max_bytes)} limit")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > max_bytes:  # it grew while we read
        raise UnsafePath(f"file is larger than the {_size(max_bytes)} limit")
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"
