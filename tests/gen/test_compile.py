"""Every generated variant compiles: Swift 5 and Swift 6 modes, Objective-C under ARC.

And the stub SDK is strict where it must be: code that fails on iOS fails here too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from bgsession.gen.check import CheckReport, check_objc, check_swift
from bgsession.gen.harness import compile_generated
from bgsession.gen.render import render_files
from tests.conftest import require_tool
from tests.gen.variants import ALL_VARIANTS as VARIANTS


def assert_compiles(report: CheckReport) -> None:
    assert report.runs, "no compiler ran"
    failures = [f"{' '.join(run.command)}\n{run.output}" for run in report.runs if not run.ok]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_compiles(name: str) -> None:
    spec = VARIANTS[name]
    require_tool("swiftc" if spec.lang.value == "swift" else "clang")
    report = compile_generated(spec, render_files(spec))
    assert_compiles(report)
    if spec.lang.value == "swift":
        modes = [
            run.command[run.command.index("-swift-version") + 1] for run in report.runs if "-typecheck" in run.command
        ]
        assert modes == (["5", "6", "5", "6"] if spec.style.value == "extension" else ["5", "6"])


def compile_swift_source(source: str, *, app_extension: bool = False) -> CheckReport:
    require_tool("swiftc")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "Probe.swift"
        path.write_text(source, encoding="utf-8")
        return check_swift([path], app_extension=app_extension)


def compile_objc_source(source: str, *, app_extension: bool = False, strict_nullability: bool = False) -> CheckReport:
    require_tool("clang")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "Probe.m"
        path.write_text(source, encoding="utf-8")
        return check_objc([path], include_dirs=[], app_extension=app_extension, strict_nullability=strict_nullability)


def outputs(report: CheckReport) -> str:
    return "\n".join(run.output for run in report.runs)


def test_seed_objc_factory_does_not_exist() -> None:
    report = compile_objc_source(
        "#import <Foundation/Foundation.h>\n"
        "@interface M : NSObject <NSURLSessionDelegate>\n@end\n"
        "@implementation M\n- (void)start {\n"
        "    NSURLSessionConfiguration *configuration = [NSURLSessionConfiguration "
        'backgroundSessionConfigurationWithIdentifier:@"com.example.bgSession"];\n'
        "    NSURLSession *session = [NSURLSession sessionWithConfiguration:configuration delegate:self];\n"
        "    (void)session;\n}\n@end\n"
    )
    assert not report.ok
    assert "no known class method for selector 'sessionWithConfiguration:delegate:'" in outputs(report)


def test_objc_download_delegate_without_did_finish_downloading_is_reported() -> None:
    report = compile_objc_source(
        "#import <Foundation/Foundation.h>\n"
        "@interface M : NSObject <NSURLSessionDownloadDelegate>\n@end\n"
        "@implementation M\n@end\n"
    )
    assert not report.ok
    assert "URLSession:downloadTask:didFinishDownloadingToURL:" in outputs(report)


def test_swift_download_delegate_without_did_finish_downloading_is_reported() -> None:
    report = compile_swift_source(
        "import Foundation\nfinal class M: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {}\n"
    )
    assert not report.ok
    assert "does not conform to protocol 'URLSessionDownloadDelegate'" in outputs(report)


def test_handler_called_from_a_nonisolated_context_fails_in_swift_6() -> None:
    report = compile_swift_source(
        "import UIKit\n"
        "@main final class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    var handler: (() -> Void)?\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) { handler = completionHandler }\n"
        "}\n"
        "final class Delegate: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    let appDelegate: AppDelegate\n"
        "    init(appDelegate: AppDelegate) { self.appDelegate = appDelegate }\n"
        "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
        "        appDelegate.handler?()\n"
        "    }\n"
        "}\n"
    )
    swift6 = next(run for run in report.runs if run.command[run.command.index("-swift-version") + 1] == "6")
    assert not swift6.ok
    assert "main actor-isolated property 'handler' can not be referenced from a nonisolated context" in swift6.output


def test_main_actor_witness_for_a_delegate_method_fails_in_swift_6() -> None:
    report = compile_swift_source(
        "import UIKit\n"
        "@MainActor final class Delegate: NSObject, URLSessionDelegate {\n"
        "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {}\n"
        "}\n"
    )
    swift6 = next(run for run in report.runs if run.command[run.command.index("-swift-version") + 1] == "6")
    assert not swift6.ok
    assert "nonisolated" in swift6.output


def test_deprecated_factory_warns_in_both_languages() -> None:
    swift = compile_swift_source(
        "import Foundation\n"
        'let configuration = URLSessionConfiguration.backgroundSessionConfiguration("com.example.bg")\n'
    )
    assert "deprecated" in outputs(swift)
    objc = compile_objc_source(
        "#import <Foundation/Foundation.h>\n"
        "void probe(void) {\n"
        '    (void)[NSURLSessionConfiguration backgroundSessionConfiguration:@"com.example.bg"];\n}\n'
    )
    assert "deprecated" in outputs(objc)


def test_correct_apple_sample_compiles_in_both_modes() -> None:
    # Apple's documented pattern: a single stored handler, called on the main queue.
    report = compile_swift_source(
        "import UIKit\n"
        "@main final class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    var backgroundCompletionHandler: (() -> Void)?\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) {\n"
        "        backgroundCompletionHandler = completionHandler\n"
        "    }\n"
        "}\n"
        "final class Delegate: NSObject, URLSessionDelegate, Sendable {\n"
        "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
        "        DispatchQueue.main.async {\n"
        "            guard let appDelegate = UIApplication.shared.delegate as? AppDelegate,\n"
        "                  let handler = appDelegate.backgroundCompletionHandler else { return }\n"
        "            appDelegate.backgroundCompletionHandler = nil\n"
        "            handler()\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    assert_compiles(report)
