"""`bgsession gen`: from flags or a config file, to a snippet, stdout, files, a dry run, or a compile check."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bgsession.errors import UsageError
from bgsession.gen.check import CheckReport
from bgsession.gen.config import load_gen_config
from bgsession.gen.harness import compile_generated
from bgsession.gen.render import GeneratedFile, render_files, render_snippet
from bgsession.gen.spec import GenSpec, SessionOptions, build_spec
from bgsession.gen.write import apply_plan, conflicts, describe_plan, plan_writes

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


def resolve_spec(request: GenRequest) -> tuple[GenSpec, Path | None]:
    """Merge the config file (if any) and the flags (which win) into a validated spec."""
    values: dict[str, object] = {}
    identifiers: list[str] = []
    per_session: list[SessionOptions] | None = None
    out = request.out
    if request.config is not None:
        config = load_gen_config(request.config)
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
    return spec, out


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _override(options: SessionOptions, flags: dict[str, object]) -> SessionOptions:
    from dataclasses import replace

    return replace(options, **{key: value for key, value in flags.items() if value is not None})  # type: ignore[arg-type]


def run_gen(request: GenRequest, stdout: TextIO, stderr: TextIO) -> int:
    spec, out = resolve_spec(request)
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
        status = _write(files, out, request, stdout, stderr)
        if status != EXIT_OK:
            return status
    if request.check:
        return _report_check(compile_generated(spec, files), stderr)
    return EXIT_OK


def _concatenated(files: list[GeneratedFile]) -> str:
    return "\n".join(f"// ---- {generated.name} ----\n{generated.text}" for generated in files)


def _write(files: list[GeneratedFile], out: Path, request: GenRequest, stdout: TextIO, stderr: TextIO) -> int:
    plans = plan_writes(files, out, force=request.force)
    if request.dry_run:
        stdout.write(describe_plan(plans, diff=True))
        return EXIT_OK
    refused = conflicts(plans)
    if refused:
        for plan in refused:
            stderr.write(f"bgsession: error: {plan.path} {plan.reason}; not overwritten (use --force)\n")
        return EXIT_USAGE
    written = apply_plan(plans)
    for plan in plans:
        verb = "wrote" if plan in written else "unchanged"
        stderr.write(f"{verb} {plan.path}\n")
    return EXIT_OK


def _report_check(report: CheckReport, stderr: TextIO) -> int:
    for skipped in report.skipped:
        stderr.write(f"bgsession: warning: {skipped}\n")
    for run in report.runs:
        if not run.ok:
            stderr.write(f"bgsession: compile check failed: {' '.join(run.command)}\n{run.output}\n")
    if report.ok and report.runs:
        stderr.write(f"compile check passed ({len(report.runs)} compiler runs)\n")
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED
