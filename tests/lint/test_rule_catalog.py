"""The catalog itself: every rule listed once, documented in every section, examples that behave."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from bgsession.lint import rules as rules_package
from bgsession.lint.rules import ALL_RULES, Rule, base
from bgsession.lint.runner import LintRequest, lint
from bgsession.model import COVERED_CODES
from tests.targets.pbxproj import Spec, render

ENTITLEMENTS_APP_GROUP = (
    '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict>'
    "<key>com.apple.security.application-groups</key><array><string>group.com.example.app</string></array>"
    "</dict></plist>"
)
PODFILE_LOCK_TIERCEL = "PODS:\n  - Tiercel (3.2.6)\n\nDEPENDENCIES:\n  - Tiercel\n\nCOCOAPODS: 1.15.2\n"
RULES_MD = Path(__file__).resolve().parents[3] / "shared" / "RULES.md"
PLIST_EXTENSION = (
    '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>NSExtension</key><dict/></dict></plist>'
)


def _rule_modules() -> list[str]:
    """Every module under lint/rules/<family>/, found by walking the folders (no hand-kept list)."""
    folder = Path(rules_package.__file__).parent
    return sorted(
        "bgsession.lint.rules." + ".".join(path.relative_to(folder).with_suffix("").parts)
        for path in folder.glob("*/*.py")
        if path.name != "__init__.py"
    )


def test_every_rule_module_defines_one_rule_listed_once() -> None:
    modules = _rule_modules()
    defined = []
    for name in modules:
        module = importlib.import_module(name)
        rules = [value for value in vars(module).values() if isinstance(value, Rule)]
        assert rules == [module.RULE], f"{name} must define exactly one Rule, as RULE"
        assert (module.__doc__ or "").startswith(f"{module.RULE.code} {module.RULE.name}:"), name
        defined.append(module.RULE)
    assert sorted(r.code for r in defined) == sorted(r.code for r in ALL_RULES)
    assert all(any(r is rule for r in defined) for rule in ALL_RULES)
    assert [r.code for r in ALL_RULES] == sorted(r.code for r in ALL_RULES)
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
    assert rules_package.ALL_RULES is ALL_RULES and base.Rule is Rule


def test_lifecycle_rules_are_exactly_the_models_obligations() -> None:
    assert {rule.code for rule in ALL_RULES if rule.lifecycle} == set(COVERED_CODES)


def test_codes_and_names_match_the_catalog() -> None:
    if not RULES_MD.exists():
        pytest.skip("the steering repository's RULES.md is not next to this checkout")
    text = RULES_MD.read_text(encoding="utf-8")
    catalog = dict(re.findall(r"\| (BGS\d{3}) \| ([a-z-]+) \|", text))
    catalog["BGS000"] = "parse-error"
    catalog.update(re.findall(r"(BGS\d{3}) \(`([a-z-]+)`\)", text))  # the rules named in prose
    # The catalog names rules still to be built; every rule that exists has the catalog's code and name.
    assert {r.code: r.name for r in ALL_RULES} == {r.code: catalog.get(r.code) for r in ALL_RULES}


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_documentation_has_every_section(rule: Rule) -> None:
    doc = rule.doc
    for section in ("finds", "why", "bad_swift", "good_swift", "bad_objc", "good_objc", "limits"):
        assert getattr(doc, section).strip(), f"{rule.code}: empty {section}"
    assert rule.summary and rule.name == rule.name.lower()


def lint_example(tmp_path: Path, rule: Rule, source: str, suffix: str) -> list[str]:
    if rule.code == "BGS030":
        (tmp_path / "Info.plist").write_text(PLIST_EXTENSION)
    if rule.code == "BGS018":
        (tmp_path / "Podfile.lock").write_text(PODFILE_LOCK_TIERCEL)
    if rule.code == "BGS034":
        # An Xcode target that builds the example, entitled to group.com.example.app.
        (tmp_path / "App.entitlements").write_text(ENTITLEMENTS_APP_GROUP)
        settings = {"CODE_SIGN_ENTITLEMENTS": "App.entitlements"}
        (tmp_path / "App.xcodeproj").mkdir()
        (tmp_path / "App.xcodeproj" / "project.pbxproj").write_text(
            render([Spec("App", "app", [f"Example{suffix}"], settings)])
        )
    (tmp_path / f"Example{suffix}").write_text(source)
    return [d.code for d in lint(LintRequest([str(tmp_path)])).diagnostics]


EXAMPLES = [
    (rule, language)
    for rule in ALL_RULES
    for language in ("swift", "objc")
    if not getattr(rule.doc, f"bad_{language}").startswith(("// SwiftUI", "// Mixed", "// Swift only"))
]


@pytest.mark.parametrize(("rule", "language"), EXAMPLES, ids=[f"{r.code}-{lang}" for r, lang in EXAMPLES])
def test_documented_examples_behave(tmp_path: Path, rule: Rule, language: str) -> None:
    suffix = ".swift" if language == "swift" else ".m"
    bad, good = tmp_path / "bad", tmp_path / "good"
    bad.mkdir()
    good.mkdir()
    assert rule.code in lint_example(bad, rule, getattr(rule.doc, f"bad_{language}"), suffix)
    found = lint_example(good, rule, getattr(rule.doc, f"good_{language}"), suffix)
    assert [code for code in found if code != "BGS000"] == [], found


def test_guarded_deprecated_call_is_not_reported(tmp_path: Path) -> None:
    source = (
        "import Foundation\nfunc configuration() -> URLSessionConfiguration {\n"
        '    if #available(iOS 8.0, *) { return .background(withIdentifier: "a.b") }\n'
        '    else { return URLSessionConfiguration.backgroundSessionConfiguration("a.b") }\n}\n'
    )
    (tmp_path / "a.swift").write_text(source)
    found = [d for d in lint(LintRequest([str(tmp_path)])).diagnostics if d.code == "BGS005"]
    assert found == []
