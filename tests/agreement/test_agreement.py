"""The linter's lifecycle rules agree with the reference model on every behaviour in the bounded space.

Each behaviour is rendered as a small Swift project and as a small Objective-C project, linted, and
the lifecycle codes the linter reports must equal the violations `explore` finds. The project
summary must also convert back into the behaviour it was rendered from (the bridge `--explain` uses).
A disagreement is a bug in a rule, in the model or in the converter: fix it, never exclude it.

The space is walked in independent shards, so that pytest-xdist spreads them over every worker
(`-n logical`); none shares state with another, so none needs an xdist_group.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bgsession.gen.check import check_objc, check_swift
from bgsession.model import TaskKind
from bgsession.model.codes import COVERED_CODES
from tests.agreement.harness import (
    converted,
    extras_model_codes,
    lifecycle_codes,
    lint_extras,
    lint_knobs,
    model_codes,
)
from tests.agreement.render import render_project
from tests.agreement.space import (
    Extras,
    Finish,
    Handle,
    Identifiers,
    Invalidate,
    Knobs,
    Library,
    TaskState,
    behaviour,
    every_knobs,
    extras_behaviour,
    extras_space,
)
from tests.conftest import require_tool

LANGUAGES = ("swift", "objc")
SPACE = list(every_knobs())
# Enough shards for two to four workers to finish together. Each takes every SHARDS-th behaviour; a
# prime stride shares no factor with the knobs' counts, so every shard mixes every knob's values (an
# even stride would give each shard one value of launch_events) and costs about the same.
SHARDS = 23
# The codes whose knobs live in spaces of their own (below), and those outside every space here:
# BGS023 (the temporary file) and BGS030 (extensions), which the generator's mutation test has.
OWN_SPACES = ("BGS006", "BGS018", "BGS040")
ELSEWHERE = {"BGS023", "BGS030"}


@dataclass(frozen=True, slots=True)
class Disagreement:
    label: str
    lang: str
    what: str

    def __str__(self) -> str:
        return f"[{self.lang}] {self.label}: {self.what}"


def _check(chunk: list[Knobs]) -> list[Disagreement]:
    found: list[Disagreement] = []
    for knobs in chunk:
        expected = model_codes(knobs)
        for lang in LANGUAGES:
            result = lint_knobs(knobs, lang)
            got = lifecycle_codes(result)
            if got != expected:
                found.append(Disagreement(knobs.label(), lang, f"model {sorted(expected)}, linter {sorted(got)}"))
            if converted(result, knobs) != behaviour(knobs):
                found.append(Disagreement(knobs.label(), lang, "the summary does not convert back into this behaviour"))
    return found


def test_the_shards_cover_the_space_once(capsys: pytest.CaptureFixture[str]) -> None:
    walked = [knobs for shard in range(SHARDS) for knobs in SPACE[shard::SHARDS]]
    assert len(walked) == len(SPACE) == len(set(walked)) == 7840
    with capsys.disabled():
        print(f"\nagreement: {len(SPACE)} behaviours per language ({', '.join(LANGUAGES)}) in {SHARDS} shards")


@pytest.mark.parametrize("shard", range(SHARDS))
def test_linter_agrees_with_the_model_on_every_behaviour(shard: int) -> None:
    disagreements = _check(SPACE[shard::SHARDS])
    assert not disagreements, "\n".join(map(str, disagreements[:20]))


def test_the_space_reaches_every_covered_code() -> None:
    """A space in which some rule never fires could not catch a wrong rule. The model alone decides
    this, so the walk stops as soon as every code has been reached; it goes shard by shard, whose
    mixed knobs reach every code within a few hundred behaviours (the space's own order varies the
    delegate and memoization last, which would take thousands)."""
    wanted = set(COVERED_CODES) - ELSEWHERE - set(OWN_SPACES)
    reached: set[str] = set()
    for knobs in (knobs for shard in range(SHARDS) for knobs in SPACE[shard::SHARDS]):
        reached |= model_codes(knobs)
        if reached >= wanted:
            break
    assert reached == wanted


# --- BGS006, BGS018 and BGS040: a few base apps times each rule's own knob ------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", OWN_SPACES)
def test_linter_agrees_with_the_model_on_the_rules_own_space(code: str, lang: str) -> None:
    space = extras_space(code)
    reached: set[str] = set()
    disagreements: list[Disagreement] = []
    for extras in space:
        expected = extras_model_codes(extras)
        reached |= expected
        result = lint_extras(extras, lang)
        got = lifecycle_codes(result)
        if got != expected:
            disagreements.append(Disagreement(extras.label(), lang, f"model {sorted(expected)}, linter {sorted(got)}"))
        if converted(result, extras.base, extras_behaviour(extras)) != extras_behaviour(extras):
            disagreements.append(
                Disagreement(extras.label(), lang, "the summary does not convert back into this behaviour")
            )
    assert not disagreements, "\n".join(map(str, disagreements[:20]))
    assert code in reached


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


_CORRECT = SAMPLE[0]
# One of each knob value of the three rules' own spaces, on a correct app.
EXTRAS_SAMPLE = [
    Extras(replace(_CORRECT, identifiers=Identifiers.ONE), invalidation=value)
    for value in (Invalidate.SIGN_OUT, Invalidate.TEARDOWN, Invalidate.RECREATED)
] + [
    Extras(replace(_CORRECT, identifiers=Identifiers.ONE), task_state=TaskState.KEYED),
    Extras(replace(_CORRECT, identifiers=Identifiers.ONE), task_state=TaskState.LISTED),
    Extras(replace(_CORRECT, identifiers=Identifiers.ONE), library=Library.FORWARDED),
    Extras(replace(_CORRECT, identifiers=Identifiers.ONE), library=Library.NOT_FORWARDED),
]


# Swift: reaching the app delegate off the main thread is exactly what the SDK's isolation rejects,
# so the off-main variants are compiled in Objective-C only.
COMPILED: list[tuple[str, Knobs, Extras | None]] = [
    (lang, knobs, None)
    for lang in LANGUAGES
    for knobs in SAMPLE
    if lang == "objc" or knobs.finish not in (Finish.DIRECT_CLEARS, Finish.DIRECT_KEEPS)
] + [(lang, extras.base, extras) for lang in LANGUAGES for extras in EXTRAS_SAMPLE]


def _compiled_id(value: object) -> str:
    if isinstance(value, Knobs | Extras):
        return value.label()
    return str(value)


@pytest.mark.parametrize(("lang", "knobs", "extras"), COMPILED, ids=_compiled_id)
def test_rendered_projects_compile(knobs: Knobs, lang: str, extras: Extras | None) -> None:
    require_tool("swiftc" if lang == "swift" else "clang")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = []
        for name, text in render_project(knobs, lang, extras).items():
            (folder / name).write_text(text, encoding="utf-8")
            paths.append(folder / name)
        if lang == "swift":
            # Swift 5 mode: the templates reach UIApplication from the delegate queue on purpose.
            report = check_swift([p for p in paths if p.suffix == ".swift"], modes=("5",), warnings_as_errors=False)
        else:
            report = check_objc([p for p in paths if p.suffix == ".m"], include_dirs=[folder])
    failures = [f"{' '.join(run.command)}\n{run.output}" for run in report.runs if not run.ok]
    assert report.runs and not failures, "\n\n".join(failures)
