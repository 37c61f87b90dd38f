"""BGS090 unused-suppression: a bgsession:disable comment that suppresses nothing."""

from __future__ import annotations

from bgsession.diagnostics import Severity
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc, decided_by_suppress

RULE = Rule(
    "BGS090",
    "unused-suppression",
    Severity.WARNING,
    "a bgsession:disable comment that suppresses nothing",
    RuleDoc(
        finds="A `bgsession:disable…` comment that silences no finding of a rule that ran: the code it was written "
        "for has changed, or the rule it names no longer reports there.",
        why="A stale suppression hides the next real defect on its line. Removing it keeps every silenced "
        "finding one that somebody decided about.",
        bad_swift=examples.SWIFT_FINDING
        + "        // bgsession:disable-next-line BGS003 -- the delegate is set below\n"
        "        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)\n"
        "    }()\n}\n",
        good_swift=examples.SWIFT_FINDING
        + "        // bgsession:disable-next-line BGS003 -- events are ignored on purpose (a fire-and-forget upload)\n"
        "        return URLSession(configuration: configuration)\n"
        "    }()\n}\n",
        bad_objc=examples.OBJC_FINDING + "        // bgsession:disable-next-line BGS003 -- the delegate is set below\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    });\n    return session;\n}\n@end\n",
        good_objc=examples.OBJC_FINDING
        + "        // bgsession:disable-next-line BGS003 -- events are ignored on purpose (a fire-and-forget upload)\n"
        "        session = [NSURLSession sessionWithConfiguration:configuration];\n"
        "    });\n    return session;\n}\n@end\n",
        limits="A suppression of a rule that did not run (deselected with --select or --ignore, or off in the "
        "configuration) is not reported as unused. Suppressions in files that were read only because they define "
        "a name other files need are not judged.",
    ),
    decided_by_suppress,
)
