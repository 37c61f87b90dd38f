"""GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=...::message`.

Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in property
values `:` and `,` are as well.
"""

from __future__ import annotations

import re

from bgsession.diagnostics import Diagnostic, Severity, escape_path
from bgsession.report.context import ReportContext

_SURROGATE = re.compile("[\ud800-\udfff]")
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # A name's undecodable byte (a lone surrogate) cannot be written as UTF-8: shown as its escape.
    return _SURROGATE.sub(lambda found: f"\\u{{{ord(found.group()):04X}}}", escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_command(diagnostic: Diagnostic, path: str) -> str:
    loc = diagnostic.loc
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", escape_path(path)),
            ("line", loc.line),
            ("col", loc.column),
            ("endLine", loc.end_line),
            ("endColumn", loc.end_column),
            ("title", f"{diagnostic.code} {diagnostic.name}"),
        )
    )
    message = diagnostic.message
    if diagnostic.trace:
        message += "\n\nHow this fails, as the reference model plays it out:\n" + "\n".join(diagnostic.trace)
    return f"::{_LEVEL[diagnostic.severity]} {properties}::{escape_data(message)}"


def render(context: ReportContext) -> str:
    return "".join(format_command(d, context.relative(d.path)) + "\n" for d in context.diagnostics)
