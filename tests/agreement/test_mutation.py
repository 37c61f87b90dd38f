"""Mutation test of the generator: every generated variant x every operator.

The operator edits the generated code and the behaviour the spec describes; the model predicts the
mutant's rule codes (plus the static codes an operator introduces, such as a deprecated API), and the
linter must report exactly those on the mutated code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bgsession.gen.render import render_files
from bgsession.lint.runner import LintRequest, lint
from bgsession.model import AppBehaviour, explore
from tests.agreement.mutation import OPERATORS, Operator, apply, spec_behaviour
from tests.gen.variants import VARIANTS

EXTENSION_PLIST = (
    '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>NSExtension</key><dict/></dict></plist>'
)
PAIRS = [(variant, operator) for variant in sorted(VARIANTS) for operator in OPERATORS]


@cache
def predicted_codes(behaviour: AppBehaviour) -> frozenset[str]:
    """The model's verdict; UIKit, adaptor and Objective-C variants share behaviours, so it is computed once."""
    return frozenset(explore(behaviour))


APPLICABLE = [(variant, operator) for variant, operator in PAIRS if operator.applies(VARIANTS[variant]) is None]


def test_generated_variants_are_clean_in_the_model() -> None:
    for name, spec in VARIANTS.items():
        assert explore(spec_behaviour(spec)) == {}, name


def test_every_operator_applies_except_the_handler_operators_in_the_scene_variant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    skipped = sorted((variant, operator.name) for variant, operator in PAIRS if operator.applies(VARIANTS[variant]))
    assert skipped == [
        (variant, name)
        for variant in ("swift-swiftui-task-one", "swift-swiftui-task-two")
        for name in ("call-in-handle-events", "delete-handler-call")
    ]
    with capsys.disabled():
        print(f"\nmutation: {len(APPLICABLE)} mutants of {len(PAIRS)} variant x operator pairs")


@pytest.mark.parametrize(("variant", "operator"), APPLICABLE, ids=lambda value: getattr(value, "name", value))
def test_linter_reports_what_the_model_predicts(tmp_path: Path, variant: str, operator: Operator) -> None:
    spec = VARIANTS[variant]
    files = {generated.name: generated.text for generated in render_files(spec)}
    mutant = apply(operator, files, spec.lang.value, spec)
    assert mutant != files
    for name, text in mutant.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if spec.style.value == "extension":
        (tmp_path / "Info.plist").write_text(EXTENSION_PLIST, encoding="utf-8")
    predicted = predicted_codes(operator.mutate_behaviour(spec, spec_behaviour(spec))) | operator.static_codes
    reported = {diagnostic.code for diagnostic in lint(LintRequest([str(tmp_path)])).diagnostics}
    assert reported == predicted
    if not operator.harmless_in_scene or spec.style.value != "swiftui":
        assert predicted, "a mutation the model does not object to tests nothing"
