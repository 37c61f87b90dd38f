"""`bgsession rules` and `bgsession rule CODE`: the catalog and one rule's documentation."""

from __future__ import annotations

import json
from typing import TextIO

from bgsession.errors import UsageError
from bgsession.lint.rules import ALL_RULES, Rule, find_rule


def rule_text(rule: Rule) -> str:
    doc = rule.doc
    sections = [
        f"{rule.code} {rule.name} ({rule.severity.value})",
        "",
        f"What it finds\n  {doc.finds}",
        f"Why it is a defect\n  {doc.why}",
        "Bad (Swift)\n" + _indent(doc.bad_swift),
        "Good (Swift)\n" + _indent(doc.good_swift),
        "Bad (Objective-C)\n" + _indent(doc.bad_objc),
        "Good (Objective-C)\n" + _indent(doc.good_objc),
        f"What it does not catch\n  {doc.limits}",
    ]
    return "\n\n".join(sections) + "\n"


def _indent(code: str) -> str:
    return "".join(f"    {line}\n" for line in code.rstrip("\n").splitlines())


def rule_markdown(rule: Rule) -> str:
    doc = rule.doc
    return (
        f"## {rule.code} `{rule.name}`\n\n"
        f"Default severity: **{rule.severity.value}**. {rule.summary[:1].upper()}{rule.summary[1:]}.\n\n"
        f"### What it finds\n\n{doc.finds}\n\n"
        f"### Why it is a defect\n\n{doc.why}\n\n"
        f"### Bad\n\n```swift\n{doc.bad_swift.rstrip()}\n```\n\n```objc\n{doc.bad_objc.rstrip()}\n```\n\n"
        f"### Good\n\n```swift\n{doc.good_swift.rstrip()}\n```\n\n```objc\n{doc.good_objc.rstrip()}\n```\n\n"
        f"### What it does not catch\n\n{doc.limits}\n"
    )


def rule_object(rule: Rule) -> dict[str, object]:
    doc = rule.doc
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "summary": rule.summary,
        "lifecycle": rule.lifecycle,
        "finds": doc.finds,
        "why": doc.why,
        "examples": {
            "swift": {"bad": doc.bad_swift, "good": doc.good_swift},
            "objc": {"bad": doc.bad_objc, "good": doc.good_objc},
        },
        "limits": doc.limits,
    }


def run_rules(output_format: str, stdout: TextIO) -> int:
    if output_format == "json":
        stdout.write(json.dumps([rule_object(rule) for rule in ALL_RULES], indent=2) + "\n")
    elif output_format == "markdown":
        stdout.write("# bgsession rules\n\n" + "\n".join(rule_markdown(rule) for rule in ALL_RULES))
    else:
        width = max(len(rule.name) for rule in ALL_RULES)
        for rule in ALL_RULES:
            stdout.write(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}\n")
    return 0


def run_rule(code: str, stdout: TextIO) -> int:
    rule = find_rule(code)
    if rule is None:
        raise UsageError(f"unknown rule {code!r}; `bgsession rules` lists them")
    stdout.write(rule_text(rule))
    return 0
