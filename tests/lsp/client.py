"""A real LSP client for the server's tests: pytest-lsp starts `bgsession lsp` as a subprocess and
talks JSON-RPC over its stdio; these helpers open files, wait for findings and apply edits the way
an editor does (positions counted here independently of the server's own conversion)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.cli.helpers import REPO

SERVER = [sys.executable, "-m", "bgsession", "lsp"]
PHOTO_BACKUP = REPO / "examples" / "PhotoBackup"
TIMEOUT = 60.0


class RecordingClient(LanguageClient):
    """pytest-lsp's client, also keeping every publishDiagnostics (with its version) and message."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.shown: list[types.ShowMessageParams] = []
        self.registered: list[types.Registration] = []
        self.arrived = asyncio.Event()


def _record_publish(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)
    client.arrived.set()


def _record_message(client: RecordingClient, params: types.ShowMessageParams) -> None:
    client.shown.append(params)
    client.arrived.set()


def _record_registration(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registered.extend(params.registrations)


def make_client() -> RecordingClient:
    client = RecordingClient()
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_publish
    features[types.WINDOW_SHOW_MESSAGE] = _record_message
    features[types.CLIENT_REGISTER_CAPABILITY] = _record_registration
    register_lsp_features(client, features)
    return client


def copy_example(folder: Path) -> Path:
    """A copy of examples/PhotoBackup to edit (the repository's copy is never written)."""
    shutil.copytree(PHOTO_BACKUP, folder)
    return folder


def language_of(path: Path) -> str:
    return "swift" if path.suffix == ".swift" else "objective-c"


def open_file(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id=language_of(path),
                version=version,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def change_file(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def published(
    client: RecordingClient, uri: str, version: int | None = None, *, traced: bool = False
) -> list[types.Diagnostic]:
    """The latest findings the server published for `uri` (at `version`, and with their traces when
    `traced`), waiting for them to arrive."""

    def latest() -> list[types.Diagnostic] | None:
        for params in reversed(client.published):
            if params.uri != uri:
                continue
            if version is not None and params.version != version:
                return None
            if traced and not any(d.related_information for d in params.diagnostics):
                return None
            return list(params.diagnostics)
        return None

    async def arrived() -> list[types.Diagnostic]:
        while (found := latest()) is None:
            client.arrived.clear()
            await client.arrived.wait()
        return found

    return await asyncio.wait_for(arrived(), TIMEOUT)


async def wait_until(client: RecordingClient, done: Callable[[], bool]) -> None:
    async def waiting() -> None:
        while not done():
            client.arrived.clear()
            await client.arrived.wait()

    await asyncio.wait_for(waiting(), TIMEOUT)


def codes(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int]]:
    return sorted((str(d.code), d.range.start.line, d.range.start.character) for d in diagnostics)


def _index(text: str, position: types.Position) -> int:
    """The string index of an LSP position counted in UTF-16 code units (LSP's default)."""
    lines = text.splitlines(keepends=True)
    offset = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, char in enumerate(line):
        if units >= position.character or char in "\r\n":
            return offset + index
        units += 2 if ord(char) > 0xFFFF else 1
    return offset + len(line.rstrip("\r\n"))


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with LSP edits applied, last first so earlier positions stay valid."""
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = _index(text, edit.range.start), _index(text, edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        return [
            edit
            for change in action.edit.document_changes
            if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
            for edit in change.edits
            if isinstance(edit, types.TextEdit)
        ]
    return list((action.edit.changes or {}).get(uri, []))
