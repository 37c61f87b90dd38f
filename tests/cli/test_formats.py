"""Every report format: a golden file each, SARIF checked against the 2.1.0 schema, GitHub's escaping,
and several reports from one run. Goldens are rewritten with BGSESSION_UPDATE_GOLDEN=1."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.report import github
from tests.cli.helpers import REPO, bgsession, write_app

GOLDEN = Path(__file__).parent / "golden"
# The OASIS SARIF 2.1.0 schema, vendored so that validation runs wherever the repository is cloned.
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
EXAMPLE = "examples/PhotoBackup"
FORMATS = ("text", "json", "sarif", "github", "checkstyle", "junit")


def _normalised(output: str) -> str:
    return output.replace(REPO.as_uri(), "file:///REPO")


@pytest.mark.parametrize("output_format", FORMATS)
def test_golden(output_format: str) -> None:
    done = bgsession("lint", "--format", output_format, "--explain", EXAMPLE, cwd=REPO)
    assert done.returncode == 1, done.stderr
    golden = GOLDEN / f"example.{output_format}"
    if os.environ.get("BGSESSION_UPDATE_GOLDEN"):
        golden.write_text(_normalised(done.stdout), encoding="utf-8")
    assert _normalised(done.stdout) == golden.read_text(encoding="utf-8")


def test_sarif_validates_against_the_schema() -> None:
    log = json.loads(bgsession("lint", "--format", "sarif", EXAMPLE, cwd=REPO).stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("examples/PhotoBackup/")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert rules[result["ruleIndex"]]["help"]["markdown"]
        assert len(result["partialFingerprints"]["bgsessionFinding/v1"]) == 32


def test_sarif_fingerprints_survive_line_shifts(tmp_path: Path) -> None:
    write_app(tmp_path)
    before = json.loads(bgsession("lint", "--format", "sarif", ".", cwd=tmp_path).stdout)
    downloader = tmp_path / "Downloader.swift"
    downloader.write_text("// moved\n\n" + downloader.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(bgsession("lint", "--format", "sarif", ".", cwd=tmp_path).stdout)
    old, new = before["runs"][0]["results"][0], after["runs"][0]["results"][0]
    assert old["partialFingerprints"] == new["partialFingerprints"]
    assert new["locations"][0]["physicalLocation"]["region"]["startLine"] == (
        old["locations"][0]["physicalLocation"]["region"]["startLine"] + 2
    )


def test_github_escaping() -> None:
    diagnostic = Diagnostic(
        "BGS013", "handler-never-called", Severity.ERROR, "a,b:c%.swift", Loc(3, 4, 3, 9), "100% wrong\nreally"
    )
    line = github.format_command(diagnostic, "dir,1/a:b%.swift")
    assert line == (
        "::error file=dir%2C1/a%3Ab%25.swift,line=3,col=4,endLine=3,endColumn=9,"
        "title=BGS013 handler-never-called::100%25 wrong%0Areally"
    )


def test_text_plus_sarif_junit_and_checkstyle_in_one_run(tmp_path: Path) -> None:
    write_app(tmp_path / "App")
    done = bgsession(
        "lint", "App", "--sarif-output", "out.sarif", "--junit-output", "out.xml",
        "--checkstyle-output", "cs.xml", "--json-output", "out.json", cwd=tmp_path,
    )  # fmt: skip
    assert "App/Downloader.swift:12:9: warning: " in done.stdout
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["diagnostics"][0]["code"] == "BGS022"
    junit = ElementTree.parse(tmp_path / "out.xml").getroot()
    assert junit.tag == "testsuites" and junit.get("failures") == "1" and junit.get("errors") == "0"
    checkstyle = ElementTree.parse(tmp_path / "cs.xml").getroot()
    error = checkstyle.find("file/error")
    assert error is not None and error.get("source") == "bgsession.rules.data-task-in-background"


def test_output_file_and_statistics(tmp_path: Path) -> None:
    write_app(tmp_path)
    done = bgsession("lint", ".", "--format", "json", "--output-file", "report.json", "--statistics", cwd=tmp_path)
    assert done.stdout == ""
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["files_checked"] == 2
    assert "1  BGS022  data-task-in-background (warning)" in done.stderr
    text = bgsession("lint", ".", "--statistics", cwd=tmp_path)
    assert text.stdout.endswith("1  BGS022  data-task-in-background (warning)\n")


def _run_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """stderr is a pseudo-terminal, as in an interactive shell."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bgsession", *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal_and_never_in_ci(tmp_path: Path) -> None:
    for index in range(600):
        (tmp_path / f"File{index}.swift").write_text(f"let value{index} = {index}\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["TERM"] = "xterm"
    assert "reading files [" in _run_on_terminal(["lint", "."], tmp_path, env)
    assert "reading files [" not in _run_on_terminal(["lint", "."], tmp_path, {**env, "CI": "true"})
    piped = bgsession("lint", ".", cwd=tmp_path, env={"CI": ""})
    assert "reading files" not in piped.stderr and "\r" not in piped.stderr
