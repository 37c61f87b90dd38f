"""Lint, fix, lint again: the rounds `--fix` and `--diff` run, in memory until the files are written.

Each round lints with the files fixed so far standing in for the files on disk (the same route an
editor buffer takes), applies every fix of a file that overlaps no fix chosen before it, and checks
that the file still parses as well as before. Fixes left out for an overlap are recomputed and
applied in the next round, ruff's way; the rounds stop when nothing changes. Only then, with
`--fix`, are the files written, each atomically and only if it has not changed on disk meanwhile.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from bgsession.diagnostics import Diagnostic, escape_path
from bgsession.files import FileError, write_file
from bgsession.fixes.disk import Editable, editable
from bgsession.fixes.edits import Chosen, apply, choose, wanted_fix
from bgsession.fixes.parsing import error_count
from bgsession.lint.runner import LintRequest, lint
from bgsession.sources import read_file

# Each round removes at least one finding; a fix that brought its finding back would loop.
MAX_ROUNDS = 10


@dataclass(frozen=True, slots=True)
class FixRequest:
    lint: LintRequest
    unsafe: bool = False
    write: bool = False  # --fix writes; --diff only computes


@dataclass(slots=True)
class FixOutcome:
    before: dict[str, bytes] = field(default_factory=dict)  # path -> bytes on disk
    after: dict[str, bytes] = field(default_factory=dict)  # path -> the fixed bytes
    applied: list[Chosen] = field(default_factory=list)
    overlapping: list[Chosen] = field(default_factory=list)  # left out in the last round
    unsafe_left: int = 0  # findings whose only fixes are unsafe, when those are not allowed
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return sorted(path for path, data in self.after.items() if data != self.before.get(path))


def fix_project(request: FixRequest) -> FixOutcome:
    outcome = FixOutcome()
    overrides = dict(request.lint.overrides)
    files: dict[str, Editable] = {}
    refused: set[str] = set()
    for _ in range(MAX_ROUNDS):
        result = lint(dataclasses.replace(request.lint, overrides=overrides))
        fixable: dict[str, list[Diagnostic]] = defaultdict(list)
        outcome.unsafe_left = 0
        for diagnostic in result.diagnostics:
            if wanted_fix(diagnostic, request.unsafe) is not None:
                if diagnostic.path not in refused:
                    fixable[diagnostic.path].append(diagnostic)
            elif diagnostic.fixes:
                outcome.unsafe_left += 1
        outcome.overlapping = []
        progressed = False
        for path, diagnostics in sorted(fixable.items()):
            current = files.get(path) or _load(path, overrides, outcome, refused)
            if current is None:
                continue
            files[path] = current
            taken, left = choose(diagnostics, request.unsafe)
            try:
                fixed = apply(current.text, taken, current.newline)
            except ValueError as problem:  # an edit outside the file: a bug, which must not cost the run
                worse: str | None = f"internal error ({problem}); please report it"
            else:
                worse = _parses_worse(path, current.text, fixed)
            if worse is not None:
                done = " the remaining" if path in outcome.after else ""
                outcome.notes.append(f"{escape_path(path)}:{done} fixes not applied: {worse}")
                refused.add(path)
                continue
            outcome.applied.extend(taken)
            outcome.overlapping.extend(left)
            files[path] = dataclasses.replace(current, text=fixed)
            overrides[path] = outcome.after[path] = current.to_disk(fixed)
            progressed = True
        if not progressed:
            break
    else:
        # Still changing after the last round: some fix brings back what another removes.
        outcome.notes.append(f"fixes still changing files after {MAX_ROUNDS} rounds; stopped there")
    if request.write:
        _write(outcome)
    return outcome


def _load(path: str, overrides: dict[str, bytes], outcome: FixOutcome, refused: set[str]) -> Editable | None:
    try:
        data = overrides[path] if path in overrides else read_file(path)
    except OSError as problem:
        outcome.notes.append(f"{escape_path(path)}: fixes not applied: cannot be read ({problem.strerror})")
        refused.add(path)
        return None
    found = editable(data)
    if isinstance(found, str):
        outcome.notes.append(f"{escape_path(path)}: fixes not applied: the file {found}")
        refused.add(path)
        return None
    outcome.before[path] = data
    return found


def _parses_worse(path: str, before: bytes, after: bytes) -> str | None:
    old, new = error_count(path, before), error_count(path, after)
    if old is None or new is None or new <= old:
        return None
    return f"the result would have {new - old} more syntax error{'s' if new - old != 1 else ''}"


def _write(outcome: FixOutcome) -> None:
    for path in outcome.changed:
        try:
            if read_file(path) != outcome.before[path]:
                outcome.notes.append(f"{escape_path(path)}: fixes not written: the file changed while it was fixed")
                continue
            write_file(path, outcome.after[path], what="fixed source file")
        except (OSError, FileError) as problem:
            outcome.notes.append(f"{escape_path(path)}: fixes not written: {problem}")
        else:
            continue
        del outcome.after[path]
        outcome.applied = [item for item in outcome.applied if item.diagnostic.path != path]
