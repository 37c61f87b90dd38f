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
        if site.target == EXTENSION and not site.fact.shared_container and key not in seen:
            seen.add(key)
            yield rule.report(
                site.path,
                site.fact.loc,
                "background configuration in an app extension without "
                "sharedContainerIdentifier; the session is invalidated as soon as it is created",
            )


RULE = Rule(
    "BGS030",
    "extension-missing-shared-container",
    Severity.ERROR,
    "a background configuration in an app extension without sharedContainerIdentifier",
    RuleDoc(
        finds="A background configuration created in an app extension (a folder whose Info.plist has an "
        "NSExtension entry) that never sets sharedContainerIdentifier.",
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
        limits="A file belongs to an extension when the nearest Info.plist above it (within the linted folders) "
        "declares NSExtension. The examples are linted as extension code. Whether the group identifier is valid "
        "is not checked.",
    ),
    check_extension_container,
    lifecycle=True,
)
