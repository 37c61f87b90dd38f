"""The Markdown summary: a golden file, and adversarial messages and file names rendered by a real
CommonMark parser with GFM tables (markdown-it-py) to prove each cell shows exactly what was written."""

from __future__ import annotations

import os
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bgsession.diagnostics import Diagnostic, Loc, Severity, escape_path, one_line
from bgsession.report import FORMATS, markdown, render
from bgsession.report.context import ReportContext
from bgsession.sources import SourceLines
from tests.cli.helpers import REPO, bgsession, write_app

GOLDEN = Path(__file__).parent / "golden" / "example.markdown"
HOSTILE_MESSAGES = (
    "a | b || c \\| d",
    "`tick` ``two`` ```three",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; &lt;",
    "line one\nline two\r\nthree\tfour",
    "*em* _em_ **strong** ~~gone~~ [link](https://example.com) ![img](x.png) @someone #12",
    "trailing backslash \\",
    "<!-- comment --> <https://example.com> https://example.com",
)
HOSTILE_PATHS = ("dir|x/a`b`.swift", "`lead.swift", "new\nline <b>.swift", "sp ace |.m")


def _parse(document: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(document)


def _tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Each table's rows, each row's cells as their inline tokens."""
    tables: list[list[list[Token]]] = []
    rows: list[list[Token]] = []
    inside_cell = False
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            rows.append([])
        elif token.type in ("td_open", "th_open"):
            inside_cell = True
        elif token.type in ("td_close", "th_close"):
            inside_cell = False
        elif token.type == "inline" and inside_cell:
            rows[-1].append(token)
        elif token.type == "table_close":
            tables.append(rows)
    return tables


def _plain(cell: Token) -> str:
    """The text a reader sees in a cell; fails on anything but text and code."""
    parts = []
    for child in cell.children or []:
        assert child.type in ("text", "code_inline", "softbreak"), (child.type, child.content)
        parts.append(child.content)
    return "".join(parts)


def test_markdown_is_a_registered_format() -> None:
    assert "markdown" in FORMATS


def test_golden() -> None:
    done = bgsession("lint", "--format", "markdown", "examples/PhotoBackup", cwd=REPO)
    assert done.returncode == 1, done.stderr
    if os.environ.get("BGSESSION_UPDATE_GOLDEN"):
        GOLDEN.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == GOLDEN.read_text(encoding="utf-8")


def test_every_cell_shows_exactly_what_was_written(tmp_path: Path) -> None:
    diagnostics = [
        Diagnostic("BGS003", "missing-delegate", Severity.ERROR, str(tmp_path / path), Loc(i + 1, 2, i + 1, 3), message)
        for i, (path, message) in enumerate(zip(HOSTILE_PATHS * 2, HOSTILE_MESSAGES, strict=False))
    ]
    document = render("markdown", ReportContext(diagnostics, 3, tmp_path, SourceLines()))
    tokens = _parse(document)
    assert not [t for t in tokens if t.type.startswith("html")]
    rules, findings = _tables(tokens)
    assert [_plain(cell) for cell in rules[1]] == ["BGS003", "missing-delegate", "error", str(len(diagnostics))]
    assert len(findings) == len(diagnostics) + 1
    for row, diagnostic in zip(findings[1:], diagnostics, strict=True):
        assert len(row) == 4
        severity, where, code, message = (_plain(cell) for cell in row)
        assert severity == "error" and code == "BGS003"
        assert message == one_line(diagnostic.message)
        relative = os.path.relpath(diagnostic.path, tmp_path)
        # A code span strips one space each side when it was padded; the name itself is printed escaped.
        assert where == escape_path(f"{relative}:{diagnostic.loc.line}:2")
        assert row[1].children is not None and row[1].children[0].type == "code_inline"


def test_no_findings_and_the_row_limit(tmp_path: Path) -> None:
    empty = render("markdown", ReportContext([], 4, tmp_path, SourceLines()))
    assert empty == "## bgsession\n\nNo problems in 4 files.\n"
    path = str(tmp_path / "a.swift")
    many = [
        Diagnostic("BGS022", "data-task-in-background", Severity.WARNING, path, Loc(i, 1, i, 2), "m")
        for i in range(1, markdown.MAX_ROWS + 8)
    ]
    document = render("markdown", ReportContext(many, 1, tmp_path, SourceLines()))
    _, findings = _tables(_parse(document))
    assert len(findings) == markdown.MAX_ROWS + 1
    assert document.rstrip().endswith("… and 7 more: see the annotations or the SARIF report.")


def test_markdown_output_beside_the_text_report(tmp_path: Path) -> None:
    write_app(tmp_path)
    done = bgsession("lint", ".", "--markdown-output", "summary.md", cwd=tmp_path)
    assert done.returncode == 1 and "[BGS022 data-task-in-background]" in done.stdout
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    rules, findings = _tables(_parse(summary))
    assert [_plain(cell) for cell in rules[1]] == ["BGS022", "data-task-in-background", "warning", "1"]
    assert _plain(findings[1][1]) == "Downloader.swift:12:9"
