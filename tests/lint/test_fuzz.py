"""Fuzzing extraction and every rule: random bytes, and the fixtures broken the ways real edits break code.

Whatever the input, linting returns diagnostics (never an exception) whose positions lie inside the file.
The mutations follow what an editor hands the linter mid-keystroke: a file cut short, braces deleted,
lines doubled, code wrapped in deep nesting, stray bytes. `benchmarks/fuzz_atheris.py` runs the same
check for longer, coverage-guided, outside CI.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bgsession.lint.extract import extract_file
from bgsession.lint.runner import LintRequest, lint

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SOURCES = sorted(
    path for path in FIXTURES.rglob("*") if path.suffix in (".swift", ".m", ".h", ".mm") and path.is_file()
)
NAMES = ["Fuzz.swift", "Fuzz.m", "Fuzz.h", "Fuzz.mm"]
# BGSESSION_FUZZ_EXAMPLES=20000 runs a long session locally; CI runs the default.
EXAMPLES = int(os.environ.get("BGSESSION_FUZZ_EXAMPLES", "250"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def check(name: str, data: bytes, *, explain: bool = False) -> None:
    """Lint one buffer as a whole project and check every diagnostic's position against the buffer."""
    result = lint(LintRequest(paths=[], overrides={name: data}, explain=explain))
    line_count = data.count(b"\n") + data.count(b"\r") + 1
    for diagnostic in result.diagnostics:
        assert diagnostic.path == name
        assert 1 <= diagnostic.loc.line <= line_count, diagnostic
        assert diagnostic.loc.column >= 1, diagnostic
        assert diagnostic.message and "\n" not in diagnostic.message
        assert "internal error" not in diagnostic.message, diagnostic.message
    facts = extract_file(name, data)
    assert facts.path == name
    assert "internal error" not in (facts.read_error or "")


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2048))
def test_random_bytes(name: str, data: bytes) -> None:
    check(name, data)


_TOKENS = st.sampled_from(
    [b"{", b"}", b"(", b")", b"[", b"]", b"\"", b"'", b"@", b"^", b"/*", b"*/", b"//", b"\\", b"#", b"\n", b"\r",
     b"\x00", b"\xff", b"\xc3", b"URLSession", b"background(withIdentifier:", b"completionHandler", b"self",
     b"func ", b"class ", b"@interface ", b"@end", b"- (void)", b"DispatchQueue.main.async", b"`", b"$0"]
)  # fmt: skip


@FUZZ
@given(name=st.sampled_from(NAMES), tokens=st.lists(_TOKENS, max_size=200))
def test_random_token_soup(name: str, tokens: list[bytes]) -> None:
    check(name, b" ".join(tokens))


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(SOURCES))
    data = path.read_bytes()
    lines = data.split(b"\n")
    mutation = draw(st.sampled_from(["truncate", "delete_braces", "double_lines", "nest", "splice", "swap_lines"]))
    if mutation == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "delete_braces":
        positions = [i for i, byte in enumerate(data) if byte in b"{}()[]"]
        doomed = set(draw(st.lists(st.sampled_from(positions), max_size=8))) if positions else set()
        data = bytes(byte for i, byte in enumerate(data) if i not in doomed)
    elif mutation == "double_lines":
        chosen = set(draw(st.lists(st.integers(0, len(lines) - 1), min_size=1, max_size=10)))
        data = b"\n".join(line for i, line in enumerate(lines) for _ in range(2 if i in chosen else 1))
    elif mutation == "nest":
        depth = draw(st.integers(1, 3000))
        opener, closer = (b"if true {\n", b"}\n") if path.suffix == ".swift" else (b"{\n", b"}\n")
        data = opener * depth + data + closer * draw(st.integers(0, depth))
    elif mutation == "splice":
        where = draw(st.integers(0, len(data)))
        data = data[:where] + draw(st.binary(min_size=1, max_size=16)) + data[where:]
    else:
        first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[first], lines[second] = lines[second], lines[first]
        data = b"\n".join(lines)
    return "Fuzz" + path.suffix, data


@FUZZ
@given(case=mutated_fixture(), explain=st.booleans())
def test_mutated_fixtures(case: tuple[str, bytes], explain: bool) -> None:
    name, data = case
    check(name, data, explain=explain)


@settings(max_examples=max(60, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=mutated_fixture(), second=mutated_fixture())
def test_mutated_projects_of_two_files(first: tuple[str, bytes], second: tuple[str, bytes]) -> None:
    """Cross-file rules join facts of both: broken facts in one file must not break the other's checks."""
    overrides = {"A/" + first[0]: first[1], "B/" + second[0]: second[1]}
    result = lint(LintRequest(paths=[], overrides=overrides, explain=True))
    assert all(diagnostic.path in overrides for diagnostic in result.diagnostics)


def test_a_line_break_inside_quoted_code_stays_escaped() -> None:
    """Found by the atheris fuzzer: an unterminated string put a raw line break into a message and a trace."""
    source = (
        b'let first = URLSession(configuration: .background(withIdentifier: "com.e\nxample"), delegate: d,'
        b" delegateQueue: nil)\n"
        b'let second = URLSession(configuration: .background(withIdentifier: "com.e\nxample"), delegate: d,'
        b" delegateQueue: nil)\n"
    )
    result = lint(LintRequest(paths=[], overrides={"Fuzz.swift": source}, explain=True))
    quoted = [d for d in result.diagnostics if "com.e" in d.message]
    assert quoted, result.diagnostics
    for diagnostic in quoted:
        assert "\n" not in diagnostic.message and "com.e\\nxample" in diagnostic.message
        assert all("\n" not in step for step in diagnostic.trace)


def test_invalid_utf8_inside_an_identifier() -> None:
    """Found by hypothesis: tree-sitter's query predicates decode node text strictly, so a bad byte inside
    a name raised UnicodeDecodeError. Bad bytes are now read as `?`, keeping every offset."""
    swift = b"let `a\xffb` = URLSession(configuration: .background(withIdentifier: \"com.e\xffx\"))\n"
    objc = b"void f(void) { NSURLSession *a\xff = [NSURLSession sessionWithConfiguration:nil]; }\n"
    for name, data in (("Fuzz.swift", swift), ("Fuzz.m", objc), ("Tick.swift", b"` \xff `")):
        check(name, data)
        facts = extract_file(name, data)
        assert facts.read_error is not None and "is not valid UTF-8" in facts.read_error
    sessions = extract_file("Fuzz.swift", swift).sessions
    assert len(sessions) == 1 and sessions[0].loc.column == 13  # the bad byte counts as one column
