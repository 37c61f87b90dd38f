"""`bgsession lsp` end to end: a real client (pytest-lsp) talks to the server over stdio."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

import bgsession
from tests.lsp.client import (
    SERVER,
    RecordingClient,
    apply,
    change_file,
    codes,
    copy_example,
    edits_of,
    make_client,
    open_file,
    published,
    wait_until,
)

pytestmark = pytest.mark.asyncio(loop_scope="function")

CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: RecordingClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A client with Neovim 0.7's capabilities (pushed diagnostics, UTF-16 columns), rooted at a copy
    of examples/PhotoBackup."""
    project = copy_example(tmp_path / "PhotoBackup")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("neovim@v0.7.0"),
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="PhotoBackup")],
        )
    )
    yield
    await lsp_client.shutdown_session()


SWIFT = Path("PhotoBackup/UploadService.swift")
OBJC = Path("PhotoBackup/Legacy/PBThumbnailPrefetcher.m")


async def test_diagnostics_of_a_buggy_swift_and_objective_c_file(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    swift = open_file(client, root / SWIFT)
    found = await published(client, swift, 1)
    # Lines and columns as the CLI prints them (12:16, 22:9, 32:9), 0-based for LSP.
    assert codes(found) == [("BGS002", 11, 15), ("BGS020", 31, 8), ("BGS021", 21, 8)]
    assert {d.source for d in found} == {"bgsession"}
    assert all(d.severity == types.DiagnosticSeverity.Error for d in found)
    objc = open_file(client, root / OBJC)
    found = await published(client, objc, 1)
    assert codes(found) == [("BGS014", 42, 8)]
    assert found[0].code_description is not None and found[0].code_description.href.startswith("https://")


async def test_disable_for_this_line_clears_the_finding(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    text = (root / SWIFT).read_text(encoding="utf-8")
    uri = open_file(client, root / SWIFT, text)
    found = await published(client, uri, 1)
    upload = next(d for d in found if d.code == "BGS021")
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=upload.range,
            context=types.CodeActionContext(diagnostics=[upload]),
        )
    )
    assert result is not None
    titles = [action.title for action in result if isinstance(action, types.CodeAction)]
    assert "Disable BGS021 for this line" in titles and "Disable BGS021 in this file" in titles
    action = next(a for a in result if isinstance(a, types.CodeAction) and a.title == "Disable BGS021 for this line")
    assert action.kind == types.CodeActionKind.QuickFix
    text = apply(text, edits_of(action, uri))
    assert (
        "        // bgsession:disable-next-line BGS021\n        session.uploadTask(with: request, from: photo)" in text
    )
    change_file(client, uri, text, 2)
    found = await published(client, uri, 2)
    # Gone, and nothing new (no unused-suppression): the other findings move down one line.
    assert codes(found) == [("BGS002", 11, 15), ("BGS020", 32, 8)]


async def test_disable_in_this_file_for_objective_c(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    text = (root / OBJC).read_text(encoding="utf-8")
    uri = open_file(client, root / OBJC, text)
    found = await published(client, uri, 1)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    assert result is not None
    action = next(a for a in result if isinstance(a, types.CodeAction) and a.title == "Disable BGS014 in this file")
    text = apply(text, edits_of(action, uri))
    assert text.startswith("// bgsession:disable-file BGS014\n")
    change_file(client, uri, text, 2)
    assert await published(client, uri, 2) == []


async def test_the_workspace_gives_the_project_facts(client: RecordingClient, tmp_path: Path) -> None:
    # Thumbnails.swift alone is clean; with the folder around it, Downloads.swift uses the same
    # identifier through a constant defined in a third file.
    fixture = Path(__file__).parents[1] / "fixtures" / "BGS001" / "bad_constant_across_files"
    root = tmp_path / "PhotoBackup"
    target = root / "PhotoBackup" / "Across"
    target.mkdir()
    for source in fixture.iterdir():
        (target / source.name).write_bytes(source.read_bytes())
    uri = open_file(client, target / "Thumbnails.swift")
    found = await published(client, uri, 1)
    assert codes(found) == [("BGS001", 6, 23)]
    assert str(target / "Downloads.swift") in found[0].message


async def test_unsaved_text_is_linted_in_place_of_the_file(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    text = (root / SWIFT).read_text(encoding="utf-8")
    uri = open_file(client, root / SWIFT, text)
    await published(client, uri, 1)
    fixed = text.replace("from: photo)", "fromFile: URL(fileURLWithPath: name))")
    change_file(client, uri, fixed, 2)
    assert codes(await published(client, uri, 2)) == [("BGS002", 11, 15), ("BGS020", 31, 8)]
    assert (root / SWIFT).read_text(encoding="utf-8") == text  # nothing written


async def test_hover_shows_the_rule_and_the_trace(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    uri = open_file(client, root / OBJC)
    found = await published(client, uri, 1, traced=True)
    assert found[0].related_information is not None
    steps = [info.message for info in found[0].related_information]
    assert any("handleEvents stores the completion handler" in step for step in steps)
    assert all(info.location.range == found[0].range for info in found[0].related_information)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=found[0].range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**BGS014 handler-off-main-thread** (error)")
    assert "](https://developer.apple.com/" in hover.contents.value
    assert "bgsession rule BGS014" in hover.contents.value
    # Run from a checkout (as here, where `python -m bgsession` finds the package beside the tests),
    # the rule's own page is linked too; an installed wheel has no docs folder to link.
    page = Path(__file__).parents[2] / "docs" / "rules" / "BGS014.md"
    if Path(bgsession.__file__).resolve().is_relative_to(page.parents[2]):
        assert f"[docs/rules/BGS014.md]({page.as_uri()})" in hover.contents.value
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)
        )
    )
    assert nothing is None


async def test_a_broken_configuration_is_one_message(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    (root / ".bgsession.toml").write_text('[lint]\nselect = ["BGS999"]\n', encoding="utf-8")
    uri = open_file(client, root / SWIFT)
    found = await published(client, uri, 1)
    # The defaults meanwhile: the findings are still shown.
    assert [code for code, _, _ in codes(found)] == ["BGS002", "BGS020", "BGS021"]
    await wait_until(client, lambda: bool(client.shown))
    assert ".bgsession.toml:2" in client.shown[0].message and client.shown[0].type == types.MessageType.Error
    change_file(client, uri, (root / SWIFT).read_text(encoding="utf-8") + "\n", 2)
    await published(client, uri, 2)
    assert len(client.shown) == 1
    # Fixed and announced: the configuration counts again.
    (root / ".bgsession.toml").write_text('[lint]\nignore = ["BGS002"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(root / ".bgsession.toml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(
        client, lambda: sorted(str(d.code) for d in client.diagnostics.get(uri, [])) == ["BGS020", "BGS021"]
    )
    assert len(client.shown) == 1


async def test_odd_requests_and_a_deleted_file_do_not_stop_it(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    uri = open_file(client, root / SWIFT)
    await published(client, uri, 1)
    # A request about a document that is not open, and one whose range is past the end of the file.
    assert (
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=(root / "nothing.swift").as_uri()),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        is None
    )
    far = types.Position(line=10_000, character=10_000)
    await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=far, end=far),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    # The file is deleted on disk while open (and the deletion announced): the buffer is still linted.
    (root / SWIFT).unlink()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Deleted)])
    )
    change_file(client, uri, "import Foundation\n", 2)
    assert await published(client, uri, 2) == []
    # Then the whole folder goes.
    shutil.rmtree(root)
    change_file(client, uri, "import Foundation\nlet x = 1\n", 3)
    assert await published(client, uri, 3) == []
    assert client.error is None
    # The server is still answering.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)
        )
    )
    assert hover is None


FIXING = ClientServerConfig(
    server_command=[sys.executable, "-m", "tests.lsp.server_with_fixes"], client_factory=make_client
)


@pytest_lsp.fixture(config=FIXING)
async def fixing(lsp_client: RecordingClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A VS Code client against the server with one test-only fix (tests/lsp/server_with_fixes.py)."""
    project = copy_example(tmp_path / "PhotoBackup")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="PhotoBackup")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _actions(
    client: RecordingClient, uri: str, where: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]


async def test_a_fix_is_a_preferred_quick_fix_that_clears_the_finding(fixing: RecordingClient, tmp_path: Path) -> None:
    path = tmp_path / "PhotoBackup" / SWIFT
    text = path.read_text(encoding="utf-8")
    uri = open_file(fixing, path, text)
    found = await published(fixing, uri, 1)
    upload = next(d for d in found if d.code == "BGS021")
    actions = await _actions(fixing, uri, upload.range)
    assert (actions[0].title, actions[0].is_preferred) == ("Upload from a file", True)
    # VS Code watches files when asked: the configuration and the sources.
    watched = [r.register_options for r in fixing.registered if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert watched and {"globPattern": "**/.bgsession.toml"} in watched[0]["watchers"]  # type: ignore[index]
    fixed = apply(text, edits_of(actions[0], uri))
    assert "session.uploadTask(with: request, fromFile: URL(fileURLWithPath: name)).resume()" in fixed
    change_file(fixing, uri, fixed, 2)
    assert codes(await published(fixing, uri, 2)) == [("BGS002", 11, 15), ("BGS020", 31, 8)]


async def test_fix_all_applies_the_safe_fixes(fixing: RecordingClient, tmp_path: Path) -> None:
    path = tmp_path / "PhotoBackup" / SWIFT
    text = path.read_text(encoding="utf-8")
    uri = open_file(fixing, path, text)
    await published(fixing, uri, 1)
    everywhere = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    actions = await _actions(fixing, uri, everywhere, only=["source.fixAll"])
    assert [(a.title, a.kind) for a in actions] == [("bgsession: fix all safe findings", "source.fixAll.bgsession")]
    change_file(fixing, uri, apply(text, edits_of(actions[0], uri)), 2)
    assert [code for code, _, _ in codes(await published(fixing, uri, 2))] == ["BGS002", "BGS020"]
    assert await _actions(fixing, uri, everywhere, only=["source.fixAll"]) == []


def _pulling() -> types.ClientCapabilities:
    """VS Code's capabilities, pulling diagnostics and offering UTF-8 positions after UTF-16."""
    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.text_document is not None
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(related_document_support=True)
    capabilities.general = types.GeneralClientCapabilities(position_encodings=["utf-16", "utf-8"])
    assert capabilities.workspace is not None
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return capabilities


@pytest_lsp.fixture(config=CONFIG)
async def pulling(lsp_client: RecordingClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    project = copy_example(tmp_path / "PhotoBackup")
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=_pulling(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="PhotoBackup")],
        )
    )
    assert result.capabilities.position_encoding == "utf-8"
    assert result.capabilities.diagnostic_provider is not None
    yield
    await lsp_client.shutdown_session()


async def test_pulled_diagnostics_in_utf8_columns(pulling: RecordingClient, tmp_path: Path) -> None:
    path = tmp_path / "PhotoBackup" / SWIFT
    text = path.read_text(encoding="utf-8").replace(
        "        session.uploadTask(with: request, from: photo)",
        '        _ = "é"; session.uploadTask(with: request, from: photo)',
    )
    uri = open_file(pulling, path, text)
    report = await pulling.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    # `_ = "é"; ` is 10 bytes (9 UTF-16 units): the column is counted in bytes, as negotiated.
    assert codes(list(report.items)) == [("BGS002", 11, 15), ("BGS020", 31, 8), ("BGS021", 21, 18)]
    # A client that pulls is not also pushed to (it would show every finding twice).
    assert pulling.published == []


async def test_a_burst_of_changes_is_one_lint(client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "PhotoBackup"
    text = (root / SWIFT).read_text(encoding="utf-8")
    uri = open_file(client, root / SWIFT, text)
    await published(client, uri, 1)
    for version in range(2, 7):
        change_file(client, uri, text + "\n" * version, version)
    await published(client, uri, 6)
    # The keystrokes came faster than the debounce: only the last text was linted.
    assert [p.version for p in client.published if p.uri == uri and p.version in range(2, 6)] == []


async def test_a_workspace_folder_added_later_brings_its_facts(client: RecordingClient, tmp_path: Path) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "BGS001" / "bad_constant_across_files"
    other = tmp_path / "Other"
    other.mkdir()
    for source in fixture.iterdir():
        (other / source.name).write_bytes(source.read_bytes())
    uri = open_file(client, other / "Thumbnails.swift")
    # Outside every folder the file is linted alone, and alone it is clean.
    assert await published(client, uri, 1) == []
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(
                added=[types.WorkspaceFolder(uri=other.as_uri(), name="Other")], removed=[]
            )
        )
    )
    await wait_until(client, lambda: [str(d.code) for d in client.diagnostics.get(uri, [])] == ["BGS001"])


async def test_traces_survive_edits_elsewhere_and_return_on_save(client: RecordingClient, tmp_path: Path) -> None:
    path = tmp_path / "PhotoBackup" / OBJC
    text = path.read_text(encoding="utf-8")
    uri = open_file(client, path, text)
    await published(client, uri, 1, traced=True)
    # An edit below the finding leaves it as it was: its trace is kept without exploring again.
    change_file(client, uri, text + "\n", 2)
    assert (await published(client, uri, 2))[0].related_information
    # A line above moves it: the fast lint has no trace for it until the file is saved.
    moved = "\n" + text
    change_file(client, uri, moved, 3)
    found = await published(client, uri, 3)
    assert codes(found) == [("BGS014", 43, 8)] and not found[0].related_information
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert (await published(client, uri, 3, traced=True))[0].related_information


async def test_typing_right_after_opening_still_gets_the_trace(client: RecordingClient, tmp_path: Path) -> None:
    path = tmp_path / "PhotoBackup" / OBJC
    text = path.read_text(encoding="utf-8")
    uri = open_file(client, path, text)
    change_file(client, uri, "\n" + text, 2)
    found = await published(client, uri, 2, traced=True)
    assert codes(found) == [("BGS014", 43, 8)]


async def test_a_pulling_client_is_asked_to_pull_again_when_the_configuration_changes(
    pulling: RecordingClient, tmp_path: Path
) -> None:
    root = tmp_path / "PhotoBackup"
    uri = open_file(pulling, root / SWIFT)
    params = types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    first = await pulling.text_document_diagnostic_async(params)
    assert len(first.items) == 3  # type: ignore[union-attr]
    before = pulling.diagnostic_refresh_count
    (root / ".bgsession.toml").write_text('[lint]\nignore = ["BGS002"]\n', encoding="utf-8")
    pulling.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(root / ".bgsession.toml").as_uri(), type=types.FileChangeType.Created)]
        )
    )

    async def refreshed() -> None:
        while pulling.diagnostic_refresh_count == before:
            await asyncio.sleep(0.1)

    await asyncio.wait_for(refreshed(), 60)
    again = await pulling.text_document_diagnostic_async(params)
    assert sorted(str(d.code) for d in again.items) == ["BGS020", "BGS021"]  # type: ignore[union-attr]
