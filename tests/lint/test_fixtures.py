"""Every fixture: the rules report exactly the lines annotated `// ruleid:` and nothing else."""

from __future__ import annotations

from collections import Counter

import pytest

from bgsession.lint.rules import ALL_RULES
from bgsession.lint.runner import LintRequest, lint
from tests.lint.fixtures import AnnotationError, Case, Expectation, cases, expectations

CASES = cases()
# SwiftUI rules, and BGS025 (Alamofire is a Swift library).
SWIFTUI_ONLY = {"BGS025", "BGS032", "BGS033"}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_fixture(case: Case) -> None:
    expected = expectations(case)
    codes = frozenset({case.code, *(e.code for e in expected)})
    result = lint(LintRequest([str(case.path)], select=codes))
    actual = {(d.path, d.loc.line, d.code) for d in result.diagnostics}
    wanted = {(e.path, e.line, e.code) for e in expected if e.keyword == "ruleid"}
    forbidden = {(e.path, e.line, e.code) for e in expected if e.keyword == "ok"}
    messages = "\n".join(f"  {d.path}:{d.loc.line}: {d.code} {d.message}" for d in result.diagnostics)
    assert actual == wanted, f"missing {sorted(wanted - actual)}, unexpected {sorted(actual - wanted)}\n{messages}"
    assert not (actual & forbidden)
    own = [e for e in expected if e.keyword == "ruleid" and e.code == case.code]
    if case.kind == "bad":
        assert own, "a bad_ fixture needs at least one `// ruleid:` annotation for its own rule"
    else:
        assert not own, "a good_ fixture must not expect its own rule to fire"


@pytest.mark.parametrize("rule", ALL_RULES, ids=[rule.code for rule in ALL_RULES])
def test_every_rule_has_three_bad_and_three_good_fixtures_per_language(rule: object) -> None:
    code = getattr(rule, "code")
    counts: Counter[tuple[str, str]] = Counter()
    for case in CASES:
        if case.code == code:
            for language in case.languages:
                counts[(case.kind, language)] += 1
    languages = ["swift"] if code in SWIFTUI_ONLY else ["swift", "objc"]
    for language in languages:
        for kind in ("bad", "good"):
            assert counts[(kind, language)] >= 3, f"{code}: only {counts[(kind, language)]} {kind} {language} fixtures"


def test_annotation_parser_is_strict(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path)) / "BGS013"
    folder.mkdir()
    for text in ("// okid: BGS013\nlet x = 1\n", "// ruleid: BGS999\nlet x = 1\n", "// ruleid BGS013\nlet x = 1\n"):
        source = folder / "bad_x.swift"
        source.write_text(text)
        with pytest.raises(AnnotationError):
            expectations(Case("BGS013", source, "bad"))


def test_expectation_points_at_the_next_line(tmp_path: object) -> None:
    from pathlib import Path

    source = Path(str(tmp_path)) / "bad_x.swift"
    source.write_text("let a = 1\n// ruleid: BGS003\nlet b = 2\n")
    assert expectations(Case("BGS003", source, "bad")) == [Expectation(str(source), 3, "BGS003", "ruleid")]
