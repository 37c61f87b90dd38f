"""Valid Swift that tree-sitter-swift 0.7.4 misreads (each a BGS000 on real code) parses once prepared.

Each input fails without the fix-ups (an ERROR or MISSING node), parses cleanly with them, and keeps its
length and line breaks. The fix-ups leave every tree that already parsed unchanged. grammars/README.md
describes each grammar bug.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bgsession.grammars import SourceLanguage, parse, parser, prepare

SHAPES = {
    "await_optional_chain_in_condition": "func f() async {\n    if let t = await a?.b {\n        g()\n    }\n"
    "    await a?.b.unlock()\n}\n",
    "if_let_await": "func f() async {\n    if let x = await g {\n        print(x)\n    }\n}\n",
    "if_let_try_await": "func f() async throws {\n    if let x = try await g {\n        print(x)\n    }\n}\n",
    "if_await_parenthesised_call": "func f() async {\n    if await(a.b(c: d)) == false {\n        g()\n    }\n}\n",
    "while_and_switch_await": "func f() async {\n    while await a.b {\n    }\n    switch await a {\n"
    "    default: break\n    }\n}\n",
    "if_case_literal_pattern": "func f() {\n    if case 200 ..< 300 = response.statusCode {\n    }\n"
    "    guard case -1 = x else { return }\n}\n",
    "variable_named_final": "func f() {\n    var final = [Int]()\n    final.append(1)\n    final = []\n"
    "    final[0] = 2\n}\n",
    "main_inside_if": "#if os(iOS)\n@main\n#endif\nstruct A: App {\n    var body: some Scene { x }\n}\n",
    "attributes_in_if_else": "#if os(iOS)\n@main\n#else\n@available(*, unavailable)\n#endif\nstruct A {\n}\n",
    "underscore_closure_parameters": "f(resultHandler: { (error, _ core, _ item, _) in\n    print(error)\n})\n",
    "underscore_closure_parameters_returning": "let p: P = { (_ raw, _ context, _ error) -> Any? in\n    nil\n}\n",
    "underscore_closure_parameters_after_capture": "let c = { [weak self] (_ core, _ item) in\n}\n",
    "self_closure_parameter": "registerForTraitChanges([X.self]) { (self: Foo, _) in\n    self.go()\n}\n",
    "spaced_semicolon": "var v: Int {\n    lock.lock() ; defer { lock.unlock() }\n    return 1\n}\n"
    "func g() {\n    guard x else { y = false ; return }\n}\n",
    "if_inside_argument_list": (
        "f(a,\n#if os(iOS)\n  b: 1,\n#elseif os(macOS)\n  b: 2,\n#else\n  b: 3,\n#endif\n  c: 2)\n"
    ),
    "if_inside_array_literal": "let a = [\n    1,\n#if DEBUG\n    2,\n#endif\n    3,\n]\n",
    "available_before_preview": '@available(iOS 17, *)\n#Preview {\n    Text("x")\n}\n',
    "void_value_in_case_and_init_argument": "switch x {\ncase .a: ()\ndefault: ()\n}\n"
    "let r = .init(type: 1, data: ())\n",
    "local_nonisolated_unsafe": "func f() {\n    nonisolated(unsafe) var x = 1\n}\n",
}

# Valid Swift the grammar reads right but the first `()` fix-up (a value `()` -> `0 `) broke.
TYPE_TUPLES = [
    "class A {\n    lazy var x: () = {\n        f()\n    }()\n}\n",
    "var h: (()) -> Void = { _ in }\nvar g: (() -> (()))? = nil\n",
    "func f(a: ()) {}\ntypealias Result = ()\n",
    "let r: Result<(), Error> = x\n",
    "validators.forEach { $0() }\nawait Task.yield()\n",
]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_fails_without_fix_ups(name: str) -> None:
    assert parser(SourceLanguage.SWIFT).parse(SHAPES[name].encode()).root_node.has_error


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_parses_once_prepared(name: str) -> None:
    source = SHAPES[name].encode()
    assert not parse(SourceLanguage.SWIFT, source).root_node.has_error
    prepared = prepare(SourceLanguage.SWIFT, source)
    assert len(prepared) == len(source)
    assert [i for i, b in enumerate(prepared) if b in b"\r\n"] == [i for i, b in enumerate(source) if b in b"\r\n"]


def test_awaited_condition_keeps_await_and_its_operand() -> None:
    source = b"func f() async {\n    if let x = await g {\n    }\n}\n"
    assert prepare(SourceLanguage.SWIFT, source) == b"func f() async {\n    if let x =(await g){\n    }\n}\n"


def test_final_is_renamed_consistently_and_the_modifier_kept() -> None:
    source = b"final class A {\n    final var x = 1\n}\nlet final = 1\nprint(final)\n"
    assert prepare(SourceLanguage.SWIFT, source) == source.replace(b"let final", b"let fina_").replace(
        b"(final)", b"(fina_)"
    )


@pytest.mark.parametrize("source", TYPE_TUPLES)
def test_empty_tuple_types_and_calls_are_left_alone(source: str) -> None:
    assert not parser(SourceLanguage.SWIFT).parse(source.encode()).root_node.has_error
    assert prepare(SourceLanguage.SWIFT, source.encode()) == source.encode()


@pytest.mark.parametrize(
    "source",
    [
        "if let x = await g() {\n}\n",  # a call: already parses, left alone
        "guard let u = await a else {\n}\n",
        "let c = { (_ a: Int) in a }\n",
        "f(a: 1)\n#if DEBUG\ng()\n#endif\n",
        "func f() {\n    a(); b()\n}\n",
        "class A {\n    nonisolated(unsafe) static var x = 1\n}\n",
    ],
)
def test_code_that_parses_is_not_rewritten(source: str) -> None:
    assert prepare(SourceLanguage.SWIFT, source.encode()) == source.encode()


def test_fixture_trees_are_unchanged_where_they_parsed() -> None:
    files = sorted(FIXTURES.rglob("*.swift"))
    assert files
    for path in files:
        source = path.read_bytes()
        raw = parser(SourceLanguage.SWIFT).parse(source).root_node
        if raw.has_error:
            continue
        assert str(parse(SourceLanguage.SWIFT, source).root_node) == str(raw), path


@pytest.mark.parametrize(
    "source",
    [
        b"f(" + b"(), " * 50_000 + b")\n",
        b'let s = "\\"' * 20_000,
        b"/* a " * 40_000,
        b"if let x = await a {\n}\n" * 2_000,
        b"#if X\n" * 30_000,
        b"(" * 100_000 + b")" * 100_000,
        b"a() ; " * 30_000,
        b'"""' + b"\\" * 50_000,
    ],
)
def test_fix_ups_are_linear_on_hostile_input(source: bytes) -> None:
    from bgsession.grammars.swift_fixups import fix_up

    started = time.perf_counter()
    fixed = fix_up(source)
    assert len(fixed) == len(source)
    assert time.perf_counter() - started < 2.0
