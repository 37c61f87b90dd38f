"""Every fix on every bad fixture it applies to: the finding goes, nothing new appears, the file parses
no worse, it still typechecks against the stub SDK where it did, and a second `--fix` changes nothing."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bgsession.fixes import FixOutcome, FixRequest, fix_project
from bgsession.fixes.parsing import error_count
from bgsession.gen.check import CheckReport, check_objc, check_swift, find_tool
from bgsession.lint import codec
from bgsession.lint.extract import extract_file
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.runner import LintRequest, lint
from tests.conftest import require_tool
from tests.lint.fixtures import FIXTURES, Case, cases

FIXABLE = sorted(code for code, rule in RULES_BY_CODE.items() if rule.doc.fix)
BAD = [case for case in cases() if case.kind == "bad" and case.code in FIXABLE]


def _copy(case: Case, folder: Path) -> Path:
    target = folder / case.path.name
    if case.path.is_dir():
        shutil.copytree(case.path, target)
    else:
        shutil.copyfile(case.path, target)
    return target


def _request(path: Path, codes: frozenset[str] | None) -> LintRequest:
    return LintRequest([str(path)], select=codes)


def _sources(path: Path) -> list[Path]:
    return sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.suffix in (".swift", ".m"))


def _typecheck(files: list[Path]) -> CheckReport | None:
    """The stub-SDK check of the fixture's sources (None: no compiler here)."""
    swift = [f for f in files if f.suffix == ".swift"]
    objc = [f for f in files if f.suffix == ".m"]
    if (swift and find_tool("swiftc") is None) or (objc and find_tool("clang") is None):
        return None
    report = CheckReport()
    if swift:
        report.extend(check_swift(swift, warnings_as_errors=False))
    if objc:
        report.extend(check_objc(objc, include_dirs=[]))
    return report


def _fix(path: Path, codes: frozenset[str] | None) -> FixOutcome:
    return fix_project(FixRequest(_request(path, codes), unsafe=True, write=True))


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_fix_removes_the_finding_and_nothing_else(case: Case, tmp_path: Path) -> None:
    target = _copy(case, tmp_path)
    if not any(d.fixes for d in lint(_request(target, frozenset({case.code}))).diagnostics):
        pytest.skip(f"no fix is offered for this shape of {case.code} (test_each_fix_has_fixtures counts them)")
    sources = _sources(target)
    errors = {path: error_count(str(path), path.read_bytes()) for path in sources}
    compiled = _typecheck(sources)

    # Every rule runs, so a fix that brings another rule's finding is caught, and the fixture's other
    # fixable findings are fixed alongside (their fixes must compose).
    codes = None
    before = lint(_request(target, codes)).diagnostics
    outcome = _fix(target, codes)

    assert outcome.applied and outcome.changed and not outcome.notes, outcome.notes
    after = lint(_request(target, codes)).diagnostics
    kept, now = Counter((d.path, d.code) for d in before), Counter((d.path, d.code) for d in after)
    assert not (now - kept), f"new findings: {sorted((now - kept).elements())}"
    fixed = Counter((item.diagnostic.path, item.diagnostic.code) for item in outcome.applied)
    assert kept - now == fixed, f"fixed {fixed}, but findings went from {kept} to {now}"
    for path in sources:
        count = error_count(str(path), path.read_bytes())
        assert count is not None and errors[path] is not None and count <= errors[path], path
    if compiled is not None:
        # Each check that passed before (Swift 5, Swift 6, clang) must pass after the fix.
        report = _typecheck(sources)
        assert report is not None and len(report.runs) == len(compiled.runs)
        failures = [
            f"{' '.join(run.command)}\n{run.output}"
            for run, old in zip(report.runs, compiled.runs, strict=True)
            if old.ok and not run.ok
        ]
        assert not failures, "\n\n".join(failures)

    again = _fix(target, codes)
    assert not again.changed and not again.applied


# Rules whose fix exists in one language only, and why.
ONE_LANGUAGE = {"BGS002": ("swift", "`lazy var` has no Objective-C counterpart; a dispatch_once rewrite is not exact")}


@pytest.mark.parametrize("code", FIXABLE)
def test_each_fix_has_fixtures(code: str) -> None:
    """Every rule documented with a fix offers it on a bad fixture, in each language it can fix."""
    languages: set[str] = set()
    for case in BAD:
        if case.code != code:
            continue
        diagnostics = lint(_request(case.path, frozenset({code}))).diagnostics
        if any(d.code == code and d.fixes for d in diagnostics):
            languages |= case.languages
    wanted = {ONE_LANGUAGE[code][0]} if code in ONE_LANGUAGE else {"swift", "objc"}
    assert languages == wanted, f"{code}: fixes offered for {sorted(languages)}"


def test_typecheck_runs_where_required() -> None:
    require_tool("swiftc")
    require_tool("clang")


# Shapes a fix cannot change exactly: the finding is reported without one.
NO_FIX = [
    ("BGS014", "bad_ivar_handler.m"),  # called from the ivar, then cleared: a hop would read it once nil
    ("BGS014", "bad_handler_as_work_item.swift"),  # the handler is the queue's work item
    ("BGS002", "bad_computed_property.swift"),  # the session's delegate is Sendable: no lazy var in Swift 6
    ("BGS004", "bad_process_info.m"),  # the value is a variable's, set elsewhere
    ("BGS012", "bad_async_variant.swift"),  # the async form has no handler to store
]


@pytest.mark.parametrize(("code", "name"), NO_FIX, ids=[f"{code}/{name}" for code, name in NO_FIX])
def test_no_fix_where_none_is_exact(code: str, name: str) -> None:
    diagnostics = lint(_request(FIXTURES / code / name, frozenset({code}))).diagnostics
    assert [d.code for d in diagnostics if d.code == code], "the finding itself must still be reported"
    assert not any(d.fixes for d in diagnostics if d.code == code)


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_fix_ranges_survive_the_facts_cache(case: Case) -> None:
    """The byte ranges fixes edit are facts like any other: a cached entry gives back the same ones."""
    for source in case.sources():
        facts = extract_file(str(source), source.read_bytes())
        assert codec.decode(json.loads(json.dumps(codec.encode(facts)))) == facts


def test_an_identifier_constant_is_not_replaced_at_one_use(tmp_path: Path) -> None:
    """`Constants.identifier` may be compared elsewhere (handleEvents): replacing one use would split it."""
    source = tmp_path / "Constant.swift"
    source.write_text(
        "import Foundation\nenum Constants { static let identifier = UUID().uuidString }\n"
        "let configuration = URLSessionConfiguration.background(withIdentifier: Constants.identifier)\n",
        encoding="utf-8",
    )
    found = [d for d in lint(_request(source, frozenset({"BGS004"}))).diagnostics if d.code == "BGS004"]
    assert found and not any(d.fixes for d in found)
