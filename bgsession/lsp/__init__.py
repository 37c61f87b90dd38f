"""The language server (`bgsession lsp`): bgsession's findings, fixes and explanations in any editor
that speaks the Language Server Protocol.

Modules: positions (bgsession's byte positions against the editor's), convert (findings and edits as
LSP values), suppressing (the edits of a suppression comment), actions (quick fixes and fix-all),
hover (a rule's summary and trace), documents (what is open and in which folder), linting (one lint of
a folder's open buffers), server (pygls: events to lints). pygls is imported only when the server
starts, so `bgsession lint` never loads it.
"""

from __future__ import annotations


def serve() -> int:
    """Run the language server on stdio until the client exits."""
    from bgsession.lsp.server import serve as run

    return run()


__all__ = ["serve"]
