"""A baseline: the findings a codebase already has, so CI fails only on new ones.

`lint --write-baseline FILE` records every current finding by fingerprint (fingerprint.py), with
paths relative to FILE's folder; `lint --baseline FILE` drops the findings it records. A finding
that moved because lines were added above it keeps its fingerprint; one whose own line changed is
new. The file is JSON so that it reviews well in a pull request.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bgsession import __version__
from bgsession.diagnostics import Diagnostic
from bgsession.errors import UsageError
from bgsession.files import FileError, dumps_json, parsing, read_bytes, write_file
from bgsession.report.fingerprint import fingerprints
from bgsession.sources import SourceLines

VERSION = 1
# A baseline of a hundred thousand findings is about 30 MB.
BASELINE_LIMIT = 64 * 1024 * 1024


class BaselineError(UsageError):
    """The baseline file cannot be read or is not a bgsession baseline."""


def _relative_to(folder: Path) -> Callable[[str], str]:
    def relative(path: str) -> str:
        return Path(os.path.relpath(os.path.abspath(path), folder)).as_posix()

    return relative


def write(path: Path, diagnostics: list[Diagnostic], lines: SourceLines) -> int:
    """Write the baseline atomically; returns the number of findings recorded."""
    folder = path.resolve().parent
    relative = _relative_to(folder)
    prints = fingerprints(diagnostics, lines, relative)
    entries = [
        {"code": d.code, "path": relative(d.path), "fingerprint": fp, "message": d.message}
        for d, fp in zip(diagnostics, prints, strict=True)
    ]
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    document = {"version": VERSION, "tool": {"name": "bgsession", "version": __version__}, "findings": entries}
    try:
        write_file(path, dumps_json(document) + "\n", what="baseline")
    except FileError as problem:
        raise BaselineError(str(problem)) from problem
    return len(entries)


def load(path: Path) -> Counter[str]:
    """The recorded fingerprints (a multiset: identical findings are counted)."""
    try:
        raw = read_bytes(path, limit=BASELINE_LIMIT, what="baseline")
        document = parsing(path, lambda: json.loads(raw.decode("utf-8")), "baseline")
    except FileError as problem:
        raise BaselineError(str(problem)) from problem
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise BaselineError(f"{path}: not a bgsession baseline (invalid JSON: {problem})") from problem
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or document.get("version") != VERSION:
        raise BaselineError(f"{path}: not a bgsession baseline (version {VERSION} with a 'findings' list)")
    return Counter(str(entry.get("fingerprint")) for entry in findings if isinstance(entry, dict))


def filter_known(path: Path, diagnostics: list[Diagnostic], lines: SourceLines) -> tuple[list[Diagnostic], int]:
    """The diagnostics the baseline does not record, and how many it matched."""
    known = load(path)
    relative = _relative_to(path.resolve().parent)
    prints = fingerprints(diagnostics, lines, relative)
    kept: list[Diagnostic] = []
    matched = 0
    for diagnostic, fingerprint in zip(diagnostics, prints, strict=True):
        if known[fingerprint] > 0:
            known[fingerprint] -= 1
            matched += 1
        else:
            kept.append(diagnostic)
    return kept, matched
