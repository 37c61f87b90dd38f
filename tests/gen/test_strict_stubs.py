"""The check is as strict as Xcode: each known gap of the stub SDK has a probe that Xcode rejects and
`gen --check` must reject too (and, where it matters, the corrected probe that both accept)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bgsession.gen import check
from bgsession.gen.check import check_swift
from tests.conftest import require_tool
from tests.gen.test_compile import assert_compiles, compile_objc_source, compile_swift_source, outputs

DELEGATE = "final class D: NSObject, URLSessionDelegate, @unchecked Sendable {\n"


def test_configuration_init_is_deprecated_in_swift() -> None:
    report = compile_swift_source("import Foundation\nlet configuration = URLSessionConfiguration()\n")
    assert not report.ok and "deprecated" in outputs(report)


def test_task_init_is_deprecated_in_swift() -> None:
    report = compile_swift_source("import Foundation\nlet task = URLSessionDownloadTask()\n")
    assert not report.ok and "deprecated" in outputs(report)


def test_configuration_and_task_init_are_deprecated_in_objc() -> None:
    report = compile_objc_source(
        "#import <Foundation/Foundation.h>\nvoid probe(void) {\n"
        "    (void)[[NSURLSessionConfiguration alloc] init];\n    (void)[NSURLSessionDownloadTask new];\n}\n"
    )
    assert not report.ok
    assert outputs(report).count("deprecated") >= 2


def test_typo_of_an_optional_delegate_method_fails() -> None:
    report = compile_swift_source(
        "import Foundation\n"
        + DELEGATE
        + "    func urlSessionDidFinishEvents(forBackgroundURLSesion session: URLSession) {}\n}\n"
    )
    assert not report.ok
    assert (
        "Probe.swift:3:10: error: instance method 'urlSessionDidFinishEvents(forBackgroundURLSesion:)' nearly "
        "matches optional requirement 'urlSessionDidFinishEvents(forBackgroundURLSession:)'" in outputs(report)
    )


def test_correct_optional_delegate_methods_pass() -> None:
    report = compile_swift_source(
        "import Foundation\n"
        + DELEGATE
        + "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {}\n"
        "    func urlSession(_ session: URLSession, didBecomeInvalidWithError error: (any Error)?) {}\n}\n"
    )
    assert_compiles(report)


EXTENSION_SWIFT = "import UIKit\n@MainActor func probe() { _ = UIApplication.shared }\n"
EXTENSION_OBJC = "#import <UIKit/UIKit.h>\nvoid probe(void) { (void)[UIApplication sharedApplication]; }\n"


def test_shared_application_is_unavailable_in_extension_code() -> None:
    swift = compile_swift_source(EXTENSION_SWIFT, app_extension=True)
    assert not swift.ok and "unavailable" in outputs(swift)
    assert any("-application-extension" in run.command for run in swift.runs)
    objc = compile_objc_source(EXTENSION_OBJC, app_extension=True)
    assert not objc.ok and "'sharedApplication' is unavailable" in outputs(objc)


def test_shared_application_is_available_in_app_code() -> None:
    assert_compiles(compile_swift_source(EXTENSION_SWIFT))
    assert_compiles(compile_objc_source(EXTENSION_OBJC))


SCENE = (
    "import SwiftUI\n{attribute}extension Scene {{\n    func probe() -> some Scene {{\n"
    '        backgroundTask(.urlSession("com.example.a")) {{}}\n    }}\n}}\n'
)


@pytest.mark.parametrize("call", ["backgroundTask", "self.backgroundTask"])
def test_background_task_needs_ios_16_availability(call: str) -> None:
    bad = compile_swift_source(SCENE.format(attribute="").replace("backgroundTask", call))
    assert not bad.ok
    assert "Probe.swift:4:" in outputs(bad)
    assert "'backgroundTask' is only available in iOS 16.0 or newer" in outputs(bad)
    good = compile_swift_source(SCENE.format(attribute="@available(iOS 16.0, *)\n").replace("backgroundTask", call))
    assert_compiles(good)


def test_append_path_component_is_nullable() -> None:
    report = compile_objc_source(
        "#import <Foundation/Foundation.h>\n"
        "void probe(NSURL *base, NSURL *location) {\n"
        '    [NSFileManager.defaultManager moveItemAtURL:location toURL:[base URLByAppendingPathComponent:@"x"] '
        "error:NULL];\n}\n",
        strict_nullability=True,
    )
    assert not report.ok and "nullable" in outputs(report)


def test_api_available_is_enforced_against_the_deployment_target() -> None:
    bad = compile_objc_source(
        "#import <Foundation/Foundation.h>\n"
        "void probe(NSURLSessionConfiguration *configuration) { configuration.requiresDNSSECValidation = YES; }\n"
    )
    assert not bad.ok and "only available on iOS 16.0 or newer" in outputs(bad)
    good = compile_objc_source(
        "#import <Foundation/Foundation.h>\n"
        "void probe(NSURLSessionConfiguration *configuration) {\n"
        "    if (@available(iOS 16.0, *)) { configuration.requiresDNSSECValidation = YES; }\n}\n"
    )
    assert_compiles(good)


def _fake_xcode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "xcrun.log"
    for tool in ("xcrun", "xcodebuild"):
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def test_xcode_path_treats_warnings_as_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _fake_xcode(tmp_path, monkeypatch)
    source = tmp_path / "A.swift"
    source.write_text("let a = 1\n")
    check_swift([source], app_extension=True)
    check.check_objc([source.with_suffix(".m")], include_dirs=[], app_extension=True)
    lines = log.read_text().splitlines()
    assert len(lines) == 3
    assert all("-warnings-as-errors" in line and "-application-extension" in line for line in lines[:2])
    assert "-Werror" in lines[2] and "-fapplication-extension" in lines[2]
    assert all("ios15.0" in line for line in lines)


def test_stub_modules_are_built_in_bgsession_cache_dir() -> None:
    # The suite sets BGSESSION_CACHE_DIR (tests/conftest.py); the modules the other tests built are there.
    swiftc = require_tool("swiftc")
    cache = Path(os.environ[check.CACHE_DIR_ENV])
    modules = check.stub_modules(swiftc)
    assert modules.parent == cache
    assert (modules / "URLSessionStub.swiftmodule").exists()
    assert stat.S_IMODE(cache.stat().st_mode) & 0o022 == 0


def test_unusable_cache_folders_are_recognised(tmp_path: Path) -> None:
    # The fallback build itself runs through the command line in test_redteam_gen.py.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert check._private_folder(shared) == "other users can write to it"
    assert check._private_folder(Path("/proc/nonexistent/cache")) is not None
    (tmp_path / "file").write_text("x")
    assert check._private_folder(tmp_path / "file") is not None
    fresh = tmp_path / "fresh" / "cache"
    assert check._private_folder(fresh) is None
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
