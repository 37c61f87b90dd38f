"""What every report format is given: the findings and what it needs to place them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.sources import SourceLines


@dataclass(frozen=True, slots=True)
class RuleMetadata:
    """What a report says about a rule (SARIF's rule descriptors). The caller hands it in, so the
    reports never import the linter that defines the rules."""

    code: str
    name: str
    severity: Severity
    summary: str
    finds: str
    why: str
    bad_swift: str
    good_swift: str
    limits: str
    references: tuple[tuple[str, str], ...]
    lifecycle: bool
    suppression: bool


@dataclass(frozen=True)
class ReportContext:
    diagnostics: list[Diagnostic]
    files_checked: int
    # Paths in reports that need them relative (SARIF, GitHub) are relative to this folder.
    root: Path = field(default_factory=Path.cwd)
    lines: SourceLines = field(default_factory=SourceLines)
    # The app each finding was found in (lint/project/app_names.py), for reports that group by app.
    apps: Mapping[Diagnostic, str] = field(default_factory=dict)
    # Every rule a diagnostic may name, in catalog order (SARIF lists them all).
    rules: tuple[RuleMetadata, ...] = ()

    def relative(self, path: str) -> str:
        absolute = os.path.abspath(path)
        try:
            return Path(absolute).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(absolute).as_posix()
