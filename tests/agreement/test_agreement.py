"""The linter's lifecycle rules agree with the reference model on every behaviour in the bounded space.

Each behaviour is rendered as a small Swift project and as a small Objective-C project, linted, and
the lifecycle codes the linter reports must equal the violations `explore` finds. The project
summary must also convert back into the behaviour it was rendered from (the bridge `--explain` uses).
A disagreement is a bug in a rule, in the model or in the converter: fix it, never exclude it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bgsession.gen.check import check_objc, check_swift
from bgsession.model import TaskKind
from bgsession.model.codes import COVERED_CODES
from tests.agreement.harness import converted, lifecycle_codes, lint_knobs, model_codes
from tests.agreement.render import render_project
from tests.agreement.space import Finish, Handle, Identifiers, Knobs, behaviour, every_knobs
from tests.conftest import require_tool

LANGUAGES = ("swift", "objc")


@dataclass(frozen=True, slots=True)
class Disagreement:
    knobs: Knobs
    lang: str
    what: str

    def __str__(self) -> str:
        return f"[{self.lang}] {self.knobs.label()}: {self.what}"


def _check(chunk: list[Knobs]) -> tuple[int, set[str], list[Disagreement]]:
    found: list[Disagreement] = []
    reached: set[str] = set()
    for knobs in chunk:
        expected = model_codes(knobs)
        reached |= expected
        for lang in LANGUAGES:
            result = lint_knobs(knobs, lang)
            got = lifecycle_codes(result)
            if got != expected:
                found.append(
                    Disagreement(
                        knobs,
                        lang,
                        f"model {sorted(expected)}, linter {sorted(got)}",
                    )
                )
            if converted(result, knobs) != behaviour(knobs):
                found.append(Disagreement(knobs, lang, "the summary does not convert back into this behaviour"))
    return len(chunk), reached, found


def _chunks(items: list[Knobs], size: int) -> Iterator[list[Knobs]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def test_linter_agrees_with_the_model_on_every_behaviour(capsys: pytest.CaptureFixture[str]) -> None:
    space = list(every_knobs())
    workers = max(1, min(2, os.cpu_count() or 1))
    checked = 0
    reached: set[str] = set()
    disagreements: list[Disagreement] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for count, codes, found in pool.map(_check, _chunks(space, 96)):
            checked += count
            reached |= codes
            disagreements.extend(found)
    with capsys.disabled():
        print(
            f"\nagreement: {checked} behaviours checked per language ({', '.join(LANGUAGES)}), "
            f"{len(disagreements)} disagreements"
        )
    assert checked == len(space) == 7840
    assert not disagreements, "\n".join(map(str, disagreements[:20]))
    # A space in which some rule never fires could not catch a wrong rule. BGS023 (the temporary
    # file) and BGS030 (extensions) are outside these knobs; the generator's mutation test has them.
    assert reached == set(COVERED_CODES) - {"BGS023", "BGS030"}


# The rendered projects are real code: a sample of them compiles against the stub SDK.
SAMPLE = [
    Knobs(True, True, Handle.STORES, Finish.MAIN_CLEARS, Identifiers.TWO, TaskKind.DOWNLOAD, True),
    Knobs(False, False, Handle.DROPS_UNKNOWN, Finish.DIRECT_KEEPS, Identifiers.UNSTABLE, TaskKind.UPLOAD_DATA, False),
    Knobs(True, True, Handle.IGNORES_IDENTIFIER, Finish.MAIN_KEEPS, Identifiers.TWO_EQUAL, TaskKind.CONVENIENCE, True),
    Knobs(True, True, Handle.CALLS_EARLY, Finish.NO_CALL, Identifiers.ONE, TaskKind.DATA, True),
    Knobs(False, True, Handle.STORES_NO_RECONNECT, Finish.ABSENT, Identifiers.ONE, TaskKind.UPLOAD_FILE, True),
    Knobs(True, True, Handle.ABSENT, Finish.DIRECT_CLEARS, Identifiers.TWO, TaskKind.DOWNLOAD, True),
    Knobs(True, True, Handle.STORES, Finish.MAIN_SOME_PATHS, Identifiers.ONE, TaskKind.DOWNLOAD, True),
]


# Swift: reaching the app delegate off the main thread is exactly what the SDK's isolation rejects,
# so the off-main variants are compiled in Objective-C only.
COMPILED = [
    (lang, knobs)
    for lang in LANGUAGES
    for knobs in SAMPLE
    if lang == "objc" or knobs.finish not in (Finish.DIRECT_CLEARS, Finish.DIRECT_KEEPS)
]


@pytest.mark.parametrize(
    ("lang", "knobs"), COMPILED, ids=lambda value: value if isinstance(value, str) else value.label()
)
def test_rendered_projects_compile(knobs: Knobs, lang: str) -> None:
    require_tool("swiftc" if lang == "swift" else "clang")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = []
        for name, text in render_project(knobs, lang).items():
            (folder / name).write_text(text, encoding="utf-8")
            paths.append(folder / name)
        if lang == "swift":
            # Swift 5 mode: the templates reach UIApplication from the delegate queue on purpose.
            report = check_swift(paths, modes=("5",), warnings_as_errors=False)
        else:
            report = check_objc([p for p in paths if p.suffix == ".m"], include_dirs=[folder])
    failures = [f"{' '.join(run.command)}\n{run.output}" for run in report.runs if not run.ok]
    assert report.runs and not failures, "\n\n".join(failures)
