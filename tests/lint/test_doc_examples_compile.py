"""Every rule's documentation examples compile: Swift in Swift 5 and Swift 6 language mode, Objective-C
with clang under ARC, against the stub SDK in bgsession/sdk (or Xcode's SDK where xcrun exists).

An example is what someone would ship, defect included, so the bad examples compile too. The harness
adds only what a snippet leaves out of a real file: `import UIKit` (Swift) or `#import <UIKit/UIKit.h>`
(Objective-C) when the example imports nothing, and for an Objective-C `@implementation X` whose
`@interface X` the snippet does not show, the header's `@interface X : NSObject <NSURLSessionDelegate>`
with nothing in it (every property, ivar and method the code uses must still be in the example).
Exceptions, each checked so that they cannot go stale:

- an example whose first line is `// Swift 6 rejects this: ...` is a defect Swift 6 itself reports;
  it must compile in Swift 5 mode and must fail in Swift 6 mode;
- examples that are not one file of one language are skipped: `// Mixed` (Swift and Objective-C
  together) and `// SwiftUI apps are written in Swift` (no Objective-C form);
- an example that imports a third-party module (BGS025's `import Alamofire`: the rule is about that
  library's API) is skipped, since neither the stub SDK nor Xcode's provides the module; it is not
  stubbed here, as a stub could not be held to the library's real declarations;
- BGS000's bad examples are syntax errors: that is the rule;
- BGS005's bad Objective-C example calls the deprecated factory, so under the check's -Werror its one
  error is that -Wdeprecated-declarations warning, and nothing else;
- an example using SwiftUI's `.backgroundTask` (iOS 16) is built for an iOS 16 deployment target,
  as an app using it must be.

Whether each example fires its rule is test_rule_catalog.py's `test_documented_examples_behave`.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from bgsession.gen.check import IOS_DEPLOYMENT_TARGET, check_objc, check_swift
from bgsession.lint.rules import ALL_RULES, Rule
from tests.conftest import require_tool

SWIFT6_REJECTS = "// Swift 6 rejects this:"
NOT_ONE_FILE = ("// Mixed", "// SwiftUI apps are written in Swift")
SECTIONS = ("bad_swift", "good_swift", "bad_objc", "good_objc")
# Third-party modules an example may import, with the reason it needs them; such examples are skipped.
THIRD_PARTY_MODULES = {"Alamofire": "BGS025 is about Alamofire's Session configured for the background"}


def _third_party_imports(text: str) -> set[str]:
    return set(re.findall(r"^import\s+(\w+)", text, re.MULTILINE)) & THIRD_PARTY_MODULES.keys()


def harnessed(source: str, language: str) -> str:
    """The example as a compilable file: the import a snippet leaves out, when it has none."""
    lines = source.splitlines()
    if language == "swift":
        imports = any(line.startswith("import ") for line in lines)
        return source if imports else "import UIKit\n" + source
    imports = any(line.startswith(("#import ", "@import ")) for line in lines)
    header = [] if imports else ["#import <UIKit/UIKit.h>"]
    declared = set(re.findall(r"^@interface\s+(\w+)\s*:", source, re.MULTILINE))
    for name in dict.fromkeys(re.findall(r"^@implementation\s+(\w+)\s*(?:\{|$)", source, re.MULTILINE)):
        if name not in declared:
            header.append(f"@interface {name} : NSObject <NSURLSessionDelegate>\n@end")
    if not header:
        return source
    # After the example's own imports, which declare NSObject and the protocols.
    last_import = max((i for i, line in enumerate(lines) if line.startswith(("#import ", "@import "))), default=-1)
    return "\n".join([*lines[: last_import + 1], *header, *lines[last_import + 1 :]]) + "\n"


def _compilable(rule: Rule, section: str) -> bool:
    text = getattr(rule.doc, section)
    if text.startswith(NOT_ONE_FILE) or _third_party_imports(text):
        return False
    return not (rule.code == "BGS000" and section.startswith("bad"))


EXAMPLES = [(rule, section) for rule in ALL_RULES for section in SECTIONS if _compilable(rule, section)]


def compile_example(rule: Rule, section: str) -> dict[str, tuple[bool, str]]:
    """Compile one example; by mode ("swift5", "swift6", "objc"): (compiled, compiler output)."""
    language = "swift" if section.endswith("swift") else "objc"
    return compile_source(harnessed(getattr(rule.doc, section), language), language, f"{rule.code}_{section}")


def compile_source(source: str, language: str, name: str) -> dict[str, tuple[bool, str]]:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{name}.{'swift' if language == 'swift' else 'm'}"
        path.write_text(source, encoding="utf-8")
        if language == "objc":
            report = check_objc([path], include_dirs=[])
            return {"objc": (report.ok, "\n".join(run.output for run in report.runs))}
        target = "16.0" if ".backgroundTask(" in source else IOS_DEPLOYMENT_TARGET
        results: dict[str, tuple[bool, str]] = {}
        for mode in ("5", "6"):
            report = check_swift([path], modes=(mode,), warnings_as_errors=False, deployment_target=target)
            results[f"swift{mode}"] = (report.ok, "\n".join(run.output for run in report.runs if not run.ok))
        return results


@pytest.mark.parametrize(("rule", "section"), EXAMPLES, ids=[f"{r.code}-{s}" for r, s in EXAMPLES])
def test_documentation_example_compiles(rule: Rule, section: str) -> None:
    require_tool("swiftc" if section.endswith("swift") else "clang")
    results = compile_example(rule, section)
    text = getattr(rule.doc, section)
    if text.startswith(SWIFT6_REJECTS):
        assert section.startswith("bad"), "only a bad example may be a Swift 6 error"
        assert results["swift5"][0], results["swift5"][1]
        assert not results["swift6"][0], "marked as rejected by Swift 6, but Swift 6 accepts it"
        return
    if rule.code == "BGS005" and section == "bad_objc":
        ok, output = results["objc"]
        errors = [line for line in output.splitlines() if "error:" in line]
        assert not ok and errors and all("-Wdeprecated-declarations" in line for line in errors), output
        return
    failures = {mode: output for mode, (ok, output) in results.items() if not ok}
    assert not failures, "\n\n".join(f"[{mode}]\n{output}" for mode, output in failures.items())


def test_every_example_of_one_file_is_compiled() -> None:
    # The exceptions stay few: a rule's examples are skipped only for the reasons the module names.
    skipped = [(r.code, s) for r in ALL_RULES for s in SECTIONS if not _compilable(r, s)]
    assert all(code in ("BGS000", "BGS025", "BGS032", "BGS033", "BGS035") for code, _ in skipped), skipped
    # Every listed third-party module is still imported by some example, and only by Swift ones.
    imported = {m for r in ALL_RULES for s in SECTIONS for m in _third_party_imports(getattr(r.doc, s))}
    assert imported == THIRD_PARTY_MODULES.keys(), imported
    assert all(s.endswith("swift") for r in ALL_RULES for s in SECTIONS if _third_party_imports(getattr(r.doc, s)))


def test_swift6_rejects_a_main_actor_did_finish_events() -> None:
    # BGS014's documentation says so, and the stubs must agree with Apple's SDK on it (APPLE.md §3.1):
    # Swift 5 warns, Swift 6 rejects the main-actor witness of the nonisolated requirement.
    require_tool("swiftc")
    source = harnessed(
        "final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    var handler: (() -> Void)?\n"
        "    @MainActor func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
        "        handler?()\n    }\n}\n",
        "swift",
    )
    results = compile_source(source, "swift", "main_actor_witness")
    assert results["swift5"][0], results["swift5"][1]
    assert not results["swift6"][0]
    assert "main actor-isolated" in results["swift6"][1]
