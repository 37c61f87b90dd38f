"""`bgsession lint`, `rules` and `rule` through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bgsession.cli import main
from bgsession.lint.rules import ALL_RULES

BAD = (
    "import Foundation\n"
    'let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.bg")\n'
    "let session = URLSession(configuration: configuration)\n"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Sources").mkdir()
    (tmp_path / "Sources" / "Bad.swift").write_text(BAD)
    (tmp_path / "Sources" / "Plain.swift").write_text("struct Plain {}\n")
    return tmp_path


def test_text_output_is_the_compiler_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", str(project)], capsys)
    path = project / "Sources" / "Bad.swift"
    assert code == 1
    assert out.splitlines() == [
        f"{path}:3:15: error: background session created without a delegate; its events can only be delivered to a "
        "delegate [BGS003 missing-delegate]"
    ]
    assert err.strip() == "bgsession: 1 error in 2 files"


def test_json_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["lint", "--format", "json", str(project)], capsys)
    report = json.loads(out)
    assert code == 1
    assert report["version"] == 1 and report["tool"]["name"] == "bgsession" and report["files_checked"] == 2
    (diagnostic,) = report["diagnostics"]
    assert diagnostic == {
        "code": "BGS003",
        "name": "missing-delegate",
        "severity": "error",
        "path": str(project / "Sources" / "Bad.swift"),
        "line": 3,
        "column": 15,
        "end_line": 3,
        "end_column": 55,
        "message": "background session created without a delegate; its events can only be delivered to a delegate",
    }


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", "--ignore", "BGS003", str(project)], capsys)[0] == 0
    assert run(["lint", "--select", "BGS001,BGS002", str(project)], capsys)[0] == 0
    assert run(["lint", "--select", "bgs003", str(project)], capsys)[0] == 1


def test_unknown_code_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["lint", "--select", "BGS999", str(project)], capsys)
    assert code == 2 and "--select: 'BGS999' matches no rule" in err


def test_quiet_drops_notes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Broken.swift").write_text("let s: URLSession = .shared\nlet x = = 1\n")
    code, out, err = run(["lint", str(tmp_path)], capsys)
    assert code == 0 and "note:" in out and "1 note" in err
    code, out, err = run(["lint", "--quiet", str(tmp_path)], capsys)
    assert code == 0 and out == "" and err == ""


def test_clean_project_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "A.swift").write_text("struct A {}\n")
    code, out, err = run(["lint", str(tmp_path)], capsys)
    assert (code, out) == (0, "") and "no problems in 1 file" in err


def test_missing_path_is_reported_and_others_still_linted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", str(project / "nope"), str(project)], capsys)
    assert code == 1 and "BGS003" in out
    assert f"bgsession: error: {project / 'nope'}: no such file or directory" in err


def test_only_missing_paths_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["lint", str(tmp_path / "nope")], capsys)
    assert code == 2 and "nothing to lint" in err


def test_unreadable_and_undecodable_files_are_diagnostics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Binary.swift").write_bytes(b"URLSession\x00\x01\x02")
    (tmp_path / "Latin1.swift").write_bytes("let s: URLSession = .shared // caf\xe9\n".encode("latin-1"))
    (tmp_path / "Good.swift").write_text(BAD)
    code, out, _ = run(["lint", str(tmp_path)], capsys)
    assert code == 1
    assert f"{tmp_path / 'Binary.swift'}:1:1: warning: {tmp_path / 'Binary.swift'} is a binary file" in out
    assert "is not valid UTF-8 (byte 0xe9 on line 1)" in out
    assert "BGS003" in out


def test_hidden_and_build_folders_are_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("Pods/Lib", ".git", "DerivedData/x", "build", "Carthage/Checkouts/y", ".build"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "Bad.swift").write_text(BAD)
    code, _, err = run(["lint", str(tmp_path)], capsys)
    assert code == 0 and "no problems in 0 files" in err


def test_rules_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and out.count("\n") == len(ALL_RULES) and out.startswith("BGS000  parse-error")
    code, out, _ = run(["rules", "--format", "json"], capsys)
    assert code == 0 and [r["code"] for r in json.loads(out)][:2] == ["BGS000", "BGS001"]
    code, out, _ = run(["rule", "BGS013"], capsys)
    assert code == 0 and out.startswith("BGS013 handler-never-called (error)") and "What it does not catch" in out
    assert run(["rule", "handler-off-main-thread"], capsys)[0] == 0
    assert run(["rule", "BGS999"], capsys)[0] == 2


def test_default_path_is_the_current_directory(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", "lint"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        check=False,
    )
    assert done.returncode == 1 and "Sources/Bad.swift:3:15: error:" in done.stdout
