"""`bgsession lint --fix / --diff / --unsafe-fixes` on the command line, and the guards of the fix rounds."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bgsession.diagnostics import Diagnostic, Edit, Fix, Loc, Severity
from bgsession.fixes import FixRequest, fix_project, session
from bgsession.fixes.disk import editable
from bgsession.fixes.edits import choose
from bgsession.lint.runner import LintRequest, LintResult
from tests.cli.helpers import DOWNLOADER, REPO, bgsession, codes, write_app

# Called directly on the delegate queue (BGS014) and never cleared (BGS015): both fixes insert at the
# end of the same statement, so they overlap and are applied in two rounds.
OFF_MAIN = DOWNLOADER.replace(
    """        DispatchQueue.main.async {
            let appDelegate = UIApplication.shared.delegate as? AppDelegate
            let handler = appDelegate?.backgroundCompletionHandler
            appDelegate?.backgroundCompletionHandler = nil
            handler?()
        }
""",
    """        let appDelegate = UIApplication.shared.delegate as? AppDelegate
        appDelegate?.backgroundCompletionHandler?()
""",
)
BOTH_FIXED = (
    "DispatchQueue.main.async { appDelegate?.backgroundCompletionHandler?(); "
    "appDelegate?.backgroundCompletionHandler = nil }"
)
LEGACY = 'import Foundation\n\nlet legacy = URLSessionConfiguration.backgroundSessionConfiguration("com.example.old")\n'


def _app(tmp_path: Path) -> Path:
    folder = write_app(tmp_path / "App", OFF_MAIN)
    (folder / "Legacy.swift").write_text(LEGACY, encoding="utf-8")
    return folder


def test_diff_prints_the_fixes_and_changes_nothing(tmp_path: Path) -> None:
    folder = _app(tmp_path)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    done = bgsession("lint", "--no-cache", "--diff", "App", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "--- a/App/Legacy.swift\n+++ b/App/Legacy.swift\n" in done.stdout
    assert '+let legacy = URLSessionConfiguration.background(withIdentifier: "com.example.old")\n' in done.stdout
    assert f"+        {BOTH_FIXED}\n" in done.stdout
    assert "would fix 3 findings in 2 files" in done.stderr
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_fix_writes_the_safe_fixes_and_reports_what_remains(tmp_path: Path) -> None:
    folder = _app(tmp_path)
    done = bgsession("lint", "--no-cache", "--fix", "App", cwd=tmp_path)
    assert "fixed 3 findings in 2 files" in done.stderr
    # A second identifier (Legacy.swift) makes the one handler slot BGS016: no fix for that.
    assert codes(done.stdout) == ["BGS016", "BGS022"] and done.returncode == 1
    downloader = (folder / "Downloader.swift").read_text(encoding="utf-8")
    assert f"        {BOTH_FIXED}\n" in downloader
    again = bgsession("lint", "--no-cache", "--fix", "App", cwd=tmp_path)
    assert "fixed 0 findings in 0 files" in again.stderr
    assert (folder / "Downloader.swift").read_text(encoding="utf-8") == downloader
    clean = bgsession("lint", "--no-cache", "--diff", "App", cwd=tmp_path)
    assert clean.returncode == 0 and clean.stdout == ""


def test_a_byte_order_mark_is_kept_and_utf16_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "App"
    folder.mkdir()
    (folder / "Bom.swift").write_bytes(codecs.BOM_UTF8 + LEGACY.encode())
    utf16 = codecs.BOM_UTF16_LE + LEGACY.replace("old", "wide").encode("utf-16-le")
    (folder / "Wide.swift").write_bytes(utf16)
    done = bgsession("lint", "--no-cache", "--fix", "App", cwd=tmp_path)
    assert (folder / "Bom.swift").read_bytes() == codecs.BOM_UTF8 + LEGACY.replace(
        "backgroundSessionConfiguration(", "background(withIdentifier: "
    ).encode()
    assert (folder / "Wide.swift").read_bytes() == utf16
    assert "Wide.swift: fixes not applied: the file is UTF-16/UTF-32" in done.stderr
    assert codes(done.stdout) == ["BGS005"]


def test_carriage_return_line_ends_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "Crlf.swift"
    source.write_bytes(OFF_MAIN.replace("\n", "\r\n").encode())
    (tmp_path / "AppDelegate.swift").write_text(write_app(tmp_path / "x").joinpath("AppDelegate.swift").read_text())
    bgsession("lint", "--no-cache", "--fix", "Crlf.swift", "AppDelegate.swift", cwd=tmp_path)
    fixed = source.read_bytes()
    assert f"{BOTH_FIXED}\r\n".encode() in fixed
    assert b"\n" not in fixed.replace(b"\r\n", b"")


def test_a_linked_file_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.swift"
    outside.write_text(LEGACY, encoding="utf-8")
    folder = tmp_path / "App"
    folder.mkdir()
    (folder / "Legacy.swift").symlink_to(outside)
    done = bgsession("lint", "--no-cache", "--fix", "App", cwd=tmp_path)
    assert "App/Legacy.swift: fixes not written:" in done.stderr and "symbolic link" in done.stderr
    assert outside.read_text(encoding="utf-8") == LEGACY
    assert (folder / "Legacy.swift").is_symlink()
    assert "fixed 0 findings in 0 files" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unsafe-fixes",), "--unsafe-fixes is only meaningful with --fix or --diff"),
        (("--fix", "--stdin", "--stdin-filename", "A.swift"), "--fix cannot write text read from standard input"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    done = bgsession("lint", *args, cwd=tmp_path, stdin="")
    assert done.returncode == 2 and message in done.stderr


def test_diff_of_a_buffer_on_stdin(tmp_path: Path) -> None:
    done = bgsession(
        "lint", "--no-cache", "--diff", "--stdin", "--stdin-filename", "L.swift", cwd=tmp_path, stdin=LEGACY
    )
    assert done.returncode == 1 and "+let legacy = URLSessionConfiguration.background(withIdentifier:" in done.stdout
    assert not (tmp_path / "L.swift").exists()


def _finding(line: int, *edits: Edit, applicability: str = "safe") -> Diagnostic:
    fix = Fix("t", "safe" if applicability == "safe" else "unsafe", edits)
    return Diagnostic("BGS005", "x", Severity.WARNING, "F.swift", Loc(line, 1, line, 2), "m", fixes=(fix,))


def test_of_two_overlapping_fixes_one_is_applied_and_the_other_reported() -> None:
    first, second = _finding(1, Edit(0, 4, "a")), _finding(2, Edit(2, 6, "b"))
    apart = _finding(3, Edit(6, 6, "c"))
    taken, left = choose([second, apart, first], unsafe=False)
    assert [item.diagnostic for item in taken] == [first, apart]
    assert [item.diagnostic for item in left] == [second]
    unsafe = _finding(4, Edit(9, 9, "d"), applicability="unsafe")
    assert [item.diagnostic for item in choose([unsafe], unsafe=False)[0]] == []
    assert [item.diagnostic for item in choose([unsafe], unsafe=True)[0]] == [unsafe]


def test_a_fix_that_would_parse_worse_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "F.swift"
    source.write_text("let a = 1\n", encoding="utf-8")
    broken = Diagnostic(
        "BGS005",
        "x",
        Severity.WARNING,
        str(source),
        Loc(1, 1, 1, 2),
        "m",
        fixes=(Fix("break it", "safe", (Edit(0, 3, "let (("),)),),
    )
    monkeypatch.setattr(session, "lint", lambda request: LintResult([broken], 1, 1, [], []))
    outcome = fix_project(FixRequest(LintRequest([str(source)]), write=True))
    assert not outcome.applied and not outcome.changed
    assert outcome.notes == [f"{source}: fixes not applied: the result would have 1 more syntax error"]
    assert source.read_text(encoding="utf-8") == "let a = 1\n"


def test_readme_diff_example_is_the_real_output() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- diff-example -->\n```diff\n", 1)[1].split("```", 1)[0]
    done = bgsession("lint", "--no-cache", "--diff", "examples/PhotoBackup", cwd=REPO)
    assert done.returncode == 1, done.stderr
    assert shown == done.stdout


def test_in_one_round_the_overlapping_fix_waits_and_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _app(tmp_path)
    monkeypatch.setattr(session, "MAX_ROUNDS", 1)
    outcome = fix_project(FixRequest(LintRequest([str(folder)]), write=False))
    assert sorted(item.diagnostic.code for item in outcome.applied) == ["BGS005", "BGS014"]
    assert [item.diagnostic.code for item in outcome.overlapping] == ["BGS015"]


def test_an_edit_outside_the_file_costs_that_file_not_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "F.swift"
    source.write_text("let a = 1\n", encoding="utf-8")
    stale = Diagnostic(
        "BGS005",
        "x",
        Severity.WARNING,
        str(source),
        Loc(1, 1, 1, 2),
        "m",
        fixes=(Fix("stale", "safe", (Edit(50, 60, "x"),)),),
    )
    monkeypatch.setattr(session, "lint", lambda request: LintResult([stale], 1, 1, [], []))
    outcome = fix_project(FixRequest(LintRequest([str(source)]), write=True))
    assert not outcome.changed and "internal error" in outcome.notes[0]
    assert source.read_text(encoding="utf-8") == "let a = 1\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"let a = 1\rlet b = 2\r", "carriage-return line ends"),
        (b"let a = \xff\n", "not valid UTF-8"),
        (codecs.BOM_UTF16_BE + "let a = 1\n".encode("utf-16-be"), "UTF-16/UTF-32"),
        (b"\x00\x01binary", "binary"),
    ],
)
def test_files_whose_bytes_are_not_the_parsed_text_are_not_edited(data: bytes, reason: str) -> None:
    found = editable(data)
    assert isinstance(found, str) and reason in found


def test_a_byte_order_mark_and_crlf_map_back_exactly() -> None:
    data = codecs.BOM_UTF8 + b"let a = 1\r\nlet b = 2\r\n"
    found = editable(data)
    assert not isinstance(found, str)
    assert found.newline == b"\r\n" and found.to_disk(found.text) == data


def test_fixes_that_never_settle_stop_after_the_last_round(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "F.swift"
    source.write_text("let a = 1\n", encoding="utf-8")
    again = Diagnostic(
        "BGS005",
        "x",
        Severity.WARNING,
        str(source),
        Loc(1, 1, 1, 2),
        "m",
        fixes=(Fix("grow", "safe", (Edit(0, 0, "// x\n"),)),),
    )
    monkeypatch.setattr(session, "lint", lambda request: LintResult([again], 1, 1, [], []))
    outcome = fix_project(FixRequest(LintRequest([str(source)])))
    assert len(outcome.applied) == session.MAX_ROUNDS
    assert outcome.notes == [f"fixes still changing files after {session.MAX_ROUNDS} rounds; stopped there"]
