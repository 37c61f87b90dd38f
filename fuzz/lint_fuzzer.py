"""Coverage-guided fuzzing of extraction and every rule with atheris (libFuzzer), outside CI.

    pip install atheris
    python fuzz/lint_fuzzer.py -max_total_time=600 fuzz/corpus      # ten minutes, corpus kept
    python fuzz/lint_fuzzer.py -runs=100000                          # a fixed number of inputs

The first input byte picks the file name (and so the language: .swift, .m, .h, .mm); the rest is the
file. Each input is linted as a one-file project with --explain, and every diagnostic's position is
checked against the input, as tests/lint/test_fuzz.py does for a few hundred inputs in CI. The
fixtures seed the corpus, so mutations start from real background-session code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

with atheris.instrument_imports(include=["bgsession"]):
    from bgsession.lint.extract import extract_file
    from bgsession.lint.runner import LintRequest, lint

NAMES = ["Fuzz.swift", "Fuzz.m", "Fuzz.h", "Fuzz.mm"]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    source = data[1:]
    result = lint(LintRequest(paths=[], overrides={name: source}, explain=True))
    lines = source.count(b"\n") + source.count(b"\r") + 1
    for diagnostic in result.diagnostics:
        if not (1 <= diagnostic.loc.line <= lines and diagnostic.loc.column >= 1):
            raise AssertionError(f"position outside the input: {diagnostic}")
        if "\n" in diagnostic.message:
            raise AssertionError(f"a message spans lines: {diagnostic}")
        if "internal error" in diagnostic.message:
            raise AssertionError(f"extraction failed: {diagnostic}")
    facts = extract_file(name, source)
    if facts.read_error is not None and "internal error" in facts.read_error:
        raise AssertionError(facts.read_error)


def seed(corpus: Path) -> None:
    """Copy the fixtures into an empty corpus folder, each prefixed with the byte that names its language."""
    if corpus.exists() and any(corpus.iterdir()):
        return
    corpus.mkdir(parents=True, exist_ok=True)
    suffixes = [Path(name).suffix for name in NAMES]
    for index, path in enumerate(sorted((REPO / "tests" / "fixtures").rglob("*"))):
        if path.suffix in suffixes and path.is_file():
            (corpus / f"seed-{index:04d}").write_bytes(bytes([suffixes.index(path.suffix)]) + path.read_bytes())


def main() -> None:
    folders = [Path(arg) for arg in sys.argv[1:] if not arg.startswith("-")]
    for folder in folders[:1]:
        if not folder.is_file():  # a file is an input to replay, not a corpus
            seed(folder)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
