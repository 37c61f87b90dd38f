"""Option values the command line offers, kept apart so that `bgsession --help` imports nothing heavy.
(The report formats are listed by their registry, `bgsession.report.FORMATS`, which imports nothing.)"""

from __future__ import annotations

FAIL_ON = ("error", "warning", "note", "never")
