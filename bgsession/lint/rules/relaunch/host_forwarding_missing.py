"""BGS018 host-forwarding-missing:
a background-transfer library needs the app delegate to forward the completion handler, and none does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.lint.facts import HandleEventsFact, HandlerStore, MethodRef
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc
from bgsession.lint.targets import Dependency, Ecosystem, Forwarding, HostLibrary

_MAX_DEPTH = 4
_HEADERS = (".h",)


def check_host_forwarding(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    required: dict[tuple[str | None, str | None], tuple[HostLibrary, Dependency]] = {}
    # One library can be named twice (its npm package and its pod, or two forks sharing the pod):
    # one finding per documented call, naming the package the app declared rather than its pod.
    for library, dependency in sorted(
        summary.context.libraries(), key=lambda pair: (pair[1].ecosystem is Ecosystem.COCOAPODS, pair[0].name)
    ):
        if library.forwarding in (Forwarding.CALL, Forwarding.ASSIGN) and library.optional is None:
            required.setdefault((library.receiver, library.member), (library, dependency))
    if not required:
        return
    anchor = _anchor(summary)
    if anchor is None:
        return  # no app code in view: nothing says what the app delegate does
    path, loc = anchor
    handles = [handle for facts in summary.files for handle in facts.handle_events]
    for library, dependency in required.values():
        if handles:
            verdicts = [_forwards(summary, handle, library) for handle in handles]
            if any(verdict is not False for verdict in verdicts):
                continue  # forwarded, or handed to code that cannot be followed
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


def _anchor(summary: ProjectSummary) -> tuple[str, Loc] | None:
    """The app delegate's declaration (its implementation before an interface or a header), else the
    app's entry point."""
    delegates = summary.app_delegates()
    declared = sorted(
        (
            (facts.path.endswith(_HEADERS), fact.kind == "interface", facts.path, fact.loc.line, fact.loc)
            for facts in summary.files
            for fact in facts.types
            if fact.name in delegates and fact.kind != "extension"
        ),
        key=lambda found: found[:4],
    )
    if declared:
        return declared[0][2], declared[0][4]
    entries = sorted((facts.path, entry.loc.line, entry.loc) for facts in summary.files for entry in facts.entries)
    return (entries[0][0], entries[0][2]) if entries else None


def _forwards(summary: ProjectSummary, handle: HandleEventsFact, library: HostLibrary) -> bool | None:
    """True when the handler reaches the library's documented call or property; None when it goes
    where the code cannot be followed; False when every place it goes is known and none is the library."""
    delegates = summary.app_delegates()
    if any(_is_library_store(store, library, delegates) for store in handle.stores):
        return True
    verdict: bool | None = False
    for ref in handle.passes:
        found = _follow(summary, ref, library, 0)
        if found is True:
            return True
        if found is None:
            verdict = None
    if handle.unresolved_use:
        return None
    return verdict


def _follow(summary: ProjectSummary, ref: MethodRef, library: HostLibrary, depth: int) -> bool | None:
    if _is_library_call(ref, library):
        return True
    helpers = summary.helpers_for(ref)
    if not helpers or depth > _MAX_DEPTH:
        return None
    verdict: bool | None = False
    for helper in helpers:
        labels = [ref.label] if ref.label in helper.param_labels else list(helper.param_labels[:1])
        if any(
            label in labels and _is_library_store(store, library, summary.app_delegates())
            for label, store in helper.stores
        ):
            return True
        for label, inner in helper.passes:
            if label in labels:
                found = _follow(summary, inner, library, depth + 1)
                if found is True:
                    return True
                if found is None:
                    verdict = None
    return verdict


def _is_library_store(store: HandlerStore, library: HostLibrary, delegates: set[str]) -> bool:
    """The handler assigned to the library's documented property (not to one of the app delegate's own)."""
    return (
        library.forwarding is Forwarding.ASSIGN
        and store.member.rsplit(".", 1)[-1] == library.member
        and store.type_name not in delegates
    )


def _is_library_call(ref: MethodRef, library: HostLibrary) -> bool:
    if library.forwarding is not Forwarding.CALL or library.member is None:
        return False
    wanted = library.member.split(":", 1)[0]
    return ref.method.split(":", 1)[0] == wanted or ref.method.split("(", 1)[0] == wanted


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
)
