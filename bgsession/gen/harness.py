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

# A @MainActor consumer, as most apps write one: it must be able to adopt the events protocol in
# Swift 6 (only `destination` runs off the main actor).
_SWIFT_EVENTS = """
@MainActor
final class TransferEvents: {events} {{
    private(set) var finished: [String] = []

    nonisolated func destination(for task: URLSessionDownloadTask, session identifier: String) -> URL? {{
        FileManager.default.temporaryDirectory.appendingPathComponent(task.taskDescription ?? "download")
    }}

    func transferDidComplete(
        _ task: URLSessionTask, session identifier: String, error: (any Error)?, resumeData: Data?
    ) {{
        finished.append(identifier)
        if let resumeData {{
            {manager}.manager(for: identifier)?.download(resumingWith: resumeData)
        }}
    }}

    func downloadDidFail(_ task: URLSessionDownloadTask, session identifier: String, statusCode: Int) {{
        finished.append("\\(identifier): HTTP \\(statusCode)")
    }}
}}
"""


def harness_files(spec: GenSpec) -> list[GeneratedFile]:
    """The app-side declarations the generated files refer to, and the calls an app makes at launch."""
    ctx = build_context(spec)
    types = ctx["types"]
    watch = spec.style is Style.WATCHOS
    if spec.lang is Lang.OBJC:
        header = (
            "#import <UIKit/UIKit.h>\n\n"
            f"@interface {spec.app_delegate} : UIResponder <UIApplicationDelegate>\n"
            "@property (nullable, nonatomic, strong) UIWindow *window;\n"
            "@end\n"
        )
        launch = (
            "- (BOOL)application:(UIApplication *)application\n"
            "    didFinishLaunchingWithOptions:(nullable NSDictionary<UIApplicationLaunchOptionsKey, id> *)options {\n"
        )
        if watch:
            header = (
                f"#import <WatchKit/WatchKit.h>\n\n@interface {spec.app_delegate} : NSObject <WKApplicationDelegate>\n"
                "@end\n"
            )
            launch = "- (void)applicationDidFinishLaunching {\n"
        reconnect = f"    [{types['manager']} reconnectAll];\n" if ctx["reconnect_at_launch"] else ""
        implementation = (
            f'#import "{spec.app_delegate}.h"\n#import "{ctx["files"]["manager_h"]}"\n\n'
            f"@interface TransferEvents : NSObject <{types['events']}>\n@end\n\n"
            "@implementation TransferEvents\n"
            "- (nullable NSURL *)destinationForDownloadTask:(NSURLSessionDownloadTask *)task "
            "session:(NSString *)identifier {\n"
            '    return [NSFileManager.defaultManager.temporaryDirectory URLByAppendingPathComponent:@"download"];\n'
            "}\n@end\n\n"
            f"@implementation {spec.app_delegate}\n"
            f"{launch}"
            f"    [{types['manager']} configureWithEvents:[[TransferEvents alloc] init]];\n"
            f"{reconnect}"
            f"{'' if watch else '    return YES;' + chr(10)}}}\n@end\n"
        )
        return [
            GeneratedFile(f"{spec.app_delegate}.h", header),
            GeneratedFile(f"{spec.app_delegate}.m", implementation),
        ]
    events = _SWIFT_EVENTS.format(events=types["events"], manager=types["manager"])
    setup = f"        {types['manager']}.configure(events: TransferEvents())\n"
    if ctx["reconnect_at_launch"]:
        setup += f"        {types['manager']}.reconnectAll()\n"
    if spec.style is Style.SWIFTUI:
        module = environment().get_template("swift/parts.j2").module
        app = str(getattr(module, "app")(ctx))
        app = app.replace(
            "    var body: some Scene {", f"    init() {{\n{setup}    }}\n\n    var body: some Scene {{", 1
        )
        adaptor = ""
        if spec.own_adaptor:
            adaptor = f"\nfinal class {spec.app_delegate}: NSObject, UIApplicationDelegate {{}}\n"
        return [GeneratedFile("HarnessApp.swift", f"import SwiftUI\n\n{app}\n{adaptor}{events}")]
    if watch:
        delegate = (
            "import WatchKit\n\n"
            f"@main\nfinal class {spec.app_delegate}: NSObject, WKApplicationDelegate {{\n"
            f"    func applicationDidFinishLaunching() {{\n{setup}    }}\n}}\n{events}"
        )
        return [GeneratedFile(f"{spec.app_delegate}.swift", delegate)]
    delegate = (
        "import UIKit\n\n"
        f"@main\nfinal class {spec.app_delegate}: UIResponder, UIApplicationDelegate {{\n"
        "    var window: UIWindow?\n\n"
        "    func application(\n"
        "        _ application: UIApplication,\n"
        "        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?\n"
        "    ) -> Bool {\n"
        f"{setup}"
        "        return true\n"
        "    }\n"
        f"}}\n{events}"
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
