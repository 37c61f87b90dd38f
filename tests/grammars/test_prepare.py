"""Source preparation keeps every byte offset and turns valid code the grammars misread into parseable code."""

from __future__ import annotations

import pytest

from bgsession.grammars import SourceLanguage, parse, prepare

VALID_SWIFT = [
    "completion(.success(()))\n",
    "let r: Result<(), Error> = .success(())\n",
    "let f: () -> () = g\n",
    "foo(a, ())\n",
    "x = ()\n",
    "func f() { return () }\n",
    "subject.send(())\n",
    "let c = { () }\n",
    "let d = { () in 1 }\n",
    "continuation.resume(returning: ())\n",
    "lazy var s: Int = {\n    1\n}()\n",
    "let t = f()\nlet u = x?()\nlet v = y[0]()\n",
    "func f() {\n    nonisolated(unsafe) let x = 1\n}\n",
    '@available(iOS 17, *)\n#Preview {\n    Text("x")\n}\n',
]
VALID_OBJC = [
    "NS_ASSUME_NONNULL_BEGIN\n@interface A : NSObject\n@end\nNS_ASSUME_NONNULL_END\n",
    "typedef NS_ENUM(NSInteger, Foo) {\n  FooA,\n  FooB,\n};\n",
    "typedef NS_OPTIONS(NSUInteger, Bar) { BarA = 1 << 0 } NS_SWIFT_NAME(Baz);\n",
    "@interface A : NSObject\n- (instancetype)init NS_UNAVAILABLE;\n"
    "@property (copy) NSString *n NS_SWIFT_NAME(m);\n@end\n",
    "FOUNDATION_EXPORT NSString *const X;\nMYLIB_EXTERN NSString *const Y;\n",
    "API_AVAILABLE(ios(13.0))\n@interface A : NSObject\n@end\n",
]


@pytest.mark.parametrize("source", VALID_SWIFT)
def test_valid_swift_parses_cleanly(source: str) -> None:
    assert not parse(SourceLanguage.SWIFT, source.encode()).root_node.has_error


@pytest.mark.parametrize("source", VALID_OBJC)
def test_valid_objc_parses_cleanly(source: str) -> None:
    assert not parse(SourceLanguage.OBJC, source.encode()).root_node.has_error


@pytest.mark.parametrize(
    ("language", "source"),
    [(SourceLanguage.SWIFT, s) for s in VALID_SWIFT] + [(SourceLanguage.OBJC, s) for s in VALID_OBJC],
)
def test_offsets_and_lines_are_kept(language: SourceLanguage, source: str) -> None:
    prepared = prepare(language, source.encode())
    assert len(prepared) == len(source.encode())
    assert [i for i, b in enumerate(prepared) if b == 10] == [i for i, b in enumerate(source.encode()) if b == 10]


def test_strings_and_comments_are_untouched() -> None:
    swift = b'let s = "()" // ()\n'
    assert prepare(SourceLanguage.SWIFT, swift) == swift
    objc = b'NSString *s = @"NS_ASSUME_NONNULL_BEGIN"; // NS_ENUM(x, y)\n'
    assert prepare(SourceLanguage.OBJC, objc) == objc


@pytest.mark.parametrize("literal", ['"/*"', '" /*"', '"\\(x)/*"', '"/**/"', '"""\n/*\n"""', '"*/*"', '"image/*"'])
def test_block_comment_opener_inside_a_string_swallows_no_code(literal: str) -> None:
    source = f'let a = {literal}\nlet b = f(1)\nlet c = "*/"\nlet d = 2\n'.encode()
    root = parse(SourceLanguage.SWIFT, source).root_node
    assert not root.has_error
    assert [child.type for child in root.children] == ["property_declaration"] * 4
    assert len(prepare(SourceLanguage.SWIFT, source)) == len(source)
