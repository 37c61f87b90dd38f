"""Code actions from findings: fixes as quick fixes, suppressions that the linter then honours, and
fix-all over non-overlapping safe fixes. The findings here carry constructed fixes, as a rule's would."""

from __future__ import annotations

from lsprotocol import types

from bgsession.diagnostics import Diagnostic, Edit, Fix, Loc, Severity
from bgsession.lint.runner import LintRequest, lint
from bgsession.lsp import suppressing
from bgsession.lsp.actions import FIX_ALL, Document, code_actions, safe_fixes
from bgsession.lsp.positions import SourceMap

SWIFT = """\
let cfg = URLSessionConfiguration.backgroundSessionConfiguration("com.é.bg")
let other = URLSessionConfiguration.backgroundSessionConfiguration("com.é.other")
"""
OLD = "backgroundSessionConfiguration("
NEW = "background(withIdentifier: "


def _finding(line: int, fixes: tuple[Fix, ...], code: str = "BGS005") -> Diagnostic:
    column = SWIFT.splitlines()[line - 1].encode().find(OLD.encode()) + 1
    return Diagnostic(
        code,
        "deprecated-configuration-api",
        Severity.WARNING,
        "/p/A.swift",
        Loc(line, column, line, column + len(OLD)),
        "old",
        fixes=fixes,
    )


def _rename(line: int, applicability: str = "safe") -> Fix:
    data = SWIFT.encode()
    start = sum(len(row) + 1 for row in data.split(b"\n")[: line - 1]) + data.split(b"\n")[line - 1].find(OLD.encode())
    return Fix("Use background(withIdentifier:)", applicability, (Edit(start, start + len(OLD), NEW),))  # type: ignore[arg-type]


def _document(diagnostics: list[Diagnostic], versioned: bool = True) -> Document:
    return Document("file:///p/A.swift", 3, SourceMap(SWIFT, "utf-16"), diagnostics, versioned)


def _at(line: int) -> types.Range:
    point = types.Position(line=line, character=40)
    return types.Range(start=point, end=point)


def test_each_fix_is_a_quick_fix_and_the_safe_one_is_preferred() -> None:
    finding = _finding(1, (_rename(1, "unsafe"), _rename(1, "safe")))
    actions = code_actions(_document([finding, _finding(2, ())]), _at(0))
    fixes = [action for action in actions if action.title.startswith("Use ")]
    assert [(a.title, a.is_preferred) for a in fixes] == [
        ("Use background(withIdentifier:) (unsafe)", False),
        ("Use background(withIdentifier:)", True),
    ]
    assert all(a.kind == types.CodeActionKind.QuickFix for a in fixes)
    assert fixes[1].diagnostics is not None and fixes[1].diagnostics[0].code == "BGS005"
    change = fixes[1].edit.document_changes[0]  # type: ignore[index, union-attr]
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 3
    edit = change.edits[0]
    assert isinstance(edit, types.TextEdit) and edit.new_text == NEW
    # The range in UTF-16 units: the line holds no wide character before the call.
    assert (edit.range.start.line, edit.range.start.character) == (0, len("let cfg = URLSessionConfiguration."))
    # Only the finding under the cursor: line 2's finding has its own actions there.
    assert not any("line 2" in action.title for action in actions)


def test_an_unversioned_client_gets_plain_changes() -> None:
    actions = code_actions(_document([_finding(1, (_rename(1),))], versioned=False), _at(0))
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    assert list(actions[0].edit.changes) == ["file:///p/A.swift"]


def test_fix_all_takes_each_safe_fix_once_and_skips_overlaps() -> None:
    first, second = _rename(1), _rename(2)
    clashing = Fix("Another", "safe", (Edit(first.edits[0].start + 2, first.edits[0].start + 4, "x"),))
    findings = [_finding(1, (first,)), _finding(2, (second,)), _finding(1, (clashing,), code="BGS030")]
    assert safe_fixes(findings) == [first, second]
    only = code_actions(_document(findings), _at(0), only=[types.CodeActionKind.Source])
    assert [(a.title, a.kind) for a in only] == [("bgsession: fix all safe findings", FIX_ALL)]
    # Nothing safe, nothing to offer.
    assert code_actions(_document([_finding(1, (_rename(1, "unsafe"),))]), _at(0), only=[FIX_ALL]) == []


def test_findings_about_suppressions_get_no_suppression() -> None:
    finding = Diagnostic("BGS090", "unused-suppression", Severity.WARNING, "/p/A.swift", Loc(1, 1, 1, 2), "unused")
    assert code_actions(_document([finding]), _at(0)) == []


APP = """\
import Foundation

final class Downloads: NSObject, URLSessionDelegate {
    static let shared = Downloads()
    lazy var session = URLSession(configuration: .background(withIdentifier: "a.b"), delegate: self, delegateQueue: nil)

    func fetch(_ url: URL) {
        session.dataTask(with: url).resume()
        session.dataTask(with: url).resume()
    }
}
"""


def _lint(source: bytes) -> list[Diagnostic]:
    return lint(LintRequest([], overrides={"/virtual/Downloads.swift": source})).diagnostics


def _apply(source: bytes, edits: tuple[Edit, ...]) -> bytes:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        source = source[: edit.start] + edit.text.encode() + source[edit.end :]
    return source


def test_the_suppressions_silence_the_finding_and_nothing_else() -> None:
    source = APP.encode()
    found = _lint(source)
    assert [(d.code, d.loc.line) for d in found] == [("BGS022", 8), ("BGS022", 9)]
    once = _apply(source, suppressing.disable_line(source, found[0]))
    assert b"        // bgsession:disable-next-line BGS022\n        session.dataTask" in once
    assert [(d.code, d.loc.line) for d in _lint(once)] == [("BGS022", 10)]
    whole = _apply(source, suppressing.disable_file(source, found[0]))
    assert whole.startswith(b"// bgsession:disable-file BGS022\n") and _lint(whole) == []


def test_a_second_suppression_joins_the_comment_already_there() -> None:
    source = b"// bgsession:disable-file BGS001 -- shared on purpose\nx\n// bgsession:disable-next-line BGS004\nrun()\n"
    finding = Diagnostic("BGS022", "data-task-in-background", Severity.WARNING, "a.swift", Loc(4, 1, 4, 4), "m")
    assert _apply(source, suppressing.disable_file(source, finding)).startswith(
        b"// bgsession:disable-file BGS001, BGS022 -- shared on purpose\n"
    )
    assert b"// bgsession:disable-next-line BGS004, BGS022\nrun()" in _apply(
        source, suppressing.disable_line(source, finding)
    )


def test_a_shebang_stays_first() -> None:
    source = b"#!/usr/bin/swift\n    run()\n"
    finding = Diagnostic("BGS022", "data-task-in-background", Severity.WARNING, "a.swift", Loc(2, 5, 2, 8), "m")
    assert _apply(source, suppressing.disable_file(source, finding)) == (
        b"#!/usr/bin/swift\n// bgsession:disable-file BGS022\n    run()\n"
    )
    assert _apply(source, suppressing.disable_line(source, finding)) == (
        b"#!/usr/bin/swift\n    // bgsession:disable-next-line BGS022\n    run()\n"
    )


def test_a_crlf_file_gets_crlf_line_breaks() -> None:
    text = "let a = 1\r\n    run()\r\n"
    finding = Diagnostic(
        "BGS022", "data-task-in-background", Severity.WARNING, "/p/A.swift", Loc(2, 5, 2, 8), "m",
        fixes=(Fix("Split", "safe", (Edit(len(b"let a = 1\r\n    run"), len(b"let a = 1\r\n    run"), "\n// x\n"),)),),
    )  # fmt: skip
    document = Document("file:///p/A.swift", 1, SourceMap(text, "utf-16"), [finding], versioned=False)
    actions = code_actions(
        document, types.Range(start=types.Position(line=1, character=5), end=types.Position(line=1, character=5))
    )
    inserted = {a.title: a.edit.changes["file:///p/A.swift"][0].new_text for a in actions}  # type: ignore[index, union-attr]
    assert inserted == {
        "Split": "\r\n// x\r\n",
        "Disable BGS022 for this line": "    // bgsession:disable-next-line BGS022\r\n",
        "Disable BGS022 in this file": "// bgsession:disable-file BGS022\r\n",
        "bgsession: fix all safe findings": "\r\n// x\r\n",
    }
