"""The GitLab Code Quality report: a golden file, GitLab's documented format as a JSON Schema, the
severity mapping, stable and unique fingerprints, and --gitlab-output beside another format."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.report import FORMATS, gitlab, render
from bgsession.report.context import ReportContext
from bgsession.sources import SourceLines
from tests.cli.helpers import REPO, bgsession, write_app

GOLDEN = Path(__file__).parent / "golden" / "example.gitlab"
# GitLab's documented report format written as a JSON Schema; its source and licence are in $comment.
SCHEMA = json.loads((Path(__file__).parent / "data" / "gitlab-codequality-schema.json").read_text(encoding="utf-8"))
EXAMPLE = "examples/PhotoBackup"


def test_gitlab_is_a_registered_format() -> None:
    assert "gitlab" in FORMATS


def test_golden_and_schema() -> None:
    done = bgsession("lint", "--format", "gitlab", EXAMPLE, cwd=REPO)
    assert done.returncode == 1, done.stderr
    if os.environ.get("BGSESSION_UPDATE_GOLDEN"):
        GOLDEN.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == GOLDEN.read_text(encoding="utf-8")
    # GitLab's parser rejects a byte-order mark.
    assert not done.stdout.startswith("\ufeff")
    issues = json.loads(done.stdout)
    jsonschema.validate(issues, SCHEMA)
    assert issues, "the example has findings"
    for entry in issues:
        assert entry["location"]["path"].startswith("examples/PhotoBackup/")
    # GitLab's merge request widget shows findings with one fingerprint as one entry.
    assert len({entry["fingerprint"] for entry in issues}) == len(issues)


def test_the_schema_rejects_what_gitlab_would() -> None:
    good = {
        "description": "d",
        "check_name": "BGS003",
        "fingerprint": "f",
        "severity": "major",
        "location": {"path": "a.swift", "lines": {"begin": 1}},
    }
    jsonschema.validate([good], SCHEMA)
    for broken in (
        {**good, "severity": "error"},
        {key: value for key, value in good.items() if key != "fingerprint"},
        {**good, "location": {"path": "a.swift"}},
        {**good, "location": {"path": "a.swift", "lines": {"begin": 0}}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([broken], SCHEMA)


@pytest.mark.parametrize(
    ("severity", "expected"), [(Severity.ERROR, "major"), (Severity.WARNING, "minor"), (Severity.NOTE, "info")]
)
def test_severity_mapping(severity: Severity, expected: str, tmp_path: Path) -> None:
    diagnostic = Diagnostic("BGS003", "missing-delegate", severity, str(tmp_path / "a.swift"), Loc(2, 3, 4, 1), "m")
    (tmp_path / "a.swift").write_text("x\nlet s = URLSession()\n", encoding="utf-8")
    context = ReportContext([diagnostic], 1, tmp_path, SourceLines())
    [entry] = json.loads(render("gitlab", context))
    assert entry["severity"] == expected
    assert entry["location"] == {"path": "a.swift", "lines": {"begin": 2, "end": 4}}
    assert entry["description"] == "m [BGS003 missing-delegate]"
    assert gitlab.SEVERITY[severity] == expected


def test_fingerprints_survive_line_shifts_and_extra_output(tmp_path: Path) -> None:
    write_app(tmp_path)
    done = bgsession("lint", ".", "--gitlab-output", "before.json", cwd=tmp_path)
    assert "warning:" in done.stdout  # the text report still goes to stdout
    before = json.loads((tmp_path / "before.json").read_text(encoding="utf-8"))
    downloader = tmp_path / "Downloader.swift"
    downloader.write_text("// moved\n\n" + downloader.read_text(encoding="utf-8"), encoding="utf-8")
    bgsession("lint", ".", "--gitlab-output", "after.json", cwd=tmp_path)
    after = json.loads((tmp_path / "after.json").read_text(encoding="utf-8"))
    jsonschema.validate(after, SCHEMA)
    assert [entry["fingerprint"] for entry in before] == [entry["fingerprint"] for entry in after]
    assert after[0]["location"]["lines"]["begin"] == before[0]["location"]["lines"]["begin"] + 2
    assert after[0]["location"]["path"] == "Downloader.swift"


def test_gitlab_ci_example_job(tmp_path: Path) -> None:
    """docs/ci/gitlab-ci.yml's lint step is the README's, and writes the artifact the job declares."""
    import re
    import subprocess
    import sys

    import yaml

    job = yaml.safe_load((REPO / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))["bgsession"]
    [step] = [line for line in job["script"] if line.startswith("bgsession lint")]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- ci: gitlab -->\n```sh\n(.+)\n```", readme)
    assert shown is not None and shown.group(1) == step
    artifact = job["artifacts"]["reports"]["codequality"]
    assert job["artifacts"]["when"] == "always"  # the report is uploaded when findings fail the job
    write_app(tmp_path)
    path = os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", "")))
    done = subprocess.run(
        step, shell=True, cwd=tmp_path, env={**os.environ, "PATH": path}, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    issues = json.loads((tmp_path / artifact).read_text(encoding="utf-8"))
    jsonschema.validate(issues, SCHEMA)
    assert [entry["check_name"] for entry in issues] == ["BGS022"]
