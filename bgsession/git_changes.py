"""Which lines of a file have changed since a git revision (`lint --diff-base REF`), found without
letting the checkout run anything.

A checkout's git configuration can name programs that git runs: an fsmonitor hook, an external diff,
a textconv driver, and clean filters that `git diff` applies to working-tree files (a `.gitattributes`
line can point any file at a filter the config defines). So git is never asked to read the working
tree. It is asked only for the revision's commit, the index's staged renames and the revision's blob
of each file that has a finding (`cat-file blob` applies no filter); the working-tree bytes bgsession
linted are then compared with that blob by `git diff --no-index` in an empty temporary folder, where
no repository's configuration applies. Every call also switches the known hooks off, never pages, and
has a timeout.

The changed lines of a file are the lines its new version added or modified, and for a deletion the
two lines it sat between. A file that is not in the revision (added, or untracked and not ignored) is
changed on every line; an ignored file, or one outside the repository, on none.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bgsession.diagnostics import Diagnostic, one_line
from bgsession.errors import BgsessionError
from bgsession.files import read_bytes

TIMEOUT_SECONDS = 60
# Set on every call: each names a program a configuration could make git run, or output it could change.
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.quotePath=false",
    "diff.external=",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.relative=false",
    "color.ui=false",
)
# The user's environment can point git at programs too; these are dropped for bgsession's calls.
_DROPPED_ENV = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_DIFF_OPTS", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT")
# What points git at a repository; dropped for the comparison that must see none.
_REPOSITORY_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)

EVERY_LINE: None = None
Lines = frozenset[int] | None  # None: every line of the file changed


class GitError(BgsessionError):
    """--diff-base cannot be honoured: git is missing, the folder is not a repository, the revision is unknown."""


def _environment(extra: Mapping[str, str] | None = None, *, alone: bool = False) -> dict[str, str]:
    dropped = _DROPPED_ENV + (_REPOSITORY_ENV if alone else ())
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    env["GIT_LITERAL_PATHSPECS"] = "1"  # a file named `*.swift` or `:(top)x` is that file, not a pattern
    env.update(extra or {})
    return env


def run_git(
    args: Sequence[str],
    cwd: str,
    *,
    extra_env: Mapping[str, str] | None = None,
    alone: bool = False,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """git with the hooks off; a failure (when `check`) is a GitError carrying git's first line."""
    command = ["git", "--no-pager"]
    for setting in _SAFE_CONFIG:
        command += ["-c", setting]
    command += list(args)
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=_environment(extra_env, alone=alone),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("--diff-base needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"--diff-base: git {args[0]} did not finish in {TIMEOUT_SECONDS} s") from None
    if check and done.returncode != 0:
        raise GitError(f"--diff-base: {_first_line(done.stderr) or f'git {args[0]} failed'}")
    return done


def _first_line(output: bytes) -> str:
    text = output.decode("utf-8", "replace").strip()
    return one_line(text.splitlines()[0]) if text else ""


def changed_lines_between(before: bytes, after: bytes) -> Lines:
    """The lines of `after` that `git diff` shows as added or modified (and those around a deletion)."""
    if before == after:
        return frozenset()
    with tempfile.TemporaryDirectory(prefix="bgsession-diff-") as folder:
        for name, content in (("before", before), ("after", after)):
            with open(os.path.join(folder, name), "wb") as handle:
                handle.write(content)
        done = run_git(
            ["diff", "--no-index", "--no-ext-diff", "--no-textconv", "--no-color", "--diff-algorithm=myers",
             "-U0", "--", "before", "after"],
            folder,
            # No repository around the folder is looked for, so none's configuration is read.
            extra_env={"GIT_CEILING_DIRECTORIES": os.path.dirname(folder)},
            alone=True,
            check=False,
        )  # fmt: skip
    if done.returncode not in (0, 1):
        raise GitError(f"--diff-base: {_first_line(done.stderr) or 'git diff failed'}")
    if not done.stdout.strip():
        return frozenset()
    if b"\n@@ " not in done.stdout and not done.stdout.startswith(b"@@ "):
        return EVERY_LINE  # "Binary files ... differ": no line-level answer
    lines: set[int] = set()
    for hunk in _HUNK.finditer(done.stdout):
        start, count = int(hunk.group(1)), int(hunk.group(2) or "1")
        if count:
            lines.update(range(start, start + count))
        else:
            # A pure deletion after line `start` of the new file: the lines on either side.
            lines.update(line for line in (start, start + 1) if line >= 1)
    return frozenset(lines)


@dataclass
class GitChanges:
    """The changes of one working tree since one commit, answered per file and cached."""

    top: str
    commit: str
    renamed_from: dict[str, str]  # staged renames and copies: new path -> path in the commit
    _lines: dict[str, Lines] = field(default_factory=dict)

    @classmethod
    def since(cls, ref: str, start: str) -> GitChanges:
        folder = start if os.path.isdir(start) else (os.path.dirname(start) or ".")
        if not os.path.isdir(folder):
            folder = "."
        inside = run_git(["rev-parse", "--is-inside-work-tree"], folder, check=False)
        if inside.returncode != 0 or inside.stdout.strip() != b"true":
            reason = _first_line(inside.stderr).removeprefix("fatal: ")
            where = os.path.abspath(folder)
            if inside.returncode == 0 or not reason or "not a git repository" in reason:
                raise GitError(f"--diff-base: {where} is not inside a git working tree")
            # git's own words otherwise: a repository owned by another user ("dubious ownership"), say.
            raise GitError(f"--diff-base: {where}: {reason}")
        top = os.fsdecode(run_git(["rev-parse", "--show-toplevel"], folder).stdout.rstrip(b"\n"))
        verify = ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"]
        resolved = run_git(verify, top, check=False)
        if resolved.returncode != 0:
            raise GitError(f"--diff-base: unknown revision {ref!r} in {top}")
        commit = resolved.stdout.decode("ascii").strip()
        staged = run_git(["diff", "--cached", "--no-ext-diff", "--no-textconv", "-M", "-C", "--name-status", "-z",
                          commit, "--"], top).stdout  # fmt: skip
        return cls(os.path.realpath(top), commit, _renames(staged))

    def lines(self, path: str, content: bytes | None = None) -> Lines:
        """The changed lines of `path` (as linted: `content` when bgsession read it from stdin)."""
        real = os.path.realpath(path)
        if real not in self._lines:
            self._lines[real] = self._compute(real, content)
        return self._lines[real]

    def _compute(self, real: str, content: bytes | None) -> Lines:
        relative = os.path.relpath(real, self.top)
        if relative == os.curdir or relative.startswith(os.pardir + os.sep) or relative == os.pardir:
            return frozenset()  # outside the repository: nothing there changed "since REF"
        relative = relative.replace(os.sep, "/")
        old_path = self.renamed_from.get(relative, relative)
        blob = run_git(["cat-file", "blob", f"{self.commit}:{old_path}"], self.top, check=False)
        if blob.returncode != 0:
            listed = run_git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", relative], self.top)
            return EVERY_LINE if listed.stdout else frozenset()  # new (or untracked) vs ignored
        try:
            after = content if content is not None else read_bytes(real, what="source file")
        except BgsessionError:
            return EVERY_LINE  # linted but now unreadable: shown rather than hidden
        return changed_lines_between(blob.stdout, after)

    def touches(self, path: str, first: int, last: int, content: bytes | None = None) -> bool:
        lines = self.lines(path, content)
        if lines is EVERY_LINE:
            return True
        return any(line in lines for line in range(first, max(first, last) + 1))


def _renames(output: bytes) -> dict[str, str]:
    fields = output.split(b"\0")
    renames: dict[str, str] = {}
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[:1] in (b"R", b"C"):
            renames[os.fsdecode(fields[index + 2])] = os.fsdecode(fields[index + 1])
            index += 3
        else:
            index += 2
    return renames


def on_changed_lines(
    diagnostics: Sequence[Diagnostic], changes: GitChanges, overrides: Mapping[str, bytes]
) -> list[Diagnostic]:
    """The findings whose span, or one of whose related locations, touches a changed line."""
    kept = []
    for diagnostic in diagnostics:
        places = [(diagnostic.path, diagnostic.loc)] + [(r.path, r.loc) for r in diagnostic.related]
        if any(changes.touches(path, loc.line, loc.end_line, overrides.get(path)) for path, loc in places):
            kept.append(diagnostic)
    return kept


__all__ = ["EVERY_LINE", "GitChanges", "GitError", "changed_lines_between", "on_changed_lines", "run_git"]
