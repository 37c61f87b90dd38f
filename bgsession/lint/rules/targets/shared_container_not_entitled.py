"""BGS034 shared-container-not-entitled:
sharedContainerIdentifier names an app group the target is not entitled to.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import IdKind
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc
from bgsession.lint.targets import Target, TargetKind

# What is signed with entitlements of its own; a framework runs with its host's.
_SIGNED = frozenset(
    {TargetKind.APP, TargetKind.APP_CLIP, TargetKind.EXTENSION, TargetKind.WATCH_APP, TargetKind.WATCH_EXTENSION}
)


def check_shared_container_entitled(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for facts in summary.files:
        targets = [t for t in summary.context.declared_targets_of(facts.path) if t.kind in _SIGNED]
        if not targets:
            continue
        for config in facts.configs:
            if config.container is None or config.container_loc is None:
                continue
            value = summary.resolve(config.container)
            if value.kind is not IdKind.LITERAL:
                continue
            missing = [target for target in targets if _lacks(target, value.text)]
            if missing:
                yield rule.report(facts.path, config.container_loc, _message(value.text, missing))


def _lacks(target: Target, group: str) -> bool:
    """Known to lack the group: its entitlements were read (every configuration's) and do not list it."""
    return bool(target.entitlements) and target.app_groups is not None and group not in target.app_groups


def _message(group: str, missing: list[Target]) -> str:
    described = "; ".join(
        f"{target.name!r} lists {', '.join(target.app_groups or ()) or 'no app group'}" for target in missing
    )
    if any(target.hands_events_to_app for target in missing):
        effect = "an app extension's session with it is invalidated upon creation"
    else:
        effect = "the process is not entitled to that container, so its transfers cannot use it"
    return (
        f"sharedContainerIdentifier {group!r} is not in com.apple.security.application-groups of the target "
        f"that builds this code ({described}); {effect}"
    )


RULE = Rule(
    "BGS034",
    "shared-container-not-entitled",
    Severity.ERROR,
    "sharedContainerIdentifier names an app group missing from the target's application-groups entitlement",
    RuleDoc(
        finds="A background configuration whose sharedContainerIdentifier is a string (or a constant holding one) "
        "that is not among the com.apple.security.application-groups of the Xcode target that builds the code: the "
        "entitlements file named by CODE_SIGN_ENTITLEMENTS, in any build configuration, with build settings such "
        "as $(TARGET_NAME) or a variable of the configuration expanded in the path and in the groups.",
        why="Apple: set sharedContainerIdentifier 'to a valid identifier for a container shared between the app "
        "extension and its containing app', and 'if you try to create a URL session from your app extension but "
        "fail to set this property to a valid value, the URL session is invalidated upon creation'. A container "
        "is valid for a process only when its app group is in the process's application-groups entitlement; a "
        "typo or a group renamed in one place and not the other leaves the extension's transfers dead and the "
        "app unable to read what the extension downloaded.",
        bad_swift="import Foundation\n\n"
        "// The target's entitlements list group.com.example.app only.\n"
        "final class ShareUploader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = ShareUploader()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.app.share")\n'
        '        configuration.sharedContainerIdentifier = "group.com.example.shared"\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        good_swift="import Foundation\n\n"
        "final class ShareUploader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = ShareUploader()\n"
        "    lazy var session: URLSession = {\n"
        '        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.app.share")\n'
        '        configuration.sharedContainerIdentifier = "group.com.example.app"\n'
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        bad_objc="#import <Foundation/Foundation.h>\n\n"
        "// The target's entitlements list group.com.example.app only.\n"
        "@implementation ShareUploader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.app.share"];\n'
        '    configuration.sharedContainerIdentifier = @"group.com.example.shared";\n'
        "    return configuration;\n}\n@end\n",
        good_objc="#import <Foundation/Foundation.h>\n\n"
        "@implementation ShareUploader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.app.share"];\n'
        '    configuration.sharedContainerIdentifier = @"group.com.example.app";\n'
        "    return configuration;\n}\n@end\n",
        limits="Only code an Xcode project builds into an app, app extension or watch target is judged, against "
        "that target's own entitlements: without a project file, for code reached only through a framework or "
        "package, for a target with no entitlements file, and when an entitlements file cannot be read or a "
        "setting in it cannot be expanded, nothing is reported. The value must be a string literal or a constant "
        "resolved to one; computed values (from Info.plist, a bundle identifier, a parameter) are skipped. A group "
        "entitled in any build configuration counts as entitled. Whether the group is registered with the team's "
        "provisioning profile is not known to the project. The examples are linted inside an Xcode target whose "
        "entitlements list group.com.example.app.",
    ),
    check_shared_container_entitled,
)
