"""Read untrusted files safely: regular files only, the size checked before and while reading."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from negatives.engine.load.diagnostics import Diagnostic
from negatives.engine.load.errors import InputError

CHUNK = 1 << 16


def _refuse(file: str, message: str, code: str = "io") -> InputError:
    return InputError([Diagnostic(file, 1, 1, message, "error", code)])


def read_limited(path: Path, limit: int, file: str, *, nofollow: bool = False) -> bytes:
    """The bytes of `path`, or InputError when it is not a regular file or exceeds `limit`.

    The file is opened without blocking (a FIFO is refused at once, not waited on), checked
    with fstat on the open descriptor (no race with a swap), and read in chunks that stop at
    the limit (a device such as /dev/zero, or a file growing while read, cannot exhaust memory).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if nofollow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _refuse(file, "file not found") from None
    except IsADirectoryError:
        raise _refuse(file, "is a folder, not a file") from None
    except OSError as err:
        raise _refuse(file, f"cannot read: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(file, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(file, "is not a regular file (a pipe, device or socket); give a file")
        if info.st_size > limit:
            raise _refuse(file, f"file is {info.st_size} bytes; the limit is {limit}",
                          "too-large")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _refuse(file, f"file is over {limit} bytes; the limit is {limit}",
                              "too-large")
        return b"".join(chunks)
    except OSError as err:
        raise _refuse(file, f"cannot read: {err.strerror}") from None
    finally:
        os.close(fd)
