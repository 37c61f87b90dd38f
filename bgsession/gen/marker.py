"""The marker a generated file carries: a hash of its own text, so regeneration knows what it may replace.

The third line of every generated file is `// bgsession-generated sha256=<hex>`, the hash of the
file with that line removed (not `bgsession:`, which would start a lint directive). A file whose
hash still matches was written by bgsession and not edited since: regenerating replaces it. A file
whose hash does not match was edited; a file without the line is someone else's. Neither is replaced
without --force.
"""

from __future__ import annotations

import hashlib
import re
from enum import Enum

PREFIX = "// bgsession-generated sha256="
_LINE = re.compile(r"^// bgsession-generated sha256=([0-9a-f]{64})\n", re.MULTILINE)


class Provenance(Enum):
    GENERATED = "generated"  # written by bgsession, unchanged since
    EDITED = "edited"  # written by bgsession, then edited
    FOREIGN = "foreign"  # not written by bgsession


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(text: str, after_line: int = 2) -> str:
    """`text` with the marker line inserted after its first `after_line` lines (the header)."""
    lines = text.splitlines(keepends=True)
    body = "".join(lines)
    marker = f"{PREFIX}{_digest(body)}\n"
    return "".join([*lines[:after_line], marker, *lines[after_line:]])


def provenance(text: str) -> Provenance:
    match = _LINE.search(text)
    if match is None:
        return Provenance.FOREIGN
    body = text[: match.start()] + text[match.end() :]
    return Provenance.GENERATED if _digest(body) == match.group(1) else Provenance.EDITED
