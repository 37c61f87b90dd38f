"""The project's promises about itself: the Quick start, CI, and the command line's basics."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bgsession import __version__
from bgsession.cli import main

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.DOTALL)


def test_quick_start_has_exactly_two_one_line_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = quick_start_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_version_and_help(capsys: object) -> None:
    assert main(["--version"]) == 0
    assert main(["--help"]) == 0


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "bgsession", "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_unknown_command_is_a_usage_error() -> None:
    assert main(["no-such-command"]) == 2


def test_readme_snippet_is_the_real_output(capsys: object) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- snippet: did-finish-events -->\n```swift\n", 1)[1].split("```", 1)[0]
    from bgsession.gen.render import render_snippet
    from bgsession.gen.spec import build_spec

    spec = build_spec(lang="swift", style="uikit", identifiers=["com.example.app.downloads"])
    assert shown == render_snippet(spec, "did-finish-events")
