"""The Objective-C preprocessor pass: one branch of each conditional, React Native macros expanded,
every byte offset and line kept. Each valid case is the shape of a BGS000 seen on real code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bgsession.grammars import SourceLanguage, parse, prepare
from bgsession.grammars.objc_preprocessor import preprocess

VALID = {
    "branches sharing one body (AFNetworking)": (
        "void f(id x) {\n#if AF_CAN_USE_AT_AVAILABLE\n    if (@available(macOS 10.11, *)) {\n#else\n"
        "    if ([x respondsToSelector:@selector(y)]) {\n#endif\n        g();\n    }\n}\n"
    ),
    "__has_include fallbacks (React Native headers)": (
        "#if __has_include(<React/RCTBridgeModule.h>)\n#import <React/RCTBridgeModule.h>\n"
        '#elif __has_include("RCTBridgeModule.h")\n#import "RCTBridgeModule.h"\n#endif\n'
        "@interface A : NSObject\n@end\n"
    ),
    "two @interface lines sharing one body": (
        "#ifdef RCT_NEW_ARCH_ENABLED\n@interface A : NSObject <Spec>\n#else\n"
        "@interface A : NSObject <RCTBridgeModule>\n"
        "#endif\n- (void)run;\n@end\n"
    ),
    "#elif inside a message's arguments (vlc-ios)": (
        "void f(id x) {\n    [x runWith:1\n#if TARGET_OS_IOS\n          mode:2];\n#elif TARGET_OS_TV\n"
        "          mode:3];\n#else\n          mode:4];\n#endif\n}\n"
    ),
    "variadic macros under #if 0 (gtm-session-fetcher)": (
        "#if 0\n#define LOG_BG(...) LOG_DEBUG(__VA_ARGS__)\n#else\n#define LOG_BG(...)\n#endif\n"
        "#define LOG_FMT(format, ...) NSLog(format, __VA_ARGS__)\nint x;\n"
    ),
    "#pragma inside an ivar block": (
        '@implementation A {\n#pragma clang diagnostic push\n#pragma clang diagnostic ignored "-Wdeprecated"\n'
        "    id _b;\n#pragma clang diagnostic pop\n}\n@end\n"
    ),
    "React Native module macros": (
        "@implementation RNDownloader\nRCT_EXPORT_MODULE();\n\n"
        "RCT_EXPORT_METHOD(download:(NSDictionary *)options resolve:(RCTPromiseResolveBlock)resolve) {\n"
        "    [self start:options];\n}\n"
        "RCT_REMAP_METHOD(checkForExisting, checkForExistingDownloads:(RCTPromiseResolveBlock)resolve) {\n}\n"
        "RCT_EXPORT_BLOCKING_SYNCHRONOUS_METHOD(isReady) {\n    return @YES;\n}\n@end\n"
    ),
    "a Swift module's React Native interface": (
        "#import <React/RCTBridgeModule.h>\n@interface RCT_EXTERN_MODULE(AuthModule, NSObject)\n"
        "RCT_EXTERN_METHOD(openAuth:(NSString *)url\n"
        "                  resolver:(RCTPromiseResolveBlock)resolve)\n@end\n"
    ),
    "an empty last XCT macro argument": "void t(void) {\n    XCTAssertEqual(a, b, );\n}\n",
    "NSLocalizedString's dropped comment argument": (
        'void t(void) {\n    id s = NSLocalizedString(@"x", comment: "");\n}\n'
    ),
    "Objective-C++ reference parameters": (
        "@implementation A\n- (void)download:(JS::NativeDownloader::SpecOptions &)options {\n"
        "    NSString *identifier = options.id_();\n}\n"
        "- (id)module:\n    (const facebook::react::InitParams &)params {\n    return nil;\n}\n@end\n"
    ),
    "an annotation macro before a method body": (
        "@implementation A\n- (void)run:(id)x\n    GTM_SWIFT_DISABLE_ASYNC {\n    go(x);\n}\n@end\n"
    ),
    "a statement macro alone on its line (owncloud ios-sdk)": (
        "void f(id db) {\n    [db run:^NSError *(id t) {\n        INSTALL_ERROR_COLLECTION_HANDLER\n\n"
        "        [t execute:resultHandler];\n        return (transactionError);\n    }];\n}\n"
    ),
    "a C++ class in an Objective-C++ file (fluxtream BTPhoneTracker.mm)": (
        "class Rate {\nprivate:\n    double last;\npublic:\n    Rate() {\n        last = 0.0;\n    }\n};\n\n"
        "@implementation Tracker\n- (void)run {\n    [self go];\n}\n@end\n"
    ),
    "a `;` after a C function's brace inside @implementation (owncloud ios-sdk OCSQLiteDB.m)": (
        "@implementation DB\n#pragma mark - Open\nstatic void collation(void *db, const char *name) {\n"
        "    if (name != NULL) {\n        LogError((@[@\"SQL\", @\"}\"]), @\"unknown %s\", name);\n    }\n};\n\n"
        "- (void)open {\n    [self run];\n}\n@end\n"
    ),
    "a `;` on its own line after a C function inside @implementation": (
        "@implementation A\nstatic int f(void (^done)(void)) {\n    return 1;\n}\n;\n- (void)g {\n}\n@end\n"
    ),
    "a logging macro's call closing a block without `;` (owncloud ios-sdk)": (
        "void f(id error) {\n    if (error != nil)\n    {\n        OCLogError(@\"failed: %@\", error)\n    }\n}\n"
    ),
}


@pytest.mark.parametrize("source", VALID.values(), ids=VALID.keys())
def test_valid_objective_c_parses_without_error(source: str) -> None:
    tree = parse(SourceLanguage.OBJC, source.encode())
    assert not tree.root_node.has_error, prepare(SourceLanguage.OBJC, source.encode()).decode()


@pytest.mark.parametrize("source", VALID.values(), ids=VALID.keys())
def test_offsets_and_line_breaks_are_kept(source: str) -> None:
    data = source.encode()
    prepared = preprocess(data)
    assert len(prepared) == len(data)
    assert [i for i, b in enumerate(prepared) if b == 10] == [i for i, b in enumerate(data) if b == 10]


@given(st.text(alphabet='#ifdelsn0 \n\t/*"(){}:&RCT_EXPORTMHD', max_size=200))
def test_any_text_keeps_its_length_and_lines(text: str) -> None:
    data = text.encode()
    prepared = preprocess(data)
    assert len(prepared) == len(data)
    assert [i for i, b in enumerate(prepared) if b == 10] == [i for i, b in enumerate(data) if b == 10]


def _kept(source: str) -> str:
    return " ".join(preprocess(source.encode()).decode().split())


def test_the_first_branch_is_kept() -> None:
    assert _kept("#if A\nint a;\n#elif B\nint b;\n#else\nint c;\n#endif\n") == "int a;"


def test_a_branch_known_false_on_ios_is_skipped() -> None:
    assert _kept("#if 0\nint a;\n#else\nint c;\n#endif\n") == "int c;"
    assert _kept("#if TARGET_OS_OSX // macOS only\nint a;\n#elif B\nint b;\n#endif\n") == "int b;"
    assert _kept("#if !TARGET_OS_IPHONE\nint a;\n#endif\nint d;\n") == "int d;"


def test_nested_groups_in_a_dropped_branch_are_dropped() -> None:
    source = "#if 0\n#if A\nint a;\n#else\nint b;\n#endif\n#else\nint c;\n#endif\n"
    assert _kept(source) == "int c;"


def test_directives_in_comments_and_strings_are_text() -> None:
    source = '/*\n#if 0\n*/\nint a;\nchar *s = "#else";\n'
    assert preprocess(source.encode()) == source.encode()


def test_macro_expansions_in_dropped_branches_are_dropped() -> None:
    source = "#ifdef NEW_ARCH\n- (void)run {\n}\n#else\nRCT_EXPORT_METHOD(run) {\n}\n#endif\n"
    assert _kept(source) == "- (void)run { }"


def test_enum_and_class_names_in_capitals_are_kept() -> None:
    source = "enum MY_STATE {\n    MY_STATE_A\n};\n@interface MY_VIEW {\n}\n@end\n"
    assert preprocess(source.encode()) == source.encode()


REQUIRED_SEMICOLONS = {
    "an array initializer": "@implementation A\nstatic int table[] = {\n    1,\n};\n@end\n",
    "a block literal": "@implementation A\nstatic void (^done)(void) = ^(void) {\n    go();\n};\n@end\n",
    "a struct": "@implementation A\nstruct Pair {\n    int a;\n};\n@end\n",
    "a function at file scope (parses as it is)": "static void f(void) {\n};\n@implementation A\n@end\n",
    "a function inside a comment": "@implementation A\n/*\nstatic void f(void) {\n};\n*/\n@end\n",
}


@pytest.mark.parametrize("source", REQUIRED_SEMICOLONS.values(), ids=REQUIRED_SEMICOLONS.keys())
def test_semicolons_after_other_braces_are_kept(source: str) -> None:
    assert preprocess(source.encode()).count(b";") == source.count(";")
    assert not parse(SourceLanguage.OBJC, source.encode()).root_node.has_error


def test_a_long_head_is_not_matched() -> None:
    # The head pattern backtracks on long runs of words; past its limit the `;` stays (and parsing
    # reports what it reports) instead of the scan taking quadratic time.
    source = "@implementation A\nstatic void " + "w " * 5_000 + "f(void) {\n};\n@end\n"
    assert preprocess(source.encode()).count(b";") == 1
