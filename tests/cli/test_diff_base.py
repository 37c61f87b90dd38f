"""`lint --diff-base REF` on real git repositories built here: exactly the findings on changed lines,
new and untracked files wholly changed, ignored files and line shifts not, staged renames followed,
related locations honoured, clear errors, and a checkout's git configuration never run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bgsession.diagnostics import Diagnostic, Loc, Related, Severity
from bgsession.git_changes import GitChanges, changed_lines_between, on_changed_lines
from tests.cli.helpers import DOWNLOADER, bgsession, codes, write_app

FINDING = "./Downloader.swift:12:9: warning: "  # BGS022 on `session.dataTask(with: url).resume()`
ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
         "-c", "init.defaultBranch=main", *args],
        cwd=repo, capture_output=True, text=True, check=True, env={**os.environ, **ENV},
    )  # fmt: skip
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    project = write_app(tmp_path / "repo")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "app")
    return project


def lint(repo: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return bgsession("lint", "--no-cache", *args, cwd=repo, stdin=stdin, env=ENV)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_reports_nothing_and_says_what_it_left_out(repo: Path) -> None:
    assert FINDING in lint(repo, ".").stdout
    done = lint(repo, ".", "--diff-base", "HEAD")
    assert done.returncode == 0 and done.stdout == ""
    assert done.stderr.strip() == "bgsession: no problems in 2 files (1 more on lines unchanged since HEAD)"


def test_a_finding_on_an_edited_line_is_reported(repo: Path) -> None:
    edit(repo / "Downloader.swift", "session.dataTask(with: url).resume()", "session.dataTask(with: url ).resume()")
    done = lint(repo, ".", "--diff-base", "HEAD")
    assert done.returncode == 1 and done.stdout.startswith(FINDING)


def test_lines_that_only_moved_are_not_changed(repo: Path) -> None:
    edit(repo / "Downloader.swift", "import UIKit\n", "import UIKit\n// a new comment\n")
    assert "./Downloader.swift:13:9: warning: " in lint(repo, ".").stdout
    assert lint(repo, ".", "--diff-base", "HEAD").stdout == ""


def test_a_deletion_touches_the_lines_around_it(repo: Path) -> None:
    edit(repo / "Downloader.swift", "    func fetch(_ url: URL) {\n", "    func fetch(_ url: URL) {\n        // go\n")
    git(repo, "commit", "-q", "-am", "comment")
    edit(repo / "Downloader.swift", "        // go\n", "")
    assert lint(repo, ".", "--diff-base", "HEAD").stdout.startswith(FINDING)


def test_committed_staged_and_unstaged_changes_since_an_older_revision(repo: Path) -> None:
    edit(repo / "Downloader.swift", "session.dataTask(with: url)", "session.dataTask(with: url )")
    git(repo, "commit", "-q", "-am", "touch the task line")
    assert lint(repo, ".", "--diff-base", "HEAD").stdout == ""
    assert lint(repo, ".", "--diff-base", "HEAD~1").stdout.startswith(FINDING)
    assert lint(repo, ".", "--diff-base", "main~1").stdout.startswith(FINDING)


def test_new_untracked_and_ignored_files(repo: Path) -> None:
    second = DOWNLOADER.replace("Downloader", "Uploader").replace("com.example.bg", "com.example.up")
    (repo / "Uploader.swift").write_text(second, encoding="utf-8")  # untracked: every line is new
    (repo / "Vendor").mkdir()
    (repo / "Vendor" / "Ignored.swift").write_text(second.replace("Uploader", "Ignored"), encoding="utf-8")
    (repo / ".gitignore").write_text("Vendor/\n", encoding="utf-8")
    everything = lint(repo, ".").stdout
    assert "./Vendor/Ignored.swift:12:9: warning: " in everything
    done = lint(repo, ".", "--diff-base", "HEAD")
    assert done.stdout.splitlines() == [line for line in everything.splitlines() if line.startswith("./Uploader.swift")]
    assert done.stdout.startswith("./Uploader.swift:12:9: warning: ")
    git(repo, "add", "Uploader.swift")  # staged new file: still wholly changed
    assert lint(repo, ".", "--diff-base", "HEAD").stdout == done.stdout


def test_a_staged_rename_keeps_unchanged_lines_unchanged(repo: Path) -> None:
    git(repo, "mv", "Downloader.swift", "Transfers.swift")
    assert lint(repo, ".", "--diff-base", "HEAD").stdout == ""
    edit(repo / "Transfers.swift", "session.dataTask(with: url)", "session.dataTask(with: url )")
    assert lint(repo, ".", "--diff-base", "HEAD").stdout.startswith("./Transfers.swift:12:9: warning: ")


def test_stdin_is_compared_as_given(repo: Path) -> None:
    text = (repo / "Downloader.swift").read_text(encoding="utf-8")
    args = ("--stdin", "--stdin-filename", "Downloader.swift", "--diff-base", "HEAD")
    assert lint(repo, *args, stdin=text).stdout == ""
    changed = text.replace("session.dataTask(with: url)", "session.dataTask(with: url )")
    assert codes(lint(repo, *args, stdin=changed).stdout) == ["BGS022"]


def test_paths_in_a_subfolder_and_from_outside_the_repository(repo: Path, tmp_path: Path) -> None:
    edit(repo / "Downloader.swift", "session.dataTask(with: url)", "session.dataTask(with: url )")
    done = bgsession("lint", "--no-cache", str(repo), "--diff-base", "HEAD", cwd=tmp_path, env=ENV)
    assert done.stdout.startswith(f"{repo / 'Downloader.swift'}:12:9: warning: ")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "bgsession: error: --diff-base: unknown revision 'no-such-branch' in "),
        ("--output=/tmp/bgsession-pwned", "bgsession: error: --diff-base: unknown revision '--output="),
        ("HEAD~5", "bgsession: error: --diff-base: unknown revision 'HEAD~5' in "),
    ],
)
def test_unknown_revisions_are_one_line_usage_errors(repo: Path, ref: str, message: str) -> None:
    done = lint(repo, ".", f"--diff-base={ref}")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr
    assert not Path("/tmp/bgsession-pwned").exists()


def test_outside_a_repository_is_a_one_line_usage_error(tmp_path: Path) -> None:
    write_app(tmp_path / "plain")
    done = bgsession(
        "lint", "plain", "--diff-base", "HEAD", cwd=tmp_path, env={**ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert done.returncode == 2
    assert done.stderr == f"bgsession: error: --diff-base: {tmp_path / 'plain'} is not inside a git working tree\n"


def test_diff_base_and_write_baseline_conflict(repo: Path) -> None:
    done = lint(repo, ".", "--diff-base", "HEAD", "--write-baseline", "b.json")
    assert done.returncode == 2 and "cannot be used together" in done.stderr


def test_a_checkouts_git_configuration_never_runs(repo: Path) -> None:
    """fsmonitor, an external diff, a textconv driver, clean/smudge/process filters and a pager, each
    a command that leaves a marker file; plain `git diff` runs them (so the trap is live), bgsession not."""
    markers = repo.parent / "markers"
    markers.mkdir()
    command = {name: f"touch {markers / name}; cat" for name in ("fsmonitor", "external", "textconv", "clean", "pager")}
    with (repo / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(
            f'[core]\n\tfsmonitor = "touch {markers / "fsmonitor"}; false"\n\tpager = "{command["pager"]}"\n'
            f'[diff]\n\texternal = "touch {markers / "external"}; true"\n'
            f'[diff "evil"]\n\ttextconv = "touch {markers / "textconv"}; cat"\n'
            f'[filter "evil"]\n\tclean = "{command["clean"]}"\n\tsmudge = cat\n'
            f'[pager]\n\tdiff = "{command["pager"]}"\n'
        )
    (repo / ".gitattributes").write_text("*.swift diff=evil filter=evil\n", encoding="utf-8")
    edit(repo / "Downloader.swift", "session.dataTask(with: url)", "session.dataTask(with: url )")
    os.utime(repo / "AppDelegate.swift")  # stat-dirty: git would re-read it through the clean filter
    for trap in (["git", "diff", "HEAD"], ["git", "diff", "--no-ext-diff", "HEAD"]):
        subprocess.run(trap, cwd=repo, capture_output=True, env={**os.environ, **ENV}, check=False)
    sprung = sorted(p.name for p in markers.iterdir())
    assert sprung == ["clean", "external", "fsmonitor", "textconv"], f"the trap must be live: {sprung}"
    for marker in markers.iterdir():
        marker.unlink()
    # An untracked file too, so that every git call bgsession makes runs in the trapped repository.
    uploader = DOWNLOADER.replace("Downloader", "Uploader").replace("com.example.bg", "com.example.up")
    (repo / "Uploader.swift").write_text(uploader, encoding="utf-8")
    done = lint(repo, ".", "--diff-base", "HEAD")
    assert done.stdout.startswith(FINDING) and "./Uploader.swift:12:9: warning: " in done.stdout, done.stderr
    assert sorted(p.name for p in markers.iterdir()) == []


def test_related_locations_and_spans(tmp_path: Path, repo: Path) -> None:
    changes = GitChanges.since("HEAD", str(repo))
    downloader, delegate = str(repo / "Downloader.swift"), str(repo / "AppDelegate.swift")
    edit(
        repo / "Downloader.swift", "    func urlSessionDidFinishEvents", "    func  urlSessionDidFinishEvents"
    )  # line 15
    at_store = Diagnostic("BGS013", "handler-never-called", Severity.ERROR, delegate, Loc(10, 9, 10, 20), "m")
    with_related = Diagnostic(
        "BGS013", "handler-never-called", Severity.ERROR, delegate, Loc(10, 9, 10, 20), "m",
        related=(Related(downloader, Loc(15, 5, 15, 30), "urlSessionDidFinishEvents does not call it"),),
    )  # fmt: skip
    spanning = Diagnostic("BGS002", "session-recreated", Severity.ERROR, downloader, Loc(13, 1, 16, 2), "m")
    assert on_changed_lines([at_store, with_related, spanning], changes, {}) == [with_related, spanning]


def test_changed_lines_between() -> None:
    assert changed_lines_between(b"a\nb\nc\n", b"a\nb\nc\n") == frozenset()
    assert changed_lines_between(b"a\nb\nc\n", b"a\nB\nc\n") == {2}
    assert changed_lines_between(b"a\nb\nc\n", b"a\nc\n") == {1, 2}
    assert changed_lines_between(b"a\nb\n", b"x\na\nb\ny\nz\n") == {1, 4, 5}
    assert changed_lines_between(b"a\n", b"a") == {1}
    assert changed_lines_between(b"a\0b", b"a\0c") is None  # binary: every line


@pytest.mark.skipif(os.geteuid() != 0, reason="handing the repository to another user needs root")
def test_a_repository_git_refuses_is_named_with_gits_reason(tmp_path: Path) -> None:
    project = write_app(tmp_path / "theirs")
    git(project, "init", "-q")
    for folder, _, names in os.walk(project):
        for name in [".", *names]:
            os.chown(os.path.join(folder, name), 65534, 65534)  # nobody: git refuses another user's repository
    done = bgsession("lint", str(project), "--diff-base", "HEAD", cwd=tmp_path, env=ENV)
    assert done.returncode == 2
    assert done.stderr == (
        f"bgsession: error: --diff-base: {project}: detected dubious ownership in repository at '{project}'\n"
    )
