"""BGS005 deprecated-configuration-api: the deprecated background configuration factory."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Edit, Fix, Severity
from bgsession.lint.facts import ConfigFact
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_deprecated(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for facts in summary.files:
        for config in facts.configs:
            if not config.deprecated:
                continue
            if config.deprecated_guarded:
                # A fallback that runs only before iOS 8 is deliberate and dead on every system a
                # current Xcode builds for; there is nothing for a maintainer to change.
                continue
            replacement = (
                "background(withIdentifier:)"
                if facts.language == "swift"
                else "backgroundSessionConfigurationWithIdentifier:"
            )
            found = rule.report(
                facts.path, config.loc, f"deprecated background configuration factory; use {replacement}"
            )
            fix = _rename(config, facts.language == "swift")
            yield found if fix is None else found.with_fixes(fix)


def _rename(config: ConfigFact, swift: bool) -> Fix | None:
    """The current factory in place of the deprecated one: the same configuration, so the fix is safe."""
    if config.factory is None:
        return None
    start, end = config.factory
    if not swift:
        edits = (Edit(start, end, "backgroundSessionConfigurationWithIdentifier"),)
        return Fix("use backgroundSessionConfigurationWithIdentifier:", "safe", edits)
    if config.factory_label_at is None:
        return None
    label = Edit(config.factory_label_at, config.factory_label_at, "withIdentifier: ")
    return Fix("use background(withIdentifier:)", "safe", (Edit(start, end, "background"), label))


RULE = Rule(
    "BGS005",
    "deprecated-configuration-api",
    Severity.WARNING,
    "the deprecated background configuration factory",
    RuleDoc(
        finds="`URLSessionConfiguration.backgroundSessionConfiguration(_:)` and "
        "`+[NSURLSessionConfiguration backgroundSessionConfiguration:]`.",
        why="Both were deprecated in iOS 8 in favour of `background(withIdentifier:)` / "
        "`backgroundSessionConfigurationWithIdentifier:`. They behave the same, but the compiler warns and they "
        "may go away. A call kept only for systems before iOS 8, in the else branch of `#available`, of "
        "`respondsToSelector:` or of a Foundation version check (`NSFoundationVersionNumber`), is not reported: it "
        "never runs on a system current Xcode builds for.",
        bad_swift='let configuration = URLSessionConfiguration.backgroundSessionConfiguration("com.example.bg")\n',
        good_swift='let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.bg")\n',
        bad_objc="NSURLSessionConfiguration *Configuration(void) {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfiguration:@"com.example.bg"];\n'
        "}\n",
        good_objc="NSURLSessionConfiguration *Configuration(void) {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "}\n",
        limits="Only the configuration factory is checked; other deprecated URLSession API is the compiler's job.",
        fix="Safe: renames the factory to `background(withIdentifier:)` / "
        "`backgroundSessionConfigurationWithIdentifier:`, which returns the same configuration. The fallback "
        "kept for old systems (the note) is left alone.",
    ),
    check_deprecated,
)
