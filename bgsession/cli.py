"""The command line: a click group whose commands delegate to the pipeline modules.

Exit codes (decided here and nowhere else): 0 nothing at or above the failing severity,
1 findings, 2 usage, configuration or toolchain error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from bgsession import __version__
from bgsession.errors import BgsessionError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bgsession")
def cli() -> None:
    """Generate and lint iOS background URLSession code (Swift and Objective-C)."""


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
    except BgsessionError as problem:
        click.echo(f"bgsession: error: {problem}", err=True)
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    """The console-script entry point."""
    sys.exit(main())
