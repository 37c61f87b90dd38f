"""Reading project, plist and lock files defensively: regular files only, never blocking, size-capped."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from bgsession.lint.targets.values import Problem

KIB = 1024
MIB = 1024 * KIB


def read_capped(path: str, limit: int) -> bytes | Problem:
    """The file's bytes, or a problem when it is missing, not a regular file, or larger than `limit`."""
    try:
        # O_NONBLOCK: opening a FIFO named like a project file returns at once instead of waiting.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        if os.path.islink(path):
            return _follow_link(path, limit)
        return Problem(path, f"cannot be read ({error.strerror or error})")
    with open(descriptor, "rb") as stream:
        return _read_open(stream, path, limit)


def _follow_link(path: str, limit: int) -> bytes | Problem:
    # A symbolic link to a regular file is read like the file; anything else it points at is refused.
    target = os.path.realpath(path)
    if os.path.islink(target):
        return Problem(path, "is a symbolic link that does not resolve")
    try:
        descriptor = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return Problem(path, f"cannot be read ({error.strerror or error})")
    with open(descriptor, "rb") as stream:
        return _read_open(stream, path, limit)


def _read_open(stream: BinaryIO, path: str, limit: int) -> bytes | Problem:
    info = os.fstat(stream.fileno())
    if not stat.S_ISREG(info.st_mode):
        return Problem(path, "is not a regular file")
    if info.st_size > limit:
        return Problem(path, f"is larger than {limit // KIB} KiB; not read")
    data = stream.read(limit + 1)
    if len(data) > limit:
        return Problem(path, f"is larger than {limit // KIB} KiB; not read")
    return data


def decode_text(data: bytes, path: str) -> str | Problem:
    """UTF-8 text (a BOM is dropped), or a problem for binary or mis-encoded content."""
    if b"\x00" in data:
        return Problem(path, "is binary, not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Problem(path, f"is not UTF-8 text (byte {error.start})")
