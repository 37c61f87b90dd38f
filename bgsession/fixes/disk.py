"""The bytes on disk behind the bytes bgsession parsed: edits are offsets into the normalised text
(`sources.normalise`), so they apply to a file only where that text can be written back exactly."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from bgsession.sources import normalise


@dataclass(frozen=True, slots=True)
class Editable:
    """A file's parsed bytes, and how to turn edited ones back into the bytes to write."""

    text: bytes
    prefix: bytes  # a UTF-8 byte-order mark, kept
    newline: bytes  # the line end inserted lines get: the file's own

    def to_disk(self, text: bytes) -> bytes:
        return self.prefix + text


def editable(data: bytes) -> Editable | str:
    """The file as `Editable`, or why its fixes are skipped (a one-line reason)."""
    text, fatal, warning = normalise(data)
    if fatal is not None:
        return fatal
    if warning is not None:
        return "is not valid UTF-8, and writing it back would change the bad bytes"
    prefix = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    if prefix + text != data:
        # UTF-16/32 text or classic Mac line ends: the parsed bytes are a conversion of the file.
        return "is UTF-16/UTF-32 or has carriage-return line ends, so fix offsets do not map back to its bytes"
    first_break = text.find(b"\n")
    newline = b"\r\n" if first_break > 0 and text[first_break - 1 : first_break] == b"\r" else b"\n"
    return Editable(text, prefix, newline)
