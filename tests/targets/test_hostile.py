"""Malformed and hostile project, workspace and plist files: one Problem naming the file, no exception,
bounded time; the Info.plist fallback still answers."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bgsession.lint.targets import Origin, Problem, build_map, xcode
from bgsession.lint.targets.xcode import max_nesting, parse_pbxproj, read_workspace

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "appext" / "App.xcodeproj" / "project.pbxproj").read_bytes()


def project_with(tmp_path: Path, content: bytes) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(DATA / "appext", root)
    (root / "App.xcodeproj" / "project.pbxproj").write_bytes(content)
    return root


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (GOOD[: len(GOOD) // 2], "malformed or truncated"),
        (b"\x00\x01bplist00\xff\xfe" * 50, "binary"),
        (b"// !$*UTF8*$!\n{ objects = " + b"{ a = " * 5000 + b"b" + b"; }" * 5000 + b"; }", "nested more than"),
        (b"// !$*UTF8*$!\n{ a = (" + b"(" * 100 + b")" * 100 + b"); }", "nested more than"),
        (b'<?xml version="1.0"?><plist/>', "not an Xcode project file"),
        (b"// !$*UTF8*$!\n{ archiveVersion = 1; }", "no `objects` table"),
        (b"", "not an Xcode project file"),
        ('// !$*UTF8*$!\n{ a = "caf\xe9'.encode("latin-1"), "not UTF-8"),
        (b"// !$*UTF8*$!\n{ a = b; /* never closed", "malformed or truncated"),
    ],
    ids=["truncated", "binary", "deep-dicts", "deep-arrays", "xml", "no-objects", "empty", "latin-1", "comment"],
)
def test_a_bad_project_file_is_one_problem_and_the_fallback_is_used(tmp_path: Path, content: bytes, words: str) -> None:
    root = project_with(tmp_path, content)
    target_map = build_map(str(root))
    (problem,) = target_map.problems
    assert problem.path == str(root / "App.xcodeproj" / "project.pbxproj")
    assert words in problem.message and "\n" not in str(problem)
    (share,) = target_map.targets_of(str(root / "ShareExtension" / "ShareViewController.swift"))
    assert share.origin is Origin.PLIST


def test_an_oversized_project_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xcode, "PBXPROJ_LIMIT", 1024)
    root = project_with(tmp_path, GOOD)
    (problem,) = build_map(str(root)).problems
    assert "larger than 1 KiB" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_project_file_does_not_block(tmp_path: Path) -> None:
    root = project_with(tmp_path, GOOD)
    pbxproj = root / "App.xcodeproj" / "project.pbxproj"
    pbxproj.unlink()
    os.mkfifo(pbxproj)
    (problem,) = build_map(str(root)).problems
    assert "not a regular file" in problem.message


def test_brackets_in_strings_and_comments_are_not_nesting() -> None:
    assert max_nesting('// !$*UTF8*$!\n{ a = "((((({{{{"; /* (((( */ b = (c, d); }') == 2


def test_the_parser_is_guarded_even_past_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    # Should the scan ever under-count, the parser's own recursion still ends in a Problem.
    monkeypatch.setattr(xcode, "max_nesting", lambda text, limit=0: 0)
    levels = sys.getrecursionlimit() * 2
    deep = b"{ a = " + b"{ a = " * levels + b"b;" + b" };" * levels + b" }"
    assert isinstance(parse_pbxproj(deep, "deep"), Problem)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(alphabet='{}()=;,"/* abc\n\\', max_size=400).map(str.encode))
def test_any_bytes_give_objects_or_a_problem(data: bytes) -> None:
    result = parse_pbxproj(data, "fuzz")
    assert isinstance(result, Problem | dict)


def test_workspaces_refuse_entities_and_bad_xml(tmp_path: Path) -> None:
    bomb = tmp_path / "Bomb.xcworkspace"
    bomb.mkdir()
    (bomb / "contents.xcworkspacedata").write_text(
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><Workspace>&a;</Workspace>'
    )
    assert read_workspace(str(bomb))[1][0].message.startswith("declares a document type")
    broken = tmp_path / "Broken.xcworkspace"
    broken.mkdir()
    (broken / "contents.xcworkspacedata").write_text("<Workspace><FileRef")
    projects, (problem,) = read_workspace(str(broken))
    assert projects == [] and "not well-formed" in problem.message
    deep = tmp_path / "Deep.xcworkspace"
    deep.mkdir()
    (deep / "contents.xcworkspacedata").write_text('<Group location="group:x">' * 5000 + "</Group>" * 5000)
    assert read_workspace(str(deep)) == ([], [])


def test_a_malformed_info_plist_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(DATA / "appext", root)
    (root / "ShareExtension" / "Info.plist").write_bytes(b"<?xml version='1.0'?><plist><dict><key>")
    target_map = build_map(str(root))
    (problem,) = target_map.problems
    assert problem.path.endswith("ShareExtension/Info.plist")
    assert "not a valid property list" in problem.message
