"""The one exception root: the CLI turns any of these into a one-line message and exit status 2."""

from __future__ import annotations


class BgsessionError(Exception):
    """A problem with the user's input, files or environment, worded for the user."""


class UsageError(BgsessionError):
    """Bad command-line arguments or configuration."""
