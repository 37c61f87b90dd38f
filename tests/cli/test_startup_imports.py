"""Each command imports only what it needs: an editor lints one buffer on every keystroke, so the
`--stdin` path must not load the reference model, the language server, the fixes, the generator, the
other report formats or the project-file parsers. Structural, not timed: the modules a real process
ends with are compared with what the command may use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import DOWNLOADER

# Imports bgsession in a fresh interpreter, runs one command and prints the modules it ended with.
_PROBE = """
import json, sys
from bgsession.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)))
"""

NEVER_FOR_ONE_BUFFER = (
    "bgsession.model",
    "bgsession.lint.explain",
    "bgsession.lsp",
    "pygls",
    "lsprotocol",
    "bgsession.fixes",
    "bgsession.commands.fix",
    "bgsession.gen",
    "bgsession.commands.gen",
    "bgsession.report.sarif",
    "bgsession.report.html",
    "bgsession.report.junit",
    "bgsession.report.checkstyle",
    "bgsession.report.gitlab",
    "bgsession.report.markdown",
    "bgsession.git_changes",
    "openstep_parser",
    "xml.etree",
    "plistlib",
    "difflib",
)


def _modules(tmp_path: Path, *arguments: str, stdin: str | None = None) -> set[str]:
    environment = {**os.environ, "BGSESSION_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    modules: list[str] = json.loads(done.stdout.rsplit("\n", 2)[-2])
    return set(modules)


def _loaded(modules: set[str], prefix: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in modules)


def test_linting_one_buffer_loads_no_model_server_fixes_or_other_formats(tmp_path: Path) -> None:
    modules = _modules(tmp_path, "lint", "--stdin", "--stdin-filename", "App/Downloader.swift", stdin=DOWNLOADER)
    assert "bgsession.lint.runner" in modules and "bgsession.report.text" in modules  # it did lint
    assert [name for name in NEVER_FOR_ONE_BUFFER if _loaded(modules, name)] == []


@pytest.mark.parametrize(
    ("option", "needed"),
    [
        ("--explain", "bgsession.model"),
        ("--diff", "bgsession.fixes"),
        ("--format=sarif", "bgsession.report.sarif"),
    ],
)
def test_an_option_loads_what_it_needs(tmp_path: Path, option: str, needed: str) -> None:
    """The same probe sees the modules when they are asked for: the test above can fail."""
    arguments = ["lint", option, "--stdin", "--stdin-filename", "App/Downloader.swift"]
    assert _loaded(_modules(tmp_path, *arguments, stdin=DOWNLOADER), needed)


def test_the_command_line_alone_loads_no_linter(tmp_path: Path) -> None:
    modules = _modules(tmp_path, "--help")
    assert not _loaded(modules, "tree_sitter") and not _loaded(modules, "bgsession.lint")
