"""Extraction parses Swift as written and applies the fix-ups only to a tree with an error, or first where a
misreading leaves none (`/*` inside a string, an unclosed block comment): the facts are those of the
prepared source either way."""

from __future__ import annotations

import pytest

from bgsession.grammars import SourceLanguage, parser
from bgsession.lint.extract import extract_file
from tests.grammars.test_swift_fixups import SHAPES

BACKGROUND = (
    "final class Uploads: NSObject, URLSessionDelegate {\n"
    "    static let shared = Uploads()\n"
    "    lazy var session = URLSession(configuration: .background(withIdentifier: \"com.example.up\"),\n"
    "                                  delegate: self, delegateQueue: nil)\n"
    "}\n"
)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_a_shape_the_grammar_misreads_is_extracted_without_a_parse_error(name: str) -> None:
    facts = extract_file("Shape.swift", (SHAPES[name] + BACKGROUND).encode())
    assert facts.parse_error is None
    assert [config.identifier.text for config in facts.configs] == ["com.example.up"]


def test_a_comment_opener_in_a_string_is_fixed_before_the_parse() -> None:
    # Unfixed, the grammar reads `/*` in the string as a comment running to the next `*/`, with no error
    # in the tree: the configuration between them would vanish.
    source = ('let accept = "/*"\n' + BACKGROUND + 'let closing = "*/"\n').encode()
    assert not parser(SourceLanguage.SWIFT).parse(source).root_node.has_error
    facts = extract_file("Accept.swift", source)
    assert facts.parse_error is None
    assert [config.identifier.text for config in facts.configs] == ["com.example.up"]


def test_code_that_parses_keeps_its_own_names() -> None:
    # No error, so no fix-up: a label named `final` keeps its name (the fix-up renames it `fina_`).
    source = (
        "extension String {\n    func between(initial: String, final: String) -> String { initial + final }\n}\n"
        + BACKGROUND
    ).encode()
    facts = extract_file("Between.swift", source)
    assert facts.parse_error is None
    (string,) = [fact for fact in facts.types if fact.name == "String"]
    assert string.methods == ("between(initial:final:)",)
