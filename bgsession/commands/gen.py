"""`bgsession gen`: from flags or a config file, to a snippet, stdout, files, a dry run, or a compile check."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from bgsession.errors import UsageError
from bgsession.gen.check import CheckReport
from bgsession.gen.config import find_gen_config, load_gen_config
from bgsession.gen.escape import comment_text
from bgsession.gen.existing import refuse_second_handle_events
from bgsession.gen.harness import compile_generated
from bgsession.gen.render import GeneratedFile, render_files, render_snippet
from bgsession.gen.spec import GenSpec, Lang, SessionOptions, build_spec, option_words
from bgsession.gen.write import Action, apply_plan, conflicts, describe_plan, plan_diff, plan_writes, stale_files

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class GenRequest:
    """What the command line asked for. None means "not given" (the config file or a default applies)."""

    config: Path | None = None
    lang: str | None = None
    style: str | None = None
    swiftui_variant: str | None = None
    identifiers: tuple[str, ...] = ()
    prefix: str | None = None
    app_delegate: str | None = None
    options: dict[str, object] = field(default_factory=dict)
    out: Path | None = None
    stdout: bool = False
    snippet: str | None = None
    force: bool = False
    dry_run: bool = False
    check: bool = False


@dataclass(frozen=True, slots=True)
class Resolved:
    """The validated spec, where its files go, and the project they must stay inside."""

    spec: GenSpec
    out: Path | None
    root: Path
    config: Path | None


def resolve_spec(request: GenRequest) -> tuple[GenSpec, Path | None]:
    resolved = resolve(request)
    return resolved.spec, resolved.out


def resolve(request: GenRequest, cwd: Path | None = None) -> Resolved:
    """Merge the config file (given, else the nearest .bgsession.toml with [gen]) and the flags (which
    win) into a validated spec; the project is the config file's folder, else the current directory."""
    here = Path(os.path.abspath(cwd or Path.cwd()))
    values: dict[str, object] = {}
    identifiers: list[str] = []
    per_session: list[SessionOptions] | None = None
    out = request.out
    config_path = request.config if request.config is not None else find_gen_config(here)
    root = here
    if config_path is not None:
        config = load_gen_config(config_path)
        root = Path(os.path.abspath(config_path)).parent
        values.update(config.values)
        identifiers = list(config.identifiers)
        per_session = list(config.per_session)
        out = out or config.out
    if request.identifiers:
        identifiers = list(request.identifiers)
        per_session = None
    flag_options = SessionOptions(**request.options)  # type: ignore[arg-type]
    if per_session is not None:
        per_session = [_override(options, request.options) for options in per_session]
    spec = build_spec(
        lang=request.lang or str(values.get("lang", "swift")),
        style=request.style or str(values.get("style", "uikit")),
        swiftui_variant=request.swiftui_variant or str(values.get("swiftui-variant", "task")),
        identifiers=identifiers,
        prefix=request.prefix if request.prefix is not None else str(values.get("prefix", "")),
        app_delegate=request.app_delegate or _optional_text(values.get("app-delegate")),
        options=flag_options,
        per_session=per_session,
    )
    resolved_out = Path(os.path.abspath(out)) if out is not None else None
    spec = replace(spec, regenerate=_regenerate_command(spec, request, config_path, resolved_out, root))
    return Resolved(spec, resolved_out, root, config_path)


def _regenerate_command(spec: GenSpec, request: GenRequest, config: Path | None, out: Path | None, root: Path) -> str:
    """A command that, run in the project folder, writes these files again (the header's second line)."""
    if config is None:
        words = spec.command_line().split(" ")
    else:
        words = ["bgsession", "gen", "--config", _relative(Path(os.path.abspath(config)), root)]
        for flag, value in (
            ("--lang", request.lang),
            ("--style", request.style),
            ("--swiftui-variant", request.swiftui_variant),
            ("--prefix", request.prefix),
            ("--app-delegate", request.app_delegate),
        ):
            if value is not None:
                words += [flag, shlex.quote(value)]
        for identifier in request.identifiers:
            words += ["--identifier", comment_text(identifier)]
        words += option_words(SessionOptions(**request.options))  # type: ignore[arg-type]
    if out is not None and (config is None or request.out is not None):
        words += ["--out", shlex.quote(_relative(out, root))]
    return " ".join(words)


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) or "."
    except ValueError:
        return str(path)


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _override(options: SessionOptions, flags: dict[str, object]) -> SessionOptions:
    return replace(options, **{key: value for key, value in flags.items() if value is not None})  # type: ignore[arg-type]


def run_gen(request: GenRequest, stdout: TextIO, stderr: TextIO) -> int:
    resolved = resolve(request)
    spec, out = resolved.spec, resolved.out
    for warning in spec.warnings:
        stderr.write(f"bgsession: warning: {warning}\n")
    targets = sum(bool(x) for x in (out is not None, request.stdout, request.snippet is not None))
    if targets == 0:
        raise UsageError("say where the code goes: --out DIR, --stdout, or --snippet PART")
    if out is not None and (request.stdout or request.snippet):
        raise UsageError("--out writes files; it cannot be combined with --stdout or --snippet")
    files = render_files(spec)
    if request.snippet is not None:
        stdout.write(render_snippet(spec, request.snippet))
    elif request.stdout:
        stdout.write(_concatenated(files))
    else:
        assert out is not None
        if spec.lang is Lang.OBJC:
            refuse_second_handle_events(spec, resolved.root, files)
        status = _write(files, out, resolved.root, request, stdout, stderr)
        if status != EXIT_OK:
            return status
    if request.check:
        return _report_check(compile_generated(spec, files), stderr)
    return EXIT_OK


def _concatenated(files: list[GeneratedFile]) -> str:
    return "\n".join(f"// ---- {generated.name} ----\n{generated.text}" for generated in files)


def _write(
    files: list[GeneratedFile], out: Path, root: Path, request: GenRequest, stdout: TextIO, stderr: TextIO
) -> int:
    plans = plan_writes(files, out, force=request.force, root=root)
    stale = stale_files(out, plans)
    if request.dry_run:
        stdout.write(describe_plan(plans, diff=True, stale=stale))
        changes = [plan for plan in plans if plan.action is not Action.UNCHANGED]
        # Exit 1 when anything would change: usable as a CI "generated code is up to date" check.
        return EXIT_CHECK_FAILED if changes or stale else EXIT_OK
    refused = conflicts(plans)
    if refused:
        for plan in refused:
            stderr.write(f"bgsession: error: {plan.path} {plan.reason}; not overwritten (use --force)\n")
            if plan.old_text is not None:
                stderr.write("\n".join(plan_diff(plan)) + "\n")
        return EXIT_USAGE
    written = apply_plan(plans)
    for plan in plans:
        verb = "wrote" if plan in written else "unchanged"
        stderr.write(f"{verb} {plan.path}\n")
    for path in stale:
        stderr.write(f"bgsession: warning: {path} was written by bgsession and is no longer generated; delete it\n")
    return EXIT_OK


def _report_check(report: CheckReport, stderr: TextIO) -> int:
    for warning in report.warnings:
        stderr.write(f"bgsession: warning: {warning}\n")
    for skipped in report.skipped:
        stderr.write(f"bgsession: warning: {skipped}\n")
    for run in report.runs:
        if not run.ok:
            stderr.write(f"bgsession: compile check failed: {' '.join(run.command)}\n{run.output}\n")
    if report.ok and report.runs:
        stderr.write(f"compile check passed ({len(report.runs)} compiler runs)\n")
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED
