"""`bgsession lint`: run the pipeline, write the reports, decide the exit status."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bgsession import report
from bgsession.commands.choices import FAIL_ON
from bgsession.commands.rules import report_rules
from bgsession.config import ConfigSet
from bgsession.diagnostics import Diagnostic, Severity, escape_path, one_line
from bgsession.errors import UsageError
from bgsession.files import read_bytes, write_file
from bgsession.lint.cache import DiskCache, FactsCache, default_cache_dir
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.runner import LintRequest, LintResult, lint
from bgsession.lint.selection import UnknownSelectorError, resolve
from bgsession.report import FORMATS, text
from bgsession.report.context import ReportContext
from bgsession.sources import SourceLines

EXIT_CLEAN = 0
EXIT_FINDINGS = 1


def render(output_format: str, context: ReportContext, *, explain: bool = False) -> str:
    try:
        return report.render(output_format, context, explain=explain)
    except report.UnknownFormatError as problem:
        raise UsageError(str(problem)) from None


@dataclass(frozen=True)
class LintCommand:
    request: LintRequest
    output_format: str = "text"
    quiet: bool = False
    explain: bool = False
    fail_on: str | None = None  # None: each file's configuration decides
    exit_zero: bool = False
    output_file: Path | None = None
    extra_outputs: dict[str, Path] = field(default_factory=dict)  # format -> file
    baseline: Path | None = None
    write_baseline: Path | None = None
    statistics: bool = False
    progress: bool = False
    use_cache: bool = True


def parse_codes(values: tuple[str, ...], option: str) -> frozenset[str] | None:
    """`--select BGS013,handler-off-main --select BGS02` -> the exact codes they name (codes, prefixes and
    rule names); one that names no rule is a usage error with the closest match."""
    if not values:
        return None
    codes: set[str] = set()
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                codes |= resolve(part)
            except UnknownSelectorError as problem:
                raise UsageError(f"{option}: {problem}") from None
    return frozenset(codes)


def _failing(command: LintCommand, result: LintResult) -> Callable[[Diagnostic], bool]:
    if command.fail_on is not None:
        threshold = None if command.fail_on == "never" else Severity.parse(command.fail_on)
        return lambda d: threshold is not None and d.severity.rank >= threshold.rank

    def by_config(diagnostic: Diagnostic) -> bool:
        threshold = result.configs.for_file(diagnostic.path).fail_on
        return threshold is not None and diagnostic.severity.rank >= threshold.rank

    return by_config


def _cache(command: LintCommand) -> FactsCache | None:
    if not command.use_cache:
        return None
    cache = DiskCache(default_cache_dir())
    cache.probe()
    return cache


def _progress_bar(stderr: TextIO) -> Callable[[int, int], None]:
    """A one-line bar redrawn in place; only for long runs in a terminal."""
    state = {"shown": False}

    def show(done: int, total: int) -> None:
        if total < 500:
            return
        if done % 50 and done != total:
            return
        width = 30
        filled = width * done // total
        stderr.write(f"\rbgsession: reading files [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        state["shown"] = True
        if done == total:
            stderr.write("\r" + " " * (width + 50) + "\r")
        stderr.flush()

    return show


def wants_progress(stderr: TextIO) -> bool:
    """A progress bar only on an interactive terminal: never in pipes, files or CI logs."""
    try:
        interactive = stderr.isatty()
    except (AttributeError, ValueError):
        return False
    return interactive and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def write_atomically(path: Path, content: str) -> None:
    """Reports go through the safe file layer: a reader never sees half a report, and a device, FIFO or
    link named as the report is written in place or refused, never replaced (files.py)."""
    write_file(path, content, what="report")


def run_lint(command: LintCommand, stdout: TextIO, stderr: TextIO) -> int:
    cache = _cache(command)
    request = command.request
    request.cache = cache
    if command.progress:
        request.progress = _progress_bar(stderr)
    result: LintResult = lint(request)
    if isinstance(cache, DiskCache):
        if cache.problem is not None:
            stderr.write(f"bgsession: warning: {cache.problem}\n")
        cache.prune()
    for path, problem in result.problems:
        stderr.write(f"bgsession: error: {escape_path(path)}: {one_line(problem)}\n")
    for warning in result.warnings:
        stderr.write(f"bgsession: warning: {one_line(warning)}\n")
    if result.problems and not result.files_checked:
        raise UsageError("nothing to lint")
    lines = SourceLines(request.overrides)
    diagnostics = result.diagnostics
    if command.write_baseline is not None or command.baseline is not None:
        from bgsession.report import baseline
    if command.write_baseline is not None:
        count = baseline.write(command.write_baseline, diagnostics, lines)
        plural = "s" if count != 1 else ""
        stderr.write(f"bgsession: wrote {count} finding{plural} to {escape_path(str(command.write_baseline))}\n")
        return EXIT_CLEAN
    matched = 0
    if command.baseline is not None:
        diagnostics, matched = baseline.filter_known(command.baseline, diagnostics, lines)
    if command.quiet:
        diagnostics = [d for d in diagnostics if d.severity.rank >= Severity.WARNING.rank]
    context = ReportContext(diagnostics, result.files_checked, Path.cwd(), lines, report_rules())
    report = render(command.output_format, context, explain=command.explain)
    if command.output_file is not None:
        write_atomically(command.output_file, report)
    else:
        stdout.write(report)
    for extra_format, extra_path in command.extra_outputs.items():
        write_atomically(extra_path, render(extra_format, context, explain=command.explain))
    if command.statistics:
        table = statistics(diagnostics)
        (stdout if command.output_format == "text" and command.output_file is None else stderr).write(table)
    if not command.quiet and command.output_format == "text":
        summary = text.summary_line(diagnostics, result.files_checked)
        if matched:
            summary += f" ({matched} more in the baseline)"
        stderr.write(summary + "\n")
    if command.exit_zero:
        return EXIT_CLEAN
    failing = _failing(command, result)
    return EXIT_FINDINGS if any(failing(d) for d in diagnostics) else EXIT_CLEAN


def statistics(diagnostics: list[Diagnostic]) -> str:
    """Counts per rule, most frequent first, as `--statistics` prints them."""
    counts = Counter(d.code for d in diagnostics)
    if not counts:
        return ""
    width = max(len(str(count)) for count in counts.values())
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = RULES_BY_CODE[code]
        rows.append(f"{count:>{width}}  {code}  {rule.name} ({rule.severity.value})")
    return "\n".join(rows) + "\n"


def read_stdin(stdin: TextIO | None = None) -> bytes:
    stream = stdin if stdin is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    data = buffer.read() if buffer is not None else stream.read().encode("utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def xcode_script_inputs(environ: dict[str, str] | None = None) -> list[str]:
    """The input files of an Xcode Run Script phase: SCRIPT_INPUT_FILE_0...N-1 and the paths listed in
    the .xcfilelist files SCRIPT_INPUT_FILE_LIST_0...M-1; SRCROOT when the phase lists none."""
    env = os.environ if environ is None else environ
    paths: list[str] = []
    for index in range(_count(env, "SCRIPT_INPUT_FILE_COUNT")):
        value = env.get(f"SCRIPT_INPUT_FILE_{index}")
        if value:
            paths.append(value)
    for index in range(_count(env, "SCRIPT_INPUT_FILE_LIST_COUNT")):
        listing = env.get(f"SCRIPT_INPUT_FILE_LIST_{index}")
        if not listing:
            continue
        content = read_bytes(listing, what="file list").decode("utf-8", "surrogateescape")
        for line in content.splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                paths.append(_expand(entry, env))
    if not paths and env.get("SRCROOT"):
        paths.append(env["SRCROOT"])
    return paths


def _count(env: dict[str, str] | os._Environ[str], name: str) -> int:
    try:
        return max(int(env.get(name, "0") or 0), 0)
    except ValueError:
        return 0


def _expand(entry: str, env: dict[str, str] | os._Environ[str]) -> str:
    """xcfilelist entries use $(SRCROOT)-style build settings."""
    for key in ("SRCROOT", "PROJECT_DIR", "SOURCE_ROOT"):
        value = env.get(key)
        if value:
            entry = entry.replace(f"$({key})", value).replace(f"${{{key}}}", value)
    return entry


__all__ = [
    "FAIL_ON",
    "FORMATS",
    "ConfigSet",
    "LintCommand",
    "parse_codes",
    "read_stdin",
    "run_lint",
    "wants_progress",
    "xcode_script_inputs",
]
