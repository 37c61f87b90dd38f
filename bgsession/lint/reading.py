"""Reading a source file without ever blocking on it, opening a device, or reading past the size cap."""

from __future__ import annotations

import os
import stat


class NotARegularFileError(OSError):
    """A FIFO, socket or device named like a source file: reading it could block forever."""


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_file(path: str, limit: int | None = None) -> bytes:
    """The file's bytes; with `limit`, at most limit + 1 of them (the caller reports the file as too
    large without the rest ever being read)."""
    # The type is checked before opening: opening a FIFO releases its writer, and opening some devices
    # (a watchdog, a serial port, a tape) has effects of its own.
    before = os.stat(path)
    if stat.S_ISDIR(before.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(before.st_mode):
        raise NotARegularFileError(path)
    # O_NONBLOCK all the same: the path may have been replaced by a FIFO since.
    descriptor = os.open(path, _FLAGS)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFileError(path)
        wanted = (1 << 62) if limit is None else limit + 1
        chunks: list[bytes] = []
        total = 0
        while total < wanted:
            chunk = os.read(descriptor, min(wanted - total, max(status.st_size - total, 0) + 1, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
