"""What one file may cost: its size, its nesting depth, and the time its parse may take.

A pull request controls every file, and tree-sitter needs about 110 bytes of memory per byte of
Swift, is superlinear on some shapes (nested block comments, unterminated comments) and its query
engine on deep trees. A file over budget is not analysed: it becomes one BGS000 note naming the limit
it crossed, and the run goes on. Within budget, facts never depend on the budget, so it is not part
of the facts cache key (and over-budget results are never cached).

- size: `--max-file-bytes` or `max-file-bytes` in `.bgsession.toml` (like semgrep's
  `--max-target-bytes`); only that many bytes (plus one) are ever read of a file.
- depth: bracket nesting, checked on the bytes before parsing; the query itself never starts a match
  deeper than QUERY_DEPTH syntax levels (grammars.matches), which keeps the query engine linear.
- time: a deadline checked by tree-sitter's progress callback while parsing: 10 seconds plus one per
  megabyte, so a large file a configuration allows (a 20 MB generated file parses in about 5 s, twice
  that on a busy CI machine) is not cut off for its size, while a small file the grammar is slow on is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

DEFAULT_MAX_FILE_BYTES = 3_000_000
DEFAULT_MAX_DEPTH = 1_000
DEFAULT_SECONDS = 10.0
DEFAULT_SECONDS_PER_MEGABYTE = 1.0

_BRACKETS = b"([{)]}"
_OTHERS = bytes(byte for byte in range(256) if byte not in _BRACKETS)
_STEP = {byte: (1 if byte in b"([{" else -1) for byte in _BRACKETS}


@dataclass(frozen=True, slots=True)
class Budget:
    max_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    seconds: float = DEFAULT_SECONDS
    seconds_per_megabyte: float = DEFAULT_SECONDS_PER_MEGABYTE

    def over(self, source: bytes) -> str | None:
        """Why `source` is over budget before parsing (size, nesting), or None."""
        if len(source) > self.max_bytes:
            return (
                f"not linted: larger than the {self.max_bytes:,}-byte limit "
                "(--max-file-bytes or max-file-bytes in .bgsession.toml)"
            )
        if deeper_than(source, self.max_depth):
            return f"not linted: brackets nested deeper than {self.max_depth:,} levels"
        return None

    def parse_seconds(self, size: int) -> float:
        """How long the parse of `size` bytes may take."""
        return self.seconds + self.seconds_per_megabyte * size / 1_000_000

    def deadline(self, size: int) -> Callable[[int, bool], bool]:
        """A progress callback for Parser.parse that cancels the parse of `size` bytes once its time is up."""
        end = time.monotonic() + self.parse_seconds(size)
        clock = time.monotonic
        return lambda _offset, _has_error: clock() > end

    def timeout_reason(self, size: int) -> str:
        return f"not linted: parsing took longer than the {self.parse_seconds(size):g}-second limit"


def deeper_than(source: bytes, limit: int) -> bool:
    """Whether brackets nest deeper than `limit` anywhere, in one pass (strings and comments count too:
    the limit is far above anything real code does, so over-counting never matters)."""
    brackets = source.translate(None, _OTHERS)
    if len(brackets) <= limit:
        return False
    deepest: int = max(accumulate((_STEP[byte] for byte in brackets), lambda depth, step: max(depth + step, 0)))
    return deepest > limit


UNLIMITED = Budget(max_bytes=1 << 62, max_depth=1 << 62, seconds=1e9, seconds_per_megabyte=0.0)
