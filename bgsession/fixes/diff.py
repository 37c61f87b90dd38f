"""The unified diff `--diff` prints: what `--fix` would write, file by file."""

from __future__ import annotations

import difflib

from bgsession.diagnostics import escape_path


def unified(path: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    name = escape_path(path)
    name = name.lstrip("/")
    lines = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    # A last line without a line break gets the marker diff and patch use.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
