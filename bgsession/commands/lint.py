"""`bgsession lint`: run the pipeline, write the reports, decide the exit status."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bgsession import report
from bgsession.commands.choices import FAIL_ON
from bgsession.commands.rules import report_rules
from bgsession.config import ConfigSet
from bgsession.diagnostics import Diagnostic, Severity, escape_path, one_line
from bgsession.errors import UsageError
from bgsession.files import write_file
from bgsession.lint.cache import DiskCache, FactsCache, default_cache_dir
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.runner import LintRequest, LintResult, lint
from bgsession.lint.selection import UnknownSelectorError, resolve
from bgsession.report import FORMATS, text
from bgsession.report.context import ReportContext
from bgsession.sources import SourceLines

if TYPE_CHECKING:
    from bgsession.git_changes import GitChanges

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
    cache_dir: Path | None = None  # None: default_cache_dir()
    stamp: Path | None = None  # written after a run that passes (commands/xcode.py)
    diff_base: str | None = None  # --diff-base: report only findings on lines changed since this revision
    fix: bool = False  # --fix: write safe fixes, then report what remains
    diff: bool = False  # --diff: print the fixes as a diff and change nothing
    unsafe_fixes: bool = False


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
    cache = DiskCache(command.cache_dir or default_cache_dir())
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


def _apps(result: LintResult, diagnostics: list[Diagnostic]) -> dict[Diagnostic, str]:
    """The name of the app each finding was found in, for the reports that group by app."""
    from bgsession.lint.project.app_names import app_names, apps_of_file

    names = app_names(result.summaries)
    by_file = apps_of_file(result.summaries)
    apps: dict[Diagnostic, str] = {}
    for diagnostic in diagnostics:
        index = result.app_of(diagnostic)
        if index is None:
            index = by_file.get(diagnostic.path)
        if index is not None:
            apps[diagnostic] = names[index]
    return apps


def _report_context(command: LintCommand, context: ReportContext, output_format: str) -> ReportContext:
    """The findings a format is given: traces only where asked for (--explain), or where the format
    draws them itself; the HTML report must not put traces into a SARIF report written beside it."""
    if command.explain or output_format in report.EXPLAINING_FORMATS:
        return context
    if not any(d.trace for d in context.diagnostics):
        return context
    plain = [replace(d, trace=(), trace_steps=()) for d in context.diagnostics]
    return replace(context, diagnostics=plain)


def _changes(command: LintCommand) -> GitChanges | None:
    """The working tree's changes since --diff-base, resolved before linting so that an unknown
    revision or a folder outside git fails at once."""
    if command.diff_base is None:
        return None
    from bgsession.git_changes import GitChanges

    request = command.request
    start = request.paths[0] if request.paths else next(iter(request.overrides), ".")
    return GitChanges.since(command.diff_base, start)


def run_lint(command: LintCommand, stdout: TextIO, stderr: TextIO) -> int:
    changes = _changes(command)
    cache = _cache(command)
    request = command.request
    request.cache = cache
    if isinstance(cache, DiskCache) and cache.problem is None and request.paths:
        from bgsession.lint.stat_index import StatIndex

        request.index = StatIndex(cache.folder, request.paths)
        request.index.load()
    formats = {command.output_format, *command.extra_outputs}
    if formats & report.EXPLAINING_FORMATS:
        request.explain = True
    if command.progress:
        request.progress = _progress_bar(stderr)
    if command.diff or command.fix:
        from bgsession.commands import fix

        if command.diff:
            return fix.show_diff(request, stdout, stderr, unsafe=command.unsafe_fixes)
        fix.apply_fixes(request, stderr, unsafe=command.unsafe_fixes)
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
    unchanged = 0
    if changes is not None:
        from bgsession.git_changes import on_changed_lines

        kept = on_changed_lines(diagnostics, changes, request.overrides)
        unchanged, diagnostics = len(diagnostics) - len(kept), kept
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
    apps = _apps(result, diagnostics) if formats & report.EXPLAINING_FORMATS else {}
    context = ReportContext(diagnostics, result.files_checked, Path.cwd(), lines, apps=apps, rules=report_rules())
    written = render(
        command.output_format, _report_context(command, context, command.output_format), explain=command.explain
    )
    if command.output_file is not None:
        write_atomically(command.output_file, written)
    else:
        stdout.write(written)
    for extra_format, extra_path in command.extra_outputs.items():
        extra_context = _report_context(command, context, extra_format)
        write_atomically(extra_path, render(extra_format, extra_context, explain=command.explain))
    if command.statistics:
        table = statistics(diagnostics)
        (stdout if command.output_format == "text" and command.output_file is None else stderr).write(table)
    if not command.quiet and command.output_format == "text":
        summary = text.summary_line(diagnostics, result.files_checked)
        if matched:
            summary += f" ({matched} more in the baseline)"
        if unchanged:
            summary += f" ({unchanged} more on lines unchanged since {command.diff_base})"
        stderr.write(summary + "\n")
    failing = _failing(command, result)
    failed = not command.exit_zero and any(failing(d) for d in diagnostics)
    status = EXIT_FINDINGS if failed else EXIT_CLEAN
    if command.stamp is not None and status == EXIT_CLEAN:
        from bgsession.commands.xcode import write_stamp

        write_stamp(command.stamp, text.summary_line(diagnostics, result.files_checked) + "\n")
    return status


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


__all__ = [
    "FAIL_ON",
    "FORMATS",
    "ConfigSet",
    "LintCommand",
    "parse_codes",
    "read_stdin",
    "run_lint",
    "wants_progress",
]
