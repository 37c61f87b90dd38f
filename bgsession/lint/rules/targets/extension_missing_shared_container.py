"""BGS030 extension-missing-shared-container:
a background configuration in an app extension without sharedContainerIdentifier.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import EXTENSION, ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_extension_container(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    seen: set[tuple[str, int]] = set()
    for site in summary.config_sites:
        key = (site.path, site.fact.loc.line)
        if site.fact.shared_container or key in seen:
            continue
        extension = _extension_of(summary, site.path, site.target)
        if extension is not None:
            seen.add(key)
            yield rule.report(
                site.path,
                site.fact.loc,
                f"background configuration in {extension} without "
                "sharedContainerIdentifier; the session is invalidated as soon as it is created",
            )


def _extension_of(summary: ProjectSummary, path: str, target: str) -> str | None:
    """How to name the app extension that builds `path` and hands its events to a containing app, or
    None. The project's targets decide where they cover the file (a framework's code, or a WatchKit
    extension's, is not such an extension); else the nearest Info.plist's verdict (`target`)."""
    targets = summary.context.targets_of(path)
    if not targets:
        return "an app extension" if target == EXTENSION else None
    for candidate in targets:
        if candidate.hands_events_to_app:
            point = f" ({candidate.extension_point})" if candidate.extension_point else ""
            return f"the app extension {candidate.name!r}{point}"
    return None


RULE = Rule(
    "BGS030",
    "extension-missing-shared-container",
    Severity.ERROR,
    "a background configuration in an app extension without sharedContainerIdentifier",
    RuleDoc(
        finds="A background configuration created in code an app extension builds (share, action, widget, "
        "notification service, file provider, ...: an extension whose events go to its containing app) that never "
        "sets sharedContainerIdentifier. The extension is the Xcode target whose Sources phase lists the file; "
        "without a project file, the nearest Info.plist with an NSExtension entry.",
        why="Apple: 'If you try to create a URL session from your app extension but fail to set this property to "
        "a valid value, the URL session is invalidated upon creation'. The downloads land in the shared "
        "container, where the containing app (relaunched for the events) can reach them.",
        bad_swift="final class ShareUploader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = ShareUploader()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.share")\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        good_swift="final class ShareUploader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = ShareUploader()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.share")\n'
        '        configuration.sharedContainerIdentifier = "group.com.example"\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        bad_objc="@implementation ShareUploader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.share"];\n'
        "    return configuration;\n}\n@end\n",
        good_objc="@implementation ShareUploader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.share"];\n'
        '    configuration.sharedContainerIdentifier = @"group.com.example";\n'
        "    return configuration;\n}\n@end\n",
        limits="Code reached only through a framework or package that an extension links is not judged (whether the "
        "extension creates the session there is unknown); neither is a watchOS app's own WatchKit extension "
        "(com.apple.watchkit), whose events go to the watch app. Without a project file, a file belongs to an "
        "extension when the nearest Info.plist above it (within the linted folders) declares NSExtension. The "
        "examples are linted as extension code. Whether the group is entitled is BGS034's question.",
    ),
    check_extension_container,
    lifecycle=True,
)
