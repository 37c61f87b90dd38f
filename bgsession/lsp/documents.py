"""Which open documents are linted together: each file the editor has open, grouped by the workspace
folder that holds it (the project whose facts surround it), and the findings of its last lint."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from bgsession.diagnostics import Diagnostic
from bgsession.grammars import language_of
from bgsession.lsp.positions import SourceMap


@dataclass(slots=True)
class Linted:
    """A document as it was last linted: the version and text the findings belong to."""

    version: int | None
    source: SourceMap
    diagnostics: list[Diagnostic]


@dataclass(slots=True)
class Documents:
    """The open documents (uri -> path) the server lints, and their last findings."""

    paths: dict[str, str] = field(default_factory=dict)
    linted: dict[str, Linted] = field(default_factory=dict)

    def open(self, uri: str, path: str | None) -> bool:
        """Track `uri` when it is a Swift or Objective-C file on disk; whether it is tracked."""
        if path is None or language_of(path) is None:
            return False
        self.paths[uri] = os.path.abspath(path)
        return True

    def close(self, uri: str) -> None:
        self.paths.pop(uri, None)
        self.linted.pop(uri, None)

    def groups(self, folders: Iterable[str], only: Iterable[str] | None = None) -> dict[str | None, list[str]]:
        """The tracked documents (or those of `only`) by the workspace folder holding them (the
        innermost, for nested folders); None for a file opened outside every folder."""
        roots = sorted({os.path.abspath(folder) for folder in folders}, key=len, reverse=True)
        wanted = set(self.paths) if only is None else {uri for uri in only if uri in self.paths}
        grouped: dict[str | None, list[str]] = {}
        for uri in sorted(wanted):
            grouped.setdefault(folder_of(self.paths[uri], roots), []).append(uri)
        return grouped


def folder_of(path: str, roots: list[str]) -> str | None:
    for root in roots:
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return root
    return None


__all__ = ["Documents", "Linted", "folder_of"]
