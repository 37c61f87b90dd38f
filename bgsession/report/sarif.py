"""SARIF 2.1.0 for code scanning: rule metadata with help, repository-relative URIs under
%SRCROOT%, and partial fingerprints that survive line shifts (fingerprint.py)."""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from urllib.parse import quote

from bgsession import __version__
from bgsession.diagnostics import Diagnostic, Fix, Severity
from bgsession.files import dumps_json
from bgsession.report.context import ReportContext, RuleMetadata
from bgsession.report.fingerprint import fingerprints

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def rule_descriptors(rules: tuple[RuleMetadata, ...]) -> list[dict[str, object]]:
    descriptors: list[dict[str, object]] = []
    for rule in rules:
        links = rule.references
        help_markdown = (
            f"**{rule.code} {rule.name}**\n\n{rule.finds}\n\n**Why it is a defect.** {rule.why}\n\n"
            f"**Bad**\n\n```swift\n{rule.bad_swift.rstrip()}\n```\n\n"
            f"**Good**\n\n```swift\n{rule.good_swift.rstrip()}\n```\n\n"
            f"**What it does not catch.** {rule.limits}\n" + "".join(f"\n- [{title}]({url})" for title, url in links)
        )
        descriptor: dict[str, object] = {
            "id": rule.code,
            "name": _pascal(rule.name),
            "shortDescription": {"text": rule.summary[:1].upper() + rule.summary[1:]},
            "fullDescription": {"text": rule.finds},
            "help": {"text": f"{rule.finds}\n\n{rule.why}\n\n{rule.limits}", "markdown": help_markdown},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tags": _tags(rule)},
        }
        if links:
            descriptor["helpUri"] = links[0][1]
        descriptors.append(descriptor)
    return descriptors


def _tags(rule: RuleMetadata) -> list[str]:
    if rule.suppression:
        return ["suppression"]
    return ["background-urlsession", "lifecycle" if rule.lifecycle else "api-use"]


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF artifactLocation: a URI reference, so the path is percent-encoded (`#`, `?`, `%`, spaces,
    and the bytes of a name that is not UTF-8, which os.fsencode gives back); relative to %SRCROOT%
    inside the root, a file: URI outside it."""
    encoded = quote(os.fsencode(path), safe="/")
    if PurePosixPath(path).is_absolute():
        return {"uri": "file://" + encoded}
    return {"uri": encoded, "uriBaseId": "%SRCROOT%"}


def _utf16_column(line: str, byte_column: int) -> int:
    """SARIF's default column unit is the UTF-16 code unit; bgsession's columns count UTF-8 bytes."""
    prefix = line.encode("utf-8")[: max(byte_column - 1, 0)].decode("utf-8", "ignore")
    return len(prefix.encode("utf-16-le")) // 2 + 1


def _result(
    diagnostic: Diagnostic, index: dict[str, int], context: ReportContext, fingerprint: str
) -> dict[str, object]:
    loc = diagnostic.loc
    start_line = context.lines.line(diagnostic.path, loc.line)
    end_line = context.lines.line(diagnostic.path, loc.end_line) if loc.end_line != loc.line else start_line
    result: dict[str, object] = {
        "ruleId": diagnostic.code,
        "ruleIndex": index[diagnostic.code],
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(context.relative(diagnostic.path)),
                    "region": {
                        "startLine": loc.line,
                        "startColumn": _utf16_column(start_line, loc.column),
                        "endLine": max(loc.end_line, loc.line),
                        "endColumn": max(_utf16_column(end_line, loc.end_column), 1),
                    },
                }
            }
        ],
        "partialFingerprints": {"bgsessionFinding/v1": fingerprint},
    }
    if diagnostic.trace:
        result["properties"] = {"trace": list(diagnostic.trace)}
    if diagnostic.fixes:
        location = artifact_location(context.relative(diagnostic.path))
        result["fixes"] = [_fix(fix, location) for fix in diagnostic.fixes]
    return result


def _fix(fix: Fix, location: dict[str, str]) -> dict[str, object]:
    """A SARIF fix: one artifactChange whose replacements are binary regions (byte offsets into the
    UTF-8 text bgsession read), so no column unit has to be converted."""
    replacements = [
        {
            "deletedRegion": {"byteOffset": edit.start, "byteLength": edit.end - edit.start},
            "insertedContent": {"text": edit.text},
        }
        for edit in fix.edits
    ]
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
        "properties": {"applicability": fix.applicability},
    }


def render(context: ReportContext) -> str:
    descriptors = rule_descriptors(context.rules)
    index = {str(descriptor["id"]): position for position, descriptor in enumerate(descriptors)}
    prints = fingerprints(context.diagnostics, context.lines, context.relative)
    for diagnostic in context.diagnostics:
        index[diagnostic.code]  # every code a result names has a descriptor
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bgsession",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": context.root.resolve().as_uri() + "/"}},
                "columnKind": "utf16CodeUnits",
                "results": [_result(d, index, context, fp) for d, fp in zip(context.diagnostics, prints, strict=True)],
            }
        ],
    }
    return dumps_json(log) + "\n"
