"""`bgsession lint`: run the pipeline, print the report, decide the exit status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.errors import UsageError
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.runner import LintRequest, LintResult, lint
from bgsession.report import json_format, text

EXIT_CLEAN = 0
EXIT_FINDINGS = 1

FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class LintCommand:
    request: LintRequest
    output_format: str = "text"
    quiet: bool = False
    explain: bool = False
    fail_on: Severity = Severity.WARNING
    exit_zero: bool = False


def parse_codes(values: tuple[str, ...], option: str) -> frozenset[str] | None:
    """`--select BGS013,BGS014 --select BGS001` -> {BGS013, BGS014, BGS001}; unknown codes are usage errors."""
    if not values:
        return None
    codes: set[str] = set()
    for value in values:
        for part in value.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if code not in RULES_BY_CODE:
                raise UsageError(f"{option}: unknown rule code {part.strip()!r}; `bgsession rules` lists them")
            codes.add(code)
    return frozenset(codes)


def exit_status(diagnostics: list[Diagnostic], fail_on: Severity) -> int:
    """1 when anything is at or above the failing severity (a warning, unless configured), else 0."""
    return EXIT_FINDINGS if any(d.severity.rank >= fail_on.rank for d in diagnostics) else EXIT_CLEAN


def run_lint(command: LintCommand, stdout: TextIO, stderr: TextIO) -> int:
    result: LintResult = lint(command.request)
    for path, problem in result.problems:
        stderr.write(f"bgsession: error: {path}: {problem}\n")
    diagnostics = result.diagnostics
    if command.quiet:
        diagnostics = [d for d in diagnostics if d.severity.rank >= Severity.WARNING.rank]
    if command.output_format == "json":
        stdout.write(json_format.render(diagnostics, result.files_checked))
    else:
        stdout.write(text.render(diagnostics, explain=command.explain))
        if not command.quiet:
            stderr.write(text.summary_line(diagnostics, result.files_checked) + "\n")
    if result.problems and not result.files_checked:
        raise UsageError("nothing to lint")
    return EXIT_CLEAN if command.exit_zero else exit_status(diagnostics, command.fail_on)
