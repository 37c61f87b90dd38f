"""Item 16: file names and messages are escaped for every format.

redteam/16: a file named `a\\n::warning ...\\nb.swift` printed a GitHub workflow command in the text
format; ESC and bidi characters reached the terminal; a control character made the JUnit and
Checkstyle XML invalid; SARIF URIs were not percent-encoded (`a#b c%41?.swift` read as path `a`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit
from xml.etree import ElementTree

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from bgsession.commands.lint import render
from bgsession.commands.rules import report_rules
from bgsession.diagnostics import Diagnostic, Loc, Severity, unescape_path
from bgsession.report.context import ReportContext
from bgsession.sources import SourceLines

from .helpers import bad_swift, run

SCHEMA = Path(__file__).resolve().parent.parent / "cli" / "data" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "sarif", "github", "checkstyle", "junit")
_LINE = re.compile(r"^(?P<path>.*):(?P<line>\d+):(?P<column>\d+): (?:error|warning|note): ")

# Names made of what hurts: controls, bidi overrides, undecodable bytes (lone surrogates), URI and
# report metacharacters, and ordinary letters.
HOSTILE = st.lists(
    st.sampled_from(
        ["a", "Z", "ü", "数", " ", "\\", "%", "#", "?", ":", ",", "&", "<", ">", '"', "'", "[", "]", "\n", "\r",
         "\t", "\x1b", "\x01", "\x7f", "\u202e", "\u2066", "\u200b", "\udcff", "\udc80", "::warning "]
    ),
    min_size=1,
    max_size=12,
).map("".join)  # fmt: skip


def _context(paths: list[str]) -> ReportContext:
    diagnostics = [
        Diagnostic("BGS003", "missing-delegate", Severity.ERROR, path, Loc(3, 5, 3, 9), f"message about {path}")
        for path in paths
    ]
    return ReportContext(
        sorted(diagnostics, key=lambda d: d.sort_key), len(paths), Path.cwd(), SourceLines(), rules=report_rules()
    )


def _github_unescape(value: str) -> str:
    return value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def check_every_format(paths: list[str]) -> None:
    context = _context(paths)
    expected = sorted(paths)
    for output_format in FORMATS:
        report = render(output_format, context)
        report.encode("utf-8")  # valid UTF-8 whatever the names: no lone surrogate is written
        if output_format == "text":
            lines = report.splitlines()
            assert len(lines) == len(paths)
            assert not any(line.startswith("::") for line in lines)
            assert all(char.isprintable() for char in report.replace("\n", ""))
            found = [unescape_path(_LINE.match(line).group("path")) for line in lines]  # type: ignore[union-attr]
        elif output_format == "github":
            lines = report.splitlines()
            assert len(lines) == len(paths) and all(line.startswith("::error file=") for line in lines)
            files = [line.split("file=", 1)[1].split(",line=", 1)[0] for line in lines]
            found = [unescape_path(_github_unescape(value)) for value in files]
        elif output_format == "json":
            found = [d["path"] for d in json.loads(report)["diagnostics"]]
        elif output_format == "sarif":
            results = json.loads(report)["runs"][0]["results"]
            uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
            found = []
            for uri in uris:
                parts = urlsplit(uri)
                assert not parts.fragment and not parts.query, uri
                assert parts.scheme in ("", "file") and (parts.scheme or parts.path == uri), uri
                found.append(os.fsdecode(unquote_to_bytes(parts.path)))
            assert sorted(found) == sorted(context.relative(path) for path in paths)
            continue
        else:
            root = ElementTree.fromstring(report)  # well-formed XML 1.0
            if output_format == "junit":
                names = [case.get("name") or "" for case in root.iter("testcase")]
            else:
                names = [node.get("name") or "" for node in root.iter("file")]
            found = [unescape_path(name) for name in names]
        assert sorted(found) == expected, output_format


@settings(max_examples=60, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=3, unique=True))
def test_hostile_names_parse_back_in_every_format(names: list[str]) -> None:
    check_every_format([f"dir {index}/{name}.swift" for index, name in enumerate(names)])


def test_absolute_paths_outside_the_root_are_file_uris() -> None:
    check_every_format(["/elsewhere/a#b c%41?.swift"])
    report = json.loads(render("sarif", _context(["/elsewhere/a#b.swift"])))
    uri = report["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "file:///elsewhere/a%23b.swift"


def test_sarif_with_hostile_names_validates() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    report = json.loads(render("sarif", _context(["a#b c%41?.swift", "ctl\x01\u202e.swift", "inv\udcff.swift"])))
    jsonschema.validate(report, schema)


def test_the_red_teams_file_names_end_to_end(tmp_path: Path) -> None:
    bad_swift(tmp_path / "r" / "a\n::warning file=README.md,line=1::Injected annotation from a file name\nb.swift")
    bad_swift(tmp_path / "r" / "ctl\x1b[31mred\u202eftfiws.swift")
    bad_swift(tmp_path / "r" / "ctl\x01name.swift")
    bad_swift(tmp_path / "r" / "a#b c%41?.swift")
    done = run("lint", "--no-cache", tmp_path / "r")
    lines = done.stdout.splitlines()
    assert len(lines) == done.stdout.count("[BGS")
    assert not any(line.startswith("::") for line in lines)
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    for output_format in ("junit", "checkstyle"):
        out = tmp_path / f"x.{output_format}.xml"
        run("lint", "--no-cache", "--format", output_format, "-o", out, tmp_path / "r")
        ElementTree.parse(out)
    sarif = json.loads(run("lint", "--no-cache", "--format", "sarif", ".", cwd=tmp_path / "r").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "a%23b%20c%2541%3F.swift" in uris
