"""Odd inputs: each is linted or reported in one line naming the file, and never stops the other files.

Every test lints its odd file next to GOOD_NEIGHBOUR, a file with a known finding, so "the other files
are still linted" is checked each time; exit statuses are the documented 0 (clean), 1 (findings at
warning or above) and 2 (usage error).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bgsession.cli import main
from bgsession.diagnostics import escape_path
from bgsession.lint import runner
from bgsession.lint.runner import LintRequest, lint
from bgsession.sources import read_file

NEIGHBOUR = (
    "import Foundation\n"
    "final class Neighbour {\n"
    '    let session = URLSession(configuration: .background(withIdentifier: "com.example.neighbour"))\n'
    "}\n"
)
NEIGHBOUR_FINDING = ":3:19: error: background session created without a delegate"

# A finding on line 3, column 15 when read with Unix line ends.
BODY = (
    "import Foundation\n"
    'let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.odd")\n'
    "let session = URLSession(configuration: configuration)\n"
)


def lint_folder(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str], str]:
    (folder / "Neighbour.swift").write_text(NEIGHBOUR, encoding="utf-8")
    status = main(["lint", "--format", "text", *extra, str(folder)])
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert any(line.endswith("[BGS003 missing-delegate]") and NEIGHBOUR_FINDING in line for line in lines), lines
    assert "Traceback" not in captured.err
    return status, lines, captured.err


def lines_about(lines: list[str], path: Path) -> list[str]:
    return [line for line in lines if line.startswith(f"{path}:")]


def test_empty_files_are_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("Empty.swift", "Empty.m", "Empty.h"):
        (tmp_path / name).write_bytes(b"")
    status, lines, err = lint_folder(tmp_path, capsys)
    assert status == 1
    assert not [line for line in lines if "Empty" in line]
    assert "in 4 files" in err


def test_empty_project_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Empty.swift").write_bytes(b"")
    assert main(["lint", str(tmp_path)]) == 0


def test_binary_file_is_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "Asset.swift"
    binary.write_bytes(bytes(range(256)) * 64)
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert lines_about(lines, binary) == [
        f"{binary}:1:1: warning: {binary} is a binary file, not source code [BGS000 parse-error]"
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
             "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}  # fmt: skip
    odd = tmp_path / "Wide.swift"
    odd.write_bytes(marks[encoding] + BODY.encode(encoding))
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert [line.split(" error:")[0] for line in lines_about(lines, odd)] == [f"{odd}:3:15:"]


def test_utf8_byte_order_mark_keeps_first_line_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first_line = 'let session = URLSession(configuration: .background(withIdentifier: "com.example.bom"))\n'
    odd = tmp_path / "Marked.swift"
    odd.write_bytes(codecs.BOM_UTF8 + first_line.encode())
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert [line.split(" error:")[0] for line in lines_about(lines, odd)] == [f"{odd}:1:15:"]


def test_invalid_utf8_is_reported_even_without_relevant_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "Legacy.m"
    latin.write_bytes("// Copyright \xa9 2009 Caf\xe9 Ltd\n@implementation Legacy\n@end\n".encode("latin-1"))
    relevant = tmp_path / "Latin.swift"
    relevant.write_bytes(("// caf\xe9\n" + BODY.split("\n", 1)[1]).encode("latin-1"))
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert lines_about(lines, latin) == [
        f"{latin}:1:1: warning: {latin} is not valid UTF-8 (byte 0xa9 on line 1); linted as is [BGS000 parse-error]"
    ]
    about = lines_about(lines, relevant)
    assert any("is not valid UTF-8 (byte 0xe9 on line 1)" in line for line in about)
    assert any(line.startswith(f"{relevant}:3:15: error:") for line in about), about


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_line_endings_keep_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str], ending: str) -> None:
    odd = tmp_path / "Ends.swift"
    odd.write_bytes(BODY.replace("\n", ending).encode())
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert [line.split(" error:")[0] for line in lines_about(lines, odd)] == [f"{odd}:3:15:"]
    # SARIF's region and the fingerprint's line text come from the same numbering.
    assert main(["lint", "--format", "sarif", str(odd)]) == 1
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 15)
    odd.write_text(BODY, encoding="utf-8")  # the same file saved with Unix line ends
    assert main(["lint", "--format", "sarif", str(odd)]) == 1
    unix_result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    assert result["partialFingerprints"] == unix_result["partialFingerprints"]


def test_mixed_line_endings_keep_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "Mixed.swift"
    head, second, third = BODY.splitlines(keepends=True)
    odd.write_bytes((head.replace("\n", "\r") + second.replace("\n", "\r\n") + third).encode())
    assert main(["lint", str(odd)]) == 1
    assert capsys.readouterr().out.startswith(f"{odd}:3:15: error:")


def test_twenty_megabyte_file(tmp_path: Path) -> None:
    # In its own interpreter: its tree alone is about 1 GB, and tree-sitter 0.26's binding does not
    # check its allocations (under `ulimit -v` it segfaults in QueryCursor.matches rather than raise
    # MemoryError). In a pytest-xdist worker that segfault was stop 23's stalled CI; here it is this
    # test's failure, with faulthandler's stack in the message.
    chunk = "func helper{n}(_ value: Int) -> Int {{\n    let doubled = value * 2\n    return doubled - {n}\n}}\n"
    parts = [BODY]
    size = len(BODY)
    count = 0
    while size < 20_000_000:
        text = chunk.format(n=count)
        parts.append(text)
        size += len(text)
        count += 1
    parts.append('func go() { session.dataTask(with: URL(string: "https://example.com")!).resume() }\n')
    huge = tmp_path / "Huge.swift"
    huge.write_text("".join(parts), encoding="utf-8")
    last_line = 3 + count * 4 + 1
    (tmp_path / "Neighbour.swift").write_text(NEIGHBOUR, encoding="utf-8")
    # Over the default size budget (one note: tests/security/test_budget.py); linted when allowed.
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "bgsession", "lint", "--no-cache", "--format", "text",
         "--max-file-bytes", "25000000", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr[-4000:]
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert any(line.endswith("[BGS003 missing-delegate]") and NEIGHBOUR_FINDING in line for line in lines), lines
    about = lines_about(lines, huge)
    assert any(line.startswith(f"{huge}:3:15: error:") for line in about), about
    assert any(line.startswith(f"{huge}:{last_line}:13: warning:") and "BGS022" in line for line in about), about


DEEP = 10_000


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("Blocks.swift", BODY + "func f() {\n" + "if true {\n" * DEEP + "session.dataTask(with: u).resume()\n"
         + "}\n" * DEEP + "}\n"),
        ("Parens.swift", BODY + "let x = " + "(" * DEEP + "1" + ")" * DEEP + "\n"),
        ("Closures.swift", BODY + "let c = " + "{ " * DEEP + "session" + " }" * DEEP + "\n"),
        ("Calls.swift", BODY + "let y = " + "f(" * DEEP + "session" + ")" * DEEP + "\n"),
        ("Unclosed.swift", BODY + "func f() {\n" + "if true {\n" * DEEP),
        ("Blocks.m", "void f(void) {\n NSURLSession *s = [NSURLSession sessionWithConfiguration:"
         "[NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@\"com.example.deep\"]];\n"
         + "{" * DEEP + "[s dataTaskWithURL:u];" + "}" * DEEP + "\n}\n"),
        ("Messages.m", "void g(NSURLSession *session) { id x = " + "[a b:" * DEEP + "session" + "]" * DEEP + ";\n}\n"),
        ("BlocksInBlocks.m", "void h(NSURLSession *session) { id x = " + "^{ " * DEEP
         + "[session finishTasksAndInvalidate];" + " }" * DEEP + ";\n}\n"),
    ],
    ids=lambda value: value if len(value) < 40 else "",
)  # fmt: skip
def test_nesting_ten_thousand_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, source: str) -> None:
    odd = tmp_path / name
    odd.write_text(source, encoding="utf-8")
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    for line in lines_about(lines, odd):
        assert re.match(rf"{re.escape(str(odd))}:\d+:\d+: (error|warning|note): .+ \[BGS\d{{3}} [a-z-]+\]$", line)


def test_folder_named_like_a_source_file_is_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Odd.swift"
    folder.mkdir()
    (folder / "Inside.swift").write_text(BODY, encoding="utf-8")
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert any(line.startswith(f"{folder / 'Inside.swift'}:3:15:") for line in lines)


def test_directory_given_where_a_file_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "Odd.swift"
    folder.mkdir()
    result = lint(LintRequest(paths=[]), reader=read_file)  # nothing given: nothing read
    assert result.files_checked == 0
    facts, _ = runner.collect_facts([str(folder)], read_file, {})
    assert facts[0].read_error == f"{folder}: is a directory"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_broken_symlink_and_symlink_loops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "Broken.swift"
    broken.symlink_to(tmp_path / "missing.swift")
    loop_a, loop_b = tmp_path / "LoopA.swift", tmp_path / "LoopB.swift"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    (tmp_path / "Cycle").mkdir()
    (tmp_path / "Cycle" / "Back").symlink_to(tmp_path, target_is_directory=True)
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    assert lines_about(lines, broken) == [
        f"{broken}:1:1: warning: {broken}: is a broken symbolic link [BGS000 parse-error]"
    ]
    for looped in (loop_a, loop_b):
        about = lines_about(lines, looped)
        assert len(about) == 1 and "too many levels of symbolic links" in about[0], about
    # The folder link back to the root is not followed: every file is reported once.
    assert len([line for line in lines if "Neighbour.swift" in line]) == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_never_blocks(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Pipe.swift")
    (tmp_path / "Neighbour.swift").write_text(NEIGHBOUR, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", "lint", "--no-cache", "--format", "sarif", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "is not a regular file (a pipe, socket or device)" in done.stdout


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "Locked.swift"
    locked.write_text(BODY, encoding="utf-8")
    locked.chmod(0)
    try:
        status, lines, _ = lint_folder(tmp_path, capsys)
    finally:
        locked.chmod(0o644)
    assert status == 1
    assert lines_about(lines, locked) == [
        f"{locked}:1:1: warning: {locked}: cannot be read (permission denied) [BGS000 parse-error]"
    ]


def _refuse(path: Path) -> None:
    raise PermissionError(13, "Permission denied", str(path))


def _delete(path: Path) -> None:
    path.unlink()  # the file existed when the folder was walked


@pytest.mark.parametrize(
    ("before_reading", "reason"),
    [(_refuse, "cannot be read (permission denied)"), (_delete, "disappeared before it could be read")],
    ids=["refused, as for a file without read permission when run as root", "deleted after discovery"],
)
def test_file_that_fails_at_reading_time(tmp_path: Path, before_reading: Callable[[Path], None], reason: str) -> None:
    odd = tmp_path / "Odd.swift"
    odd.write_text(BODY, encoding="utf-8")
    (tmp_path / "Neighbour.swift").write_text(NEIGHBOUR, encoding="utf-8")

    def reader(path: str) -> bytes:
        if path == str(odd):
            before_reading(odd)
        return read_file(path)

    result = lint(LintRequest(paths=[str(tmp_path)]), reader=reader)
    messages = {(d.path, d.code, d.message) for d in result.diagnostics}
    assert (str(odd), "BGS000", f"{odd}: {reason}") in messages
    assert any(d.path.endswith("Neighbour.swift") and d.code == "BGS003" for d in result.diagnostics)


@pytest.mark.parametrize("folder", ["My App", "Überweisungen", "数据 同步", 'it\'s "quoted"', "tab\there"])
def test_paths_with_spaces_and_non_ascii(tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str) -> None:
    where = tmp_path / folder
    where.mkdir()
    odd = where / "Ünïcode Uploader.swift"
    odd.write_text(BODY, encoding="utf-8")
    status, lines, _ = lint_folder(tmp_path, capsys)
    assert status == 1
    # A tab is a control character: the text format writes it as an escape (tests/security/test_output.py).
    shown = escape_path(str(odd))
    assert [line.split(" error:")[0] for line in lines if line.startswith(f"{shown}:")] == [f"{shown}:3:15:"]
    for output_format in ("json", "sarif", "checkstyle", "junit", "github"):
        assert main(["lint", "--format", output_format, str(where)]) == 1
        out = capsys.readouterr().out
        assert out.strip(), output_format


def test_one_line_per_problem_and_no_traceback_in_a_subprocess(tmp_path: Path) -> None:
    """Everything odd at once, through the real command line: one line each, exit 1, nothing on fire."""
    (tmp_path / "Binary.swift").write_bytes(b"\x00\x01URLSession")
    (tmp_path / "Latin.m").write_bytes(b"// caf\xe9\n")
    (tmp_path / "Empty.swift").write_bytes(b"")
    (tmp_path / "Ends.swift").write_bytes(BODY.replace("\n", "\r").encode())
    (tmp_path / "Folder.swift").mkdir()
    if hasattr(os, "symlink"):
        (tmp_path / "Broken.swift").symlink_to(tmp_path / "nowhere.swift")
    (tmp_path / "Neighbour.swift").write_text(NEIGHBOUR, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", "lint", "--no-cache", str(tmp_path), str(tmp_path / "missing.swift")],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    for name in ("Binary.swift", "Latin.m", "Ends.swift", "Neighbour.swift"):
        assert sum(1 for line in done.stdout.splitlines() if line.startswith(str(tmp_path / name) + ":")) >= 1
    assert f"bgsession: error: {tmp_path / 'missing.swift'}: no such file or directory" in done.stderr


def test_usage_errors_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--format", "nope", str(tmp_path)]) == 2
    assert main(["lint", "--select", "BGS999", str(tmp_path)]) == 2
    assert main(["lint", str(tmp_path / "missing")]) == 2
