"""`bgsession lsp` with one test-only fix, for the end-to-end test of the fix path: the BGS021
finding (an upload from in-memory data) offers "upload from a file instead", computed from the
buffer's bytes the way a rule computes its fix from the tree. Run as `python -m
tests.lsp.server_with_fixes`; nothing in bgsession itself knows of it."""

from __future__ import annotations

from dataclasses import replace

from bgsession.diagnostics import Diagnostic, Edit, Fix
from bgsession.lint.runner import LintRequest, LintResult
from bgsession.lint.runner import lint as real_lint
from bgsession.lsp import linting
from bgsession.lsp.server import serve

OLD = b"from: photo)"
NEW = "fromFile: URL(fileURLWithPath: name))"


def _with_fix(diagnostic: Diagnostic, source: bytes) -> Diagnostic:
    if diagnostic.code != "BGS021":
        return diagnostic
    starts = [0] + [index + 1 for index, byte in enumerate(source) if byte == 0x0A]
    line_start = starts[diagnostic.loc.line - 1]
    line_end = source.find(b"\n", line_start)
    found = source.find(OLD, line_start, line_end if line_end != -1 else len(source))
    if found == -1:
        return diagnostic
    return replace(diagnostic, fixes=(Fix("Upload from a file", "safe", (Edit(found, found + len(OLD), NEW),)),))


def lint_with_fixes(request: LintRequest) -> LintResult:
    result = real_lint(request)
    result.diagnostics = [
        _with_fix(d, request.overrides[d.path]) if d.path in request.overrides else d for d in result.diagnostics
    ]
    return result


if __name__ == "__main__":
    linting.lint = lint_with_fixes  # type: ignore[assignment]
    raise SystemExit(serve())
