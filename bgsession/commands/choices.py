"""Option values the command line offers, kept apart so that `bgsession --help` imports nothing heavy."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "checkstyle", "junit")
FAIL_ON = ("error", "warning", "note", "never")
