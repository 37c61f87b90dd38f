"""BGS004 unstable-identifier: a background session identifier that changes from launch to launch, or is empty."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import (
    IdKind,
)
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_unstable(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    # A helper that is also called with an identifier handed in at run time (pocket-casts' watch sync:
    # the refresh task's sessionIdentifier) re-creates sessions for identifiers it made with a UUID.
    reattached = {
        id(site.fact)
        for site in summary.config_sites
        if site.via_call is not None and site.identifier.kind in (IdKind.PARAMETER, IdKind.DYNAMIC)
    }
    for site in summary.config_sites:
        value = site.identifier
        if value.kind is IdKind.UNSTABLE and not value.persisted and id(site.fact) not in reattached:
            yield rule.report(
                site.path,
                site.loc,
                f"the background session identifier comes from {value.text}, so it differs in every launch and a "
                "relaunched app cannot reconnect to its transfers (if you persist per-job identifiers on purpose, "
                "suppress this finding)",
            )
        elif value.kind is IdKind.LITERAL and value.text == "":
            yield rule.report(site.path, site.loc, "the background session identifier is an empty string")


RULE = Rule(
    "BGS004",
    "unstable-identifier",
    Severity.ERROR,
    "a background session identifier that changes from launch to launch, or is empty",
    RuleDoc(
        finds="An identifier built from `UUID()`, `NSUUID`, the current date or time, a random number, a hash, "
        "`globallyUniqueString`, or a URL; or an empty string.",
        why="When iOS relaunches the app for finished transfers, the app must create a session with the same "
        "identifier to receive them. A fresh identifier in every launch never reconnects, so the "
        "completion handler waits forever and the downloaded files are lost. Apple recommends a fixed string. "
        "The identifier must not be empty.",
        bad_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        "    lazy var session = URLSession(configuration: .background(withIdentifier: UUID().uuidString),\n"
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc="@implementation Downloader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        "    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:\n"
        "        [[NSUUID UUID] UUIDString]];\n"
        "}\n"
        "@end\n",
        good_objc="@implementation Downloader\n"
        "- (NSURLSessionConfiguration *)configuration {\n"
        '    return [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "}\n"
        "@end\n",
        limits="Per-job identifiers that the code persists (UserDefaults, a database, the keychain) are a deliberate "
        "design: when the type or function that creates them also persists data, nothing is reported. Otherwise "
        "the message says how to suppress the finding. Nor is a helper that some caller also hands an identifier "
        "known only at run time (the one the system passes back in handleEvents or a watch refresh task): it "
        "re-creates sessions for the identifiers it made.",
    ),
    check_unstable,
    lifecycle=True,
)
