"""Reading a source file without ever blocking on it."""

from __future__ import annotations

import os
import stat


class NotARegularFileError(OSError):
    """A FIFO, socket or device named like a source file: reading it could block forever."""


def read_file(path: str) -> bytes:
    # O_NONBLOCK so that opening a FIFO returns at once instead of waiting for a writer.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFileError(path)
        return stream.read()
