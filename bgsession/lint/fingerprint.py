"""Fingerprints that identify a finding across edits: the rule, the file, and the text of the line it
points at (whitespace-normalised), numbered among identical ones. Line numbers are left out, so a
finding keeps its fingerprint when code above it moves; the baseline and SARIF's partialFingerprints
both use them."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence

from bgsession.diagnostics import Diagnostic
from bgsession.lint.extract import normalise
from bgsession.lint.reading import read_file

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


def normalised(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def fingerprints(diagnostics: Sequence[Diagnostic], lines: SourceLines, relative: Callable[[str], str]) -> list[str]:
    """One fingerprint per diagnostic, in the order given; occurrences are numbered in source order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = [""] * len(diagnostics)
    for index in sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].sort_key):
        diagnostic = diagnostics[index]
        text = normalised(lines.line(diagnostic.path, diagnostic.loc.line))
        key = (diagnostic.code, relative(diagnostic.path), text)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8", "surrogateescape"))
        result[index] = digest.hexdigest()[:32]
    return result
