"""Compile a generated set of files together with the few lines of app that they extend.

Generated code extends the user's own `AppDelegate` (or is used by their `App`), so checking it alone
would fail for the wrong reason. The harness supplies a minimal one, exactly as an Xcode template does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bgsession.gen.check import IOS_DEPLOYMENT_TARGET, CheckReport, check_objc, check_swift
from bgsession.gen.render import GeneratedFile, build_context, environment, extension_target_files
from bgsession.gen.spec import GenSpec, Lang, Style, SwiftUIVariant


def harness_files(spec: GenSpec) -> list[GeneratedFile]:
    """The app-side declarations the generated files refer to."""
    if spec.lang is Lang.OBJC:
        header = (
            "#import <UIKit/UIKit.h>\n\n"
            f"@interface {spec.app_delegate} : UIResponder <UIApplicationDelegate>\n"
            "@property (nullable, nonatomic, strong) UIWindow *window;\n"
            "@end\n"
        )
        implementation = f'#import "{spec.app_delegate}.h"\n\n@implementation {spec.app_delegate}\n@end\n'
        return [
            GeneratedFile(f"{spec.app_delegate}.h", header),
            GeneratedFile(f"{spec.app_delegate}.m", implementation),
        ]
    if spec.style is Style.SWIFTUI:
        module = environment().get_template("swift/parts.j2").module
        app = str(getattr(module, "app")(build_context(spec)))
        return [GeneratedFile("HarnessApp.swift", f"import SwiftUI\n\n{app}\n")]
    delegate = (
        "import UIKit\n\n"
        f"@main\nfinal class {spec.app_delegate}: UIResponder, UIApplicationDelegate {{\n"
        "    var window: UIWindow?\n}\n"
    )
    return [GeneratedFile(f"{spec.app_delegate}.swift", delegate)]


def deployment_target(spec: GenSpec) -> str:
    """SwiftUI's scene variant calls backgroundTask from the App's body, so that app needs iOS 16."""
    if spec.style is Style.SWIFTUI and spec.swiftui_variant is SwiftUIVariant.TASK:
        return "16.0"
    return IOS_DEPLOYMENT_TARGET


def compile_generated(spec: GenSpec, files: list[GeneratedFile]) -> CheckReport:
    """Write the files and the harness to a scratch folder and compile them: the app's target, and
    for the extension style also the files that go into the extension's target, as extension code."""
    report = CheckReport()
    shared = set(extension_target_files(spec))
    with tempfile.TemporaryDirectory(prefix="bgsession-check-") as scratch:
        folder = Path(scratch)
        for generated in [*files, *harness_files(spec)]:
            (folder / generated.name).write_text(generated.text, encoding="utf-8")
        if spec.lang is Lang.SWIFT:
            report.extend(check_swift(sorted(folder.glob("*.swift")), deployment_target=deployment_target(spec)))
            if shared:
                report.extend(check_swift(sorted(folder / name for name in shared), app_extension=True))
            return report
        report.extend(check_objc(sorted(folder.glob("*.m")), include_dirs=[folder], strict_nullability=True))
        extension_sources = sorted(folder / name for name in shared if name.endswith(".m"))
        if extension_sources:
            report.extend(
                check_objc(extension_sources, include_dirs=[folder], app_extension=True, strict_nullability=True)
            )
        return report
