"""The command line: a click group whose commands delegate to the pipeline modules.

Exit codes (decided here and nowhere else): 0 nothing at or above the failing severity,
1 findings, 2 usage, configuration or toolchain error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from bgsession import __version__
from bgsession.commands.choices import FAIL_ON
from bgsession.errors import BgsessionError, Interrupted, UsageError
from bgsession.report import FORMATS

# Each command imports its machinery when it runs: an editor that lints one buffer on every save
# should not pay for the generator's templates, nor `--help` for tree-sitter.

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bgsession")
def cli() -> None:
    """Generate and lint iOS background URLSession code (Swift and Objective-C)."""


@cli.command("gen")
@click.option(
    "--config", type=click.Path(dir_okay=False, path_type=Path), help="Read options from a TOML file's [gen] table."
)
@click.option("--lang", type=click.Choice(["swift", "objc"]), help="Output language (default swift).")
@click.option(
    "--style", type=click.Choice(["uikit", "swiftui", "extension", "watchos"]), help="App style (default uikit)."
)
@click.option(
    "--swiftui-variant",
    type=click.Choice(["task", "adaptor"]),
    help="SwiftUI: the scene's backgroundTask (default) or a delegate adaptor.",
)
@click.option("--identifier", "identifiers", multiple=True, metavar="ID", help="A session identifier (repeatable).")
@click.option("--prefix", help="Prefix for generated type names.")
@click.option("--app-delegate", help="Your app delegate's class name (default AppDelegate).")
@click.option("--discretionary/--no-discretionary", default=None, help="Set isDiscretionary.")
@click.option("--launch-events/--no-launch-events", default=None, help="Set sessionSendsLaunchEvents.")
@click.option("--cellular/--no-cellular", default=None, help="Set allowsCellularAccess.")
@click.option("--resource-timeout", type=float, metavar="SECONDS", help="Set timeoutIntervalForResource.")
@click.option("--max-connections", type=int, metavar="N", help="Set httpMaximumConnectionsPerHost.")
@click.option("--shared-container", metavar="GROUP", help="Set sharedContainerIdentifier (needed by extensions).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Write the files into this folder.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print every file instead of writing them.")
@click.option("--snippet", metavar="PART", help="Print one part (handle-events, did-finish-events, manager, ...).")
@click.option("--force", is_flag=True, help="Overwrite files that differ from the generated code.")
@click.option("--dry-run", is_flag=True, help="Show what would be written, with diffs, and write nothing.")
@click.option("--check", is_flag=True, help="Compile the generated code (Xcode's SDK, or the bundled stub SDK).")
def gen_command(
    config: Path | None,
    lang: str | None,
    style: str | None,
    swiftui_variant: str | None,
    identifiers: tuple[str, ...],
    prefix: str | None,
    app_delegate: str | None,
    discretionary: bool | None,
    launch_events: bool | None,
    cellular: bool | None,
    resource_timeout: float | None,
    max_connections: int | None,
    shared_container: str | None,
    out: Path | None,
    to_stdout: bool,
    snippet: str | None,
    force: bool,
    dry_run: bool,
    check: bool,
) -> int:
    """Generate background-session code in Swift or Objective-C."""
    from bgsession.commands.gen import GenRequest, run_gen

    options = {
        "discretionary": discretionary,
        "launch_events": launch_events,
        "cellular": cellular,
        "resource_timeout": resource_timeout,
        "max_connections": max_connections,
        "shared_container": shared_container,
    }
    request = GenRequest(
        config=config,
        lang=lang,
        style=style,
        swiftui_variant=swiftui_variant,
        identifiers=identifiers,
        prefix=prefix,
        app_delegate=app_delegate,
        options={key: value for key, value in options.items() if value is not None},
        out=out,
        stdout=to_stdout,
        snippet=snippet,
        force=force,
        dry_run=dry_run,
        check=check,
    )
    return run_gen(request, sys.stdout, sys.stderr)


@cli.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--sarif-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a SARIF report to FILE.",
)
@click.option(
    "--json-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a JSON report to FILE.",
)
@click.option(
    "--junit-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a JUnit XML report to FILE.",
)
@click.option(
    "--checkstyle-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a Checkstyle XML report to FILE.",
)
@click.option(
    "--html-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write an HTML report (with --explain's traces drawn) to FILE.",
)
@click.option(
    "--gitlab-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a GitLab Code Quality report to FILE.",
)
@click.option(
    "--markdown-output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a Markdown summary (counts per rule, the findings as a table) to FILE.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules or code prefixes (comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules or code prefixes (comma-separated).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that fails the run (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (usage errors still exit 2).")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Use this configuration file instead of the closest .bgsession.toml.",
)
@click.option("--no-config", is_flag=True, help="Ignore .bgsession.toml files.")
@click.option("--stdin", "from_stdin", is_flag=True, help="Lint the source text on standard input.")
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With --stdin: the file the text is (its language, configuration and reported path).",
)
@click.option(
    "--xcode-script-inputs",
    is_flag=True,
    help="Lint the input files of an Xcode Run Script phase (SCRIPT_INPUT_FILE_*), or SRCROOT when unsandboxed.",
)
@click.option(
    "--stamp",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="After a run that passes, write FILE (a Run Script phase's declared output, so Xcode can skip it).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="FILE",
    help="Report only findings that FILE does not record.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Record every current finding in FILE and exit 0.",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings on lines changed since the git revision REF (the whole project is still linted).",
)
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--explain", is_flag=True, help="Show the reference model's counterexample under each lifecycle finding.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the per-file facts cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep the facts cache in DIR (default: BGSESSION_CACHE_DIR, else the user cache folder).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes for large inputs (default and maximum: the CPUs this process may use).",
)
@click.option(
    "--max-file-bytes",
    type=click.IntRange(min=1),
    metavar="N",
    help="Skip files larger than N bytes, with one note each (default 3000000, or max-file-bytes in the config).",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal only).")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and errors, and no summary line.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes to the files, then report what remains.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and change nothing (exit 1 if any).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also the fixes that change behaviour.")
def lint_command(
    paths: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    sarif_output: Path | None,
    json_output: Path | None,
    junit_output: Path | None,
    checkstyle_output: Path | None,
    html_output: Path | None,
    gitlab_output: Path | None,
    markdown_output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    exit_zero: bool,
    config_file: Path | None,
    no_config: bool,
    from_stdin: bool,
    stdin_filename: str | None,
    xcode_script_inputs: bool,
    stamp: Path | None,
    baseline: Path | None,
    write_baseline: Path | None,
    diff_base: str | None,
    statistics: bool,
    explain: bool,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    max_file_bytes: int | None,
    progress: bool | None,
    quiet: bool,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
) -> int:
    """Lint Swift and Objective-C sources for background-session defects."""
    from bgsession.commands.lint import ConfigSet, LintCommand, parse_codes, read_stdin, run_lint, wants_progress
    from bgsession.commands.xcode import read_phase
    from bgsession.lint.runner import LintRequest, usable_cpus

    targets = list(paths)
    phase = read_phase() if xcode_script_inputs else None
    if phase is not None:
        targets += phase.inputs
        cache_dir = cache_dir or phase.cache_dir()
        no_cache = no_cache or (cache_dir is None and phase.sandboxed)
    overrides: dict[str, bytes] = {}
    report_paths: frozenset[str] | None = None
    if from_stdin:
        if not stdin_filename:
            raise UsageError("--stdin needs --stdin-filename PATH (the file the text on standard input is)")
        overrides[stdin_filename] = read_stdin()
        report_paths = frozenset({stdin_filename})
    elif stdin_filename:
        raise UsageError("--stdin-filename is only meaningful with --stdin")
    elif not targets:
        targets = ["."]
    if baseline is not None and write_baseline is not None:
        raise UsageError("--baseline and --write-baseline cannot be used together")
    if diff_base is not None and write_baseline is not None:
        raise UsageError("--diff-base and --write-baseline cannot be used together (a baseline records every finding)")
    if unsafe_fixes and not (fix or diff):
        raise UsageError("--unsafe-fixes is only meaningful with --fix or --diff")
    if fix and from_stdin and not diff:
        raise UsageError("--fix cannot write text read from standard input; use --diff to see the fixes")
    extra = {
        name: path
        for name, path in (
            ("sarif", sarif_output),
            ("json", json_output),
            ("junit", junit_output),
            ("checkstyle", checkstyle_output),
            ("html", html_output),
            ("gitlab", gitlab_output),
            ("markdown", markdown_output),
        )
        if path is not None
    }
    request = LintRequest(
        paths=targets,
        select=parse_codes(select, "--select"),
        ignore=parse_codes(ignore, "--ignore") or frozenset(),
        overrides=overrides,
        report_paths=report_paths,
        explain=explain,
        configs=ConfigSet(config_file, enabled=not no_config, readable=phase.readable if phase else None),
        readable=phase.readable if phase else None,
        jobs=jobs or usable_cpus(),
        max_file_bytes=max_file_bytes,
    )
    command = LintCommand(
        request,
        output_format,
        quiet=quiet,
        explain=explain,
        fail_on=fail_on,
        exit_zero=exit_zero,
        output_file=output_file,
        extra_outputs=extra,
        baseline=baseline,
        write_baseline=write_baseline,
        statistics=statistics,
        progress=wants_progress(sys.stderr) if progress is None else progress,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        stamp=stamp,
        diff_base=diff_base,
        fix=fix,
        diff=diff,
        unsafe_fixes=unsafe_fixes,
    )
    return run_lint(command, sys.stdout, sys.stderr)


@cli.command("xcfilelist")
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The .xcodeproj (default: the only one in the current folder).",
)
@click.option("--target", "target_name", required=True, metavar="NAME", help="The target whose sources to list.")
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the list to FILE instead of standard output.",
)
def xcfilelist_command(project: Path | None, target_name: str, output_file: Path | None) -> int:
    """Write the .xcfilelist of a target's sources, the input files of a sandboxed Run Script phase."""
    from bgsession.commands.xcfilelist import file_list, find_project
    from bgsession.files import write_file

    listing = file_list(project or find_project(Path.cwd()), target_name)
    if output_file is None:
        sys.stdout.write(listing)
    else:
        write_file(output_file, listing, what="file list")
    return EXIT_OK


@cli.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--write-docs",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write one Markdown page per rule, and an index, into DIR.",
)
def rules_command(output_format: str, write_docs: Path | None) -> int:
    """List the rule catalog."""
    from bgsession.commands.rules import run_rules, write_rule_pages

    if write_docs is not None:
        for written in write_rule_pages(write_docs):
            sys.stderr.write(f"wrote {written}\n")
        return EXIT_OK
    return run_rules(output_format, sys.stdout)


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> int:
    """Show one rule's documentation (by code or name)."""
    from bgsession.commands.rules import run_rule

    return run_rule(code, sys.stdout)


@cli.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def lsp_command(stdio: bool) -> int:
    """Run the language server (Language Server Protocol over stdio)."""
    from bgsession.lsp import serve

    return serve()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status instead of exiting (tests call this)."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="bgsession", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as problem:
        problem.show()
        return EXIT_USAGE
    except click.Abort:
        click.echo("bgsession: interrupted", err=True)
        return 130
    except Interrupted as stop:
        click.echo("bgsession: interrupted", err=True)
        return 128 + stop.signum
    except BgsessionError as problem:
        click.echo(f"bgsession: error: {problem}", err=True)
        return problem.exit_status
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    """The console-script entry point."""
    sys.exit(main())
