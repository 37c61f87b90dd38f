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
from bgsession.sources import SourceLines


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
