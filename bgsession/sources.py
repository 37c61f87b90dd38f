"""Source files as the compilers read them: bytes read without ever blocking, opening a device or
reading past the size cap; decoded and normalised (byte-order marks, UTF-16/32, line ends); and the
lines reports quote, numbered as the linter numbered them."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable


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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise(source: bytes) -> tuple[bytes, str | None, str | None]:
    """(UTF-8 bytes to parse, a problem that stops linting, a problem to report while linting anyway).

    A UTF-8 byte-order mark is dropped, so columns on the first line are the editor's; UTF-16 and UTF-32
    files with a mark, which Xcode can write, are converted; a file with NUL bytes is binary; invalid UTF-8
    is reported and still linted, each bad byte read as `?`. A lone carriage return (classic Mac line
    ends) becomes a line feed, which the compilers also take as the end of a line and tree-sitter does not.
    """
    if source.startswith(codecs.BOM_UTF8):
        source = source[len(codecs.BOM_UTF8) :]
    for bom, encoding in _BOMS:
        if source.startswith(bom):
            try:
                return _unix_lines(source[len(bom) :].decode(encoding).encode("utf-8")), None, None
            except UnicodeDecodeError:
                return b"", f"is not valid {encoding.upper()} despite its byte-order mark", None
    if b"\x00" in source:
        return b"", "is a binary file, not source code", None
    source = _unix_lines(source)
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = source.count(b"\n", 0, problem.start) + 1
        # Each bad byte becomes one `?`, keeping offsets: tree-sitter's query predicates decode node text
        # as strict UTF-8 and would fail on the bad bytes.
        repaired = source.decode("utf-8", "surrogateescape").encode("utf-8", "replace")
        return repaired, None, f"is not valid UTF-8 (byte 0x{source[problem.start]:02x} on line {line}); linted as is"
    return source, None, None


_LONE_CR = re.compile(rb"\r(?!\n)")


def _unix_lines(source: bytes) -> bytes:
    return _LONE_CR.sub(b"\n", source) if b"\r" in source else source


Reader = Callable[[str], bytes]


class SourceLines:
    """Lines of the linted files, read once each (the buffer given on stdin counts as its file)."""

    def __init__(self, overrides: dict[str, bytes] | None = None, reader: Reader | None = None) -> None:
        self._overrides = overrides or {}
        self._reader = reader or read_file
        self._files: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str:
        if path not in self._files:
            try:
                data = self._overrides[path] if path in self._overrides else self._reader(path)
            except OSError:
                data = b""
            # Lines as the linter numbered them: after decoding, split at line feeds only (str.splitlines
            # also splits at form feeds and U+2028, which the compilers do not count).
            text, _, _ = normalise(data)
            self._files[path] = [line.removesuffix("\r") for line in text.decode("utf-8", "replace").split("\n")]
        lines = self._files[path]
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def count(self, path: str) -> int:
        """How many lines the file has (0 when it cannot be read)."""
        self.line(path, 1)
        return len(self._files[path])
