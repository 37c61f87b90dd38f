"""The one exception root: the CLI turns any of these into a one-line message and its exit status
(2 unless the error says otherwise)."""

from __future__ import annotations


class BgsessionError(Exception):
    """A problem with the user's input, files or environment, worded for the user."""

    exit_status = 2


class UsageError(BgsessionError):
    """Bad command-line arguments or configuration."""


class Interrupted(BaseException):
    """SIGTERM arrived while workers ran: unwound through every `finally` (the workers are ended), then
    the CLI exits with 128 + the signal's number, as the signal would have."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
