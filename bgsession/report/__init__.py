"""Output formats: the registry, and one module per format, each a pure function of the findings.

Each format is imported only when asked for (the XML ones pull in xml.sax and urllib), so start-up
pays for the formats a run writes and no others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bgsession.report.context import ReportContext

# The format names the command line offers, in the order --help lists them.
FORMATS = ("text", "json", "sarif", "github", "checkstyle", "junit", "gitlab", "markdown", "html")
# Formats that draw `--explain`'s traces whether or not it was asked for: a report for people to read.
EXPLAINING_FORMATS = frozenset({"html"})


class UnknownFormatError(ValueError):
    pass


def render(output_format: str, context: ReportContext, *, explain: bool = False) -> str:
    """The report in `output_format`."""
    if output_format == "text":
        from bgsession.report import text

        return text.render(context.diagnostics, explain=explain)
    if output_format == "json":
        from bgsession.report import json_format

        return json_format.render(context.diagnostics, context.files_checked)
    if output_format not in FORMATS:
        raise UnknownFormatError(f"unknown format {output_format!r}")
    module = import_module(f"bgsession.report.{output_format}")
    result: str = module.render(context)
    return result


__all__ = ["EXPLAINING_FORMATS", "FORMATS", "UnknownFormatError", "render"]
