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


def _readme_block(marker: str, fence: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"<!-- {marker} -->\n{fence}", 1)[1].split("```" if fence else "\n\n", 1)[0]


def test_readme_lint_example_is_the_real_output() -> None:
    shown = _readme_block("lint-example", "```text\n")
    command = quick_start_commands()[0].split("&& .venv/bin/bgsession ", 1)[1].split()
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert shown == done.stdout
    assert done.stdout.count(": error: ") >= 3


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    from bgsession.commands.rules import rules_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- rules-table -->\n" + rules_table() in readme


def test_docs_rules_are_not_stale() -> None:
    from bgsession.commands.rules import rule_pages

    folder = ROOT / "docs" / "rules"
    pages = rule_pages()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.md")}
    stale = sorted(name for name in set(pages) | set(on_disk) if pages.get(name) != on_disk.get(name))
    assert not stale, f"docs/rules is stale ({', '.join(stale)}): run `bgsession rules --write-docs docs/rules`"


def test_readme_explain_example_is_the_real_output() -> None:
    shown = _readme_block("explain-example", "```text\n")
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", "lint", "--explain", "--select", "BGS014", "examples/PhotoBackup"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown == done.stdout
    assert "note:   1. " in shown
