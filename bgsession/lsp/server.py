"""`bgsession lsp`: the language server on stdio (pygls), wiring editor events to lints and answers.

Findings are linted on open, on change (debounced) and on save, pushed with publishDiagnostics, or
answered to `textDocument/diagnostic` when the client pulls instead (a client that pulls gets no
pushes, so no finding is shown twice). The `--explain` trace costs the reference model's
exploration, seconds on a real app, so it is computed after the fast lint on open and save only
and kept for the findings that edits leave unchanged. Lints run one at a time in a worker thread,
so the server keeps reading messages while one runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Generator
from dataclasses import replace
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from bgsession import __version__
from bgsession.config import CONFIG_NAME
from bgsession.diagnostics import Diagnostic
from bgsession.lint.cache import DiskCache, FactsCache, MemoryCache, default_cache_dir
from bgsession.lsp import actions, convert, hover
from bgsession.lsp.documents import Documents, Linted
from bgsession.lsp.linting import Outcome, lint_buffers
from bgsession.lsp.positions import SourceMap, buffer_bytes, encoding_of

DEBOUNCE_SECONDS = 0.3
_WATCHED = ("**/" + CONFIG_NAME, "**/*.swift", "**/*.m", "**/*.mm", "**/*.h", "**/project.pbxproj", "**/Info.plist")
_log = logging.getLogger(__name__)


class _Protocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        # bgsession counts columns in UTF-8 bytes: when the client offers UTF-8, take it, whatever its
        # order of preference (pygls would take the client's first).
        general = params.capabilities.general
        if (
            general is not None
            and general.position_encodings
            and types.PositionEncodingKind.Utf8 in (general.position_encodings)
        ):
            general.position_encodings = [types.PositionEncodingKind.Utf8]
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        return result


class BgsessionServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("bgsession", __version__, protocol_cls=_Protocol)
        self.documents = Documents()
        self.lock = asyncio.Lock()
        self.pending: dict[str | None, asyncio.Task[None]] = {}
        self.owed: set[str | None] = set()  # groups whose pending lint is to explain too
        self.shown_problem: str | None = None
        self.cache: FactsCache | None = None

    # What the client can take.
    def _capability(self, *names: str) -> Any:
        value: Any = self.client_capabilities
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    @property
    def pulls(self) -> bool:
        return self._capability("text_document", "diagnostic") is not None

    @property
    def related(self) -> bool:
        return bool(self._capability("text_document", "publish_diagnostics", "related_information"))

    @property
    def versioned_edits(self) -> bool:
        return bool(self._capability("workspace", "workspace_edit", "document_changes"))

    def source_map(self, text: str) -> SourceMap:
        return SourceMap(text, encoding_of(self.workspace.position_encoding))

    def folders(self) -> list[str]:
        found = [path for folder in self.workspace.folders.values() if (path := to_fs_path(folder.uri))]
        root = self.workspace.root_path
        return found or ([root] if root else [])

    def facts_cache(self) -> FactsCache:
        """The command line's facts cache, shared with it; in memory when it cannot be used."""
        if self.cache is None:
            disk = DiskCache(default_cache_dir())
            disk.probe()
            self.cache = disk if disk.problem is None else MemoryCache()
            if disk.problem is not None:
                self.log(disk.problem)
        return self.cache

    def log(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Log, message=f"bgsession: {message}"))

    # Linting.
    def schedule(
        self, uris: list[str] | None = None, *, delay: float = DEBOUNCE_SECONDS, explain: bool = False
    ) -> None:
        """Lint the groups holding `uris` (every group when None) after `delay`; a later call for a
        group replaces a pending one, so a burst of keystrokes is one lint."""
        for folder in self.documents.groups(self.folders(), uris):
            pending = self.pending.pop(folder, None)
            wanted = explain
            if pending is not None and not pending.done():
                # The replaced lint's trace is still owed (a keystroke right after opening a file).
                wanted = wanted or folder in self.owed
                pending.cancel()
            if wanted:
                self.owed.add(folder)
            self.pending[folder] = asyncio.ensure_future(self._later(folder, delay, wanted))

    async def _later(self, folder: str | None, delay: float, explain: bool) -> None:
        try:
            await asyncio.sleep(delay)
            await self.lint_group(folder, explain=False)
            if explain:
                await self.lint_group(folder, explain=True)
                self.owed.discard(folder)
        except asyncio.CancelledError:
            raise
        except Exception as problem:  # a failed lint is logged; the server carries on
            _log.exception("lint failed")
            self.log(f"lint failed: {type(problem).__name__}: {problem}")

    async def lint_group(self, folder: str | None, *, explain: bool, refresh: bool = True) -> None:
        """Lint the open documents of `folder` as they are now, record and publish the findings (to a
        client that pulls: ask it to pull again, unless it is pulling now, `refresh` False)."""
        uris = self.documents.groups(self.folders()).get(folder, [])
        if not uris:
            return
        texts = {uri: self.workspace.get_text_document(uri) for uri in uris}
        snapshot = {uri: (document.version, document.source) for uri, document in texts.items()}
        buffers = {self.documents.paths[uri]: buffer_bytes(text) for uri, (_, text) in snapshot.items()}
        async with self.lock:
            cache = self.facts_cache()
            work = asyncio.ensure_future(asyncio.to_thread(lint_buffers, folder, buffers, explain=explain, cache=cache))
            try:
                outcome: Outcome = await asyncio.shield(work)
            except asyncio.CancelledError:
                # A thread cannot be stopped: the lock is held until it ends, so lints never overlap.
                await asyncio.wait([work])
                raise
        self._report(outcome)
        refreshed = False
        for uri, (version, text) in snapshot.items():
            if uri not in self.documents.paths:
                continue  # closed while it was linted
            found = outcome.diagnostics.get(self.documents.paths[uri], [])
            previous = self.documents.linted.get(uri)
            if explain and previous is not None and previous.version != version:
                continue  # a newer fast lint is already shown; this trace belongs to older text
            if not explain and previous is not None:
                found = _keep_traces(found, previous.diagnostics)
            linted = Linted(version, self.source_map(text), found)
            self.documents.linted[uri] = linted
            if self.pulls:
                refreshed = True
            else:
                self.publish(uri, linted)
        if refresh and refreshed and self._capability("workspace", "diagnostics", "refresh_support"):
            self.workspace_diagnostic_refresh(None)

    def _report(self, outcome: Outcome) -> None:
        """A broken configuration is one message until it changes or is fixed, never one per lint."""
        if outcome.config_problem != self.shown_problem:
            self.shown_problem = outcome.config_problem
            if outcome.config_problem is not None:
                self.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Error, message=f"bgsession: {outcome.config_problem}"
                    )
                )
        for problem in outcome.problems:
            self.log(problem)

    def publish(self, uri: str, linted: Linted) -> None:
        items = [convert.to_lsp(d, linted.source, uri, related=self.related) for d in linted.diagnostics]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=linted.version)
        )

    async def current(self, uri: str) -> Linted | None:
        """The findings of `uri` as its text is now, linting it first if they are older."""
        if uri not in self.documents.paths:
            return None
        document = self.workspace.get_text_document(uri)
        linted = self.documents.linted.get(uri)
        if linted is None or linted.version != document.version:
            folder = next(iter(self.documents.groups(self.folders(), [uri])))
            await self.lint_group(folder, explain=False, refresh=False)
            linted = self.documents.linted.get(uri)
        return linted


def _keep_traces(found: list[Diagnostic], before: list[Diagnostic]) -> list[Diagnostic]:
    """The traces of an earlier explained lint, for the findings an edit left as they were."""
    traces = {diagnostic: diagnostic.trace for diagnostic in before if diagnostic.trace}
    if not traces:
        return found
    return [replace(d, trace=traces[d]) if d in traces and not d.trace else d for d in found]


def create_server() -> BgsessionServer:
    server = BgsessionServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: BgsessionServer, params: types.InitializedParams) -> None:
        if ls._capability("workspace", "did_change_watched_files", "dynamic_registration"):
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in _WATCHED]
            )
            registration = types.Registration(
                id="bgsession-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception as problem:  # the client refused: changes then arrive with didSave only
                ls.log(f"could not watch files: {problem}")

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: BgsessionServer, params: None) -> None:
        # The facts cache is bounded as after a command-line run (it prunes only when entries were stored).
        if isinstance(ls.cache, DiskCache):
            ls.cache.prune()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: BgsessionServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.documents.open(uri, to_fs_path(uri)):
            ls.schedule([uri], delay=0, explain=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: BgsessionServer, params: types.DidChangeTextDocumentParams) -> None:
        if params.text_document.uri in ls.documents.paths:
            ls.schedule([params.text_document.uri])

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: BgsessionServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.documents.paths:
            ls.schedule([uri], delay=0, explain=True)
        else:
            # A saved configuration or project file changes what every open document means.
            ls.schedule(None, delay=0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: BgsessionServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri not in ls.documents.paths:
            return
        ls.documents.close(uri)
        if not ls.pulls:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        # The others' facts now come from the closed file as it is on disk.
        ls.schedule(None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: BgsessionServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.schedule(None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: BgsessionServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        ls.schedule(None, delay=0)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration_changed(ls: BgsessionServer, params: types.DidChangeConfigurationParams) -> None:
        ls.schedule(None, delay=0)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="bgsession", inter_file_dependencies=True, workspace_diagnostics=False),
    )
    async def pull(ls: BgsessionServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        linted = await ls.current(params.text_document.uri)
        if linted is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        items = [
            convert.to_lsp(d, linted.source, params.text_document.uri, related=ls.related) for d in linted.diagnostics
        ]
        return types.RelatedFullDocumentDiagnosticReport(items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]),
    )
    async def code_action(ls: BgsessionServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        linted = await ls.current(params.text_document.uri)
        if linted is None:
            return None
        document = actions.Document(
            params.text_document.uri, linted.version, linted.source, linted.diagnostics, ls.versioned_edits
        )
        return actions.code_actions(document, params.range, params.context.only)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: BgsessionServer, params: types.HoverParams) -> types.Hover | None:
        linted = await ls.current(params.text_document.uri)
        if linted is None:
            return None
        point = params.position
        here = types.Range(start=point, end=point)
        under = [d for d in linted.diagnostics if convert.overlaps(convert.finding_range(linted.source, d), here)]
        text = hover.describe(under)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    return server


def serve() -> int:
    """Run the server on standard input and output until the client says exit."""
    create_server().start_io()
    return 0


__all__ = ["BgsessionServer", "create_server", "serve"]
