"""BGS018 host-forwarding-missing:
a background-transfer library needs the app delegate to forward the completion handler, and none does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.project.forwarding import forwarded, forwarding_anchor, required_libraries
from bgsession.lint.rules.base import Rule, RuleDoc


def check_host_forwarding(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    required = required_libraries(summary)
    if not required:
        return
    anchor = forwarding_anchor(summary)
    if anchor is None:
        return  # no app code in view: nothing says what the app delegate does
    path, loc = anchor
    handles = any(facts.handle_events for facts in summary.files)
    for library, dependency in required:
        if forwarded(summary, library) is not False:
            continue  # forwarded, or handed to code that cannot be followed
        if handles:
            what = "handleEventsForBackgroundURLSession does not hand it the completion handler"
        else:
            what = "no app delegate implements application(_:handleEventsForBackgroundURLSession:completionHandler:)"
        call = (library.swift or library.objc) if path.endswith(".swift") else (library.objc or library.swift)
        source = os.path.basename(dependency.source)
        yield rule.report(
            path,
            loc,
            f"{dependency.name} ({source}) needs the app delegate to forward background-session events: "
            f"`{call}` ({library.source}, {library.section}); {what}, so the library's background relaunches "
            "are never completed",
        )


RULE = Rule(
    "BGS018",
    "host-forwarding-missing",
    Severity.ERROR,
    "a background-transfer library needs the app delegate to forward the completion handler, and none does",
    RuleDoc(
        finds="An app whose lock or manifest files (Podfile.lock, package.json, pubspec.lock, Package.resolved, "
        "Cartfile.resolved) name a background-transfer library that documents a call or property the app "
        "delegate must hand the completion handler to (react-native-background-downloader, Tiercel, "
        "TWRDownloadManager, HWIFileDownload, ...: the table in bgsession/lint/targets/host_libraries.toml, "
        "each entry citing the library's documentation), while no app delegate's "
        "handleEventsForBackgroundURLSession does so, or there is none. Reported at the app delegate (or the "
        "app's entry point).",
        why="The library's background session lives in the library, but iOS gives the relaunch's completion "
        "handler only to the app delegate. Apple: 'Store that handler ... and call it when ... "
        "urlSessionDidFinishEvents' is delivered; only the library knows when its session's events are done, so "
        "the app must hand the handler over. Without it the system waits for a handler nobody calls, the app is "
        "suspended without its snapshot, and the library's README warns, e.g. 'Failing to add this code will "
        "result in canceled background downloads.'",
        bad_swift="import UIKit\n\n"
        "// Podfile.lock lists Tiercel.\n"
        "@main\n"
        "final class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    var completion: (() -> Void)?\n\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) {\n"
        "        completion = completionHandler\n"
        "    }\n}\n",
        good_swift="import UIKit\n\n"
        "// Stands in for Tiercel's SessionManager: its identifier and completionHandler.\n"
        "final class SessionManager {\n"
        "    let identifier: String\n"
        "    var completionHandler: (() -> Void)?\n"
        "    init(identifier: String) { self.identifier = identifier }\n"
        "}\n\n"
        "enum Downloads {\n"
        '    @MainActor static let manager = SessionManager(identifier: "com.example.downloads")\n'
        "}\n\n"
        "@main\n"
        "final class AppDelegate: UIResponder, UIApplicationDelegate {\n"
        "    let manager = Downloads.manager\n\n"
        "    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,\n"
        "                     completionHandler: @escaping () -> Void) {\n"
        "        if manager.identifier == identifier {\n"
        "            manager.completionHandler = completionHandler\n"
        "        }\n"
        "    }\n}\n",
        bad_objc="#import <UIKit/UIKit.h>\n\n"
        "// Podfile.lock lists Tiercel.\n"
        "@interface AppDelegate : UIResponder <UIApplicationDelegate>\n@end\n\n"
        "@implementation AppDelegate\n"
        "- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)options {\n"
        "    return YES;\n}\n@end\n",
        good_objc="#import <UIKit/UIKit.h>\n\n"
        "// The app's wrapper of Tiercel's SessionManager.\n"
        "@interface DownloadManager : NSObject\n"
        "@property (nonatomic, copy, readonly) NSString *identifier;\n"
        "@property (nonatomic, copy) void (^completionHandler)(void);\n"
        "@end\n\n"
        "@interface AppDelegate : UIResponder <UIApplicationDelegate>\n"
        "@property (nonatomic, strong) DownloadManager *sessionManager;\n"
        "@end\n\n"
        "@implementation AppDelegate\n"
        "- (void)application:(UIApplication *)application handleEventsForBackgroundURLSession:(NSString *)identifier\n"
        "  completionHandler:(void (^)(void))completionHandler {\n"
        "    if ([identifier isEqualToString:self.sessionManager.identifier]) {\n"
        "        self.sessionManager.completionHandler = completionHandler;\n"
        "    }\n}\n@end\n",
        limits="Only libraries in the table are known. Flutter plugins registered through "
        "GeneratedPluginRegistrant receive the call from FlutterAppDelegate (forwarding 'plugin-chain'), so "
        "nothing is required of a Flutter app; libraries whose forwarding serves an optional feature (react-native-fs "
        "background downloads, off by default) are skipped, since whether JavaScript uses it is not read. The "
        "lock files are those below the linted folder. When the handler is passed to code that cannot be followed "
        "(a helper outside the linted files), the rule assumes it is forwarded. Without app delegate or entry code "
        "in view (an Expo app whose native project is generated at build time), nothing is reported. The examples "
        "are linted beside a Podfile.lock listing Tiercel.",
    ),
    check_host_forwarding,
    lifecycle=True,
)
