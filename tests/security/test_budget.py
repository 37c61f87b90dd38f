"""Items 6, 7, 10 and 12: a budget per file, and linear scans.

redteam/06: 8,000 unbalanced `NS_SWIFT_NAME(` (120 KB): over 60 s in the macro blanker.
redteam/07: `a + a + ...` 70,000 terms: 32-35 s; 20,000 nested Objective-C sends: 25-31 s (the query).
redteam/10: quadratic regular expressions: 4,000 `lock`s, 8,000 blanks in an `if`, 8,000 `/*`, key_line.
redteam/12: a 20 MB file took 89 s and 3.4 GB; 40 links to one 67 MB file 2.6 GB; -j 64 forked 64 workers.

Inputs are scaled down; each test compares two sizes (linear means the ratio follows the size, with a
generous allowance for noise) or asserts the budget's note, so each finishes in seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bgsession.grammars import SourceLanguage, prepare
from bgsession.grammars.objc_macros import blank_macros
from bgsession.lint import runner
from bgsession.lint.budget import Budget
from bgsession.lint.extract import extract_file
from bgsession.lint.extract.base import handler_use
from bgsession.lint.ir import context
from bgsession.lint.runner import LintRequest, lint
from bgsession.sources import read_file
from bgsession.tomlfile import key_line, suggest

from .helpers import FINDING, bad_swift, run


def _seconds(function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(make: Callable[[int], Callable[[], object]], small: int, factor: int = 4) -> None:
    """Four times the input may cost at most about four times the time (quadratic would be sixteen)."""
    small_time = max(_seconds(make(small)), 0.002)
    large_time = _seconds(make(small * factor))
    assert large_time < small_time * factor * 2.5 + 0.05, (small_time, large_time)


def test_macro_blanker_is_linear_on_unbalanced_parentheses() -> None:
    def make(n: int) -> Callable[[], object]:
        source = b"// urlSession\n" + b"NS_SWIFT_NAME(\n" * n
        return lambda: blank_macros(source)

    assert_linear(make, 2000)
    assert _seconds(make(8000)) < 1.0
    # Balanced macros are still blanked, offsets kept.
    source = b"- (void)run NS_SWIFT_NAME(run());\n"
    assert blank_macros(source) == b"- (void)run " + b" " * len(b"NS_SWIFT_NAME(run())") + b";\n"


def test_unterminated_comments_are_linear_in_both_grammars() -> None:
    for language in (SourceLanguage.SWIFT, SourceLanguage.OBJC):

        def make(n: int, language: SourceLanguage = language) -> Callable[[], object]:
            source = b"// urlSession\n" + b"/*\n" * n
            return lambda: extract_file("x.swift" if language is SourceLanguage.SWIFT else "x.m", source)

        assert_linear(make, 1000)
        assert _seconds(make(8000)) < 2.0
    # Swift comments nest: `/* /* */` never closes, and the rest is blanked with offsets kept.
    nested = b"/* /* */ let x = 1\n"
    assert prepare(SourceLanguage.SWIFT, nested) == b" " * (len(nested) - 1) + b"\n"


def test_a_long_operator_chain_stays_fast(tmp_path: Path) -> None:
    # Depth without brackets: the query never starts a match deeper than grammars.QUERY_DEPTH.
    source = ("// urlSession\nlet z = " + " + ".join(["a"] * 70_000) + "\n").encode()
    assert _seconds(lambda: extract_file("x.swift", source)) < 5.0


def test_deep_brackets_are_one_note_naming_the_limit(tmp_path: Path) -> None:
    n = 20_000
    (tmp_path / "x.m").write_text("// urlSession\nvoid f(void) { id z = " + "[" * n + "x" + " a]" * n + "; }\n")
    bad_swift(tmp_path / "Uploader.swift")
    start = time.perf_counter()
    done = run("lint", "--no-cache", tmp_path)
    assert time.perf_counter() - start < 20
    assert f"{tmp_path / 'x.m'}:1:1: note: not linted: brackets nested deeper than 1,000 levels" in done.stdout
    assert FINDING in done.stdout and done.returncode == 1


def test_the_parse_deadline_cancels_a_slow_parse() -> None:
    # tree-sitter's progress callback (only the read-callback form of parse takes one) ends the parse.
    source = ("// urlSession\n" + "let a = foo(1, [2, 3]) { x in x }\n" * 3_000).encode()
    facts = extract_file("x.swift", source, budget=Budget(seconds=0.0001, seconds_per_megabyte=0.0))
    assert facts.skipped == "not linted: parsing took longer than the 0.0001-second limit"
    assert extract_file("x.swift", source).skipped is None


def test_quadratic_expressions_are_linear() -> None:
    def identifier(n: int) -> Callable[[], object]:
        source = b"let handler = 1\nlet x = " + b"lock" * n + b"\nprint(handler, x)\n"
        return lambda: handler_use(source, 0, len(source))

    def blanks(n: int) -> Callable[[], object]:
        return lambda: context.tests_state("self" + " " * n + "+ x")

    def blank_lines(n: int) -> Callable[[], object]:
        return lambda: key_line("[lint]\n" + "\n" * n + "#\nexlude = []\n", "exlude")

    assert_linear(identifier, 2000)
    assert_linear(blanks, 4000)
    assert_linear(blank_lines, 20_000)
    assert suggest("x" * 80_000, ["exclude"]) == "" and suggest("exlude", ["exclude"]) == "; did you mean 'exclude'?"


def test_unknown_key_after_many_blank_lines_is_reported_at_once(tmp_path: Path) -> None:
    bad_swift(tmp_path / "x.swift")
    (tmp_path / ".bgsession.toml").write_text("[lint]\n" + "\n" * 80_000 + "#\nexlude = []\n", encoding="utf-8")
    start = time.perf_counter()
    done = run("lint", "--no-cache", tmp_path)
    assert time.perf_counter() - start < 10
    assert done.returncode == 2
    assert ":80003: error: unknown key 'exlude' in [lint]; did you mean 'exclude'?" in done.stderr


def test_a_file_over_the_size_cap_is_one_note(tmp_path: Path) -> None:
    big = "// urlSession\n" + "let a = 1\n" * 400_000  # 4 MB on stdin, as an editor sends it: over 3 MB
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", "lint", "--no-cache", "--stdin", "--stdin-filename", "x.swift"],
        input=big, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert time.perf_counter() - start < 10
    assert done.stdout.startswith("x.swift:1:1: note: not linted: larger than the 3,000,000-byte limit"), done.stdout
    assert done.returncode == 0


def test_the_size_cap_is_configurable(tmp_path: Path) -> None:
    bad_swift(tmp_path / "Uploader.swift")
    assert run("lint", "--no-cache", "--max-file-bytes", "100", tmp_path).stdout.count("not linted") == 1
    (tmp_path / ".bgsession.toml").write_text("[lint]\nmax-file-bytes = 100\n", encoding="utf-8")
    done = run("lint", "--no-cache", tmp_path)
    assert "larger than the 100-byte limit" in done.stdout and FINDING not in done.stdout
    assert FINDING in run("lint", "--no-cache", "--max-file-bytes", "100000", tmp_path).stdout
    (tmp_path / ".bgsession.toml").write_text("[lint]\nmax-file-bytes = 0\n", encoding="utf-8")
    assert run("lint", "--no-cache", tmp_path).returncode == 2


def test_links_to_one_huge_file_are_read_once_and_only_up_to_the_cap(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    huge = tmp_path / "outside" / "big.txt"
    with huge.open("wb") as stream:
        stream.truncate(60_000_000)  # sparse: costs no disk
    repo = tmp_path / "repo"
    bad_swift(repo / "Uploader.swift")
    for index in range(40):
        (repo / f"h{index}.h").symlink_to(huge)
    start = time.perf_counter()
    result = lint(LintRequest(paths=[str(repo)]))
    assert time.perf_counter() - start < 10
    assert result.files_checked == 2  # one of the forty links, and Uploader.swift
    notes = [d for d in result.diagnostics if d.code == "BGS000"]
    assert len(notes) == 1 and "3,000,000-byte limit" in notes[0].message
    assert len(read_file(str(repo / "h0.h"), 3_000_000)) == 3_000_001


def test_workers_never_exceed_the_files_or_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def record(work: list[object], jobs: int, *_: object) -> list[object]:
        seen.append(jobs)
        return [extract_file(path, data, options, budget) for path, data, options, budget in work]  # type: ignore[misc]

    from bgsession.lint import workers

    monkeypatch.setattr(workers, "extract_in_workers", record)
    monkeypatch.setattr(runner, "usable_cpus", lambda: 2)
    work = [(f"f{i}.swift", b"let x = 1\n", runner.LintOptions(), Budget()) for i in range(48)]
    runner._extract_all(work, 64)  # type: ignore[arg-type]
    assert seen == [2]
    assert runner.usable_cpus() <= (os.cpu_count() or 1)


def test_suppression_comments_are_linear(tmp_path: Path) -> None:
    # Item 9: every comment's line was counted from the start of the file, a run of disable-next-line
    # walked forward line by line, and every `enable` scanned all open `disable`s.
    from bgsession.lint import suppress
    from bgsession.lint.extract.suppressions import parse

    def next_lines(n: int) -> Callable[[], object]:
        source = b"// urlSession\n" + b"// bgsession:disable-next-line BGS001\n" * n
        return lambda: suppress.apply("x.swift", [], parse(source), frozenset({"BGS001"}))

    def unmatched(n: int) -> Callable[[], object]:
        source = b"// urlSession\n" + b"// bgsession:disable BGS001\n" * n + b"// bgsession:enable BGS002\n" * n
        return lambda: suppress.apply("x.swift", [], parse(source), frozenset({"BGS001"}))

    for make in (next_lines, unmatched):
        assert_linear(make, 1000)
        assert _seconds(make(8000)) < 1.0
