"""Bytes no client should send, written straight to `bgsession lsp`'s stdin: each gets an error
answer or is dropped, and the server goes on answering until it is told to exit."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from tests.lsp.client import SERVER

TIMEOUT = 60


def _frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _message(payload: dict[str, Any]) -> bytes:
    return _frame(json.dumps(payload).encode("utf-8"))


def _read(stream: IO[bytes]) -> dict[str, Any]:
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, Any] = json.loads(stream.read(length))
    return message


def _answer(stream: IO[bytes], request_id: int) -> dict[str, Any]:
    """The response to `request_id`, skipping the notifications the server sends meanwhile."""
    while True:
        message = _read(stream)
        if message.get("id") == request_id and "method" not in message:
            return message


def test_garbage_does_not_stop_the_server(tmp_path: Path) -> None:
    source = tmp_path / "A.swift"
    source.write_text("import Foundation\n", encoding="utf-8")
    with subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as server:
        # A server that stops answering fails the test instead of hanging it.
        watchdog = threading.Timer(TIMEOUT, server.kill)
        watchdog.start()
        assert server.stdin is not None and server.stdout is not None
        send = server.stdin
        send.write(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
        send.flush()
        assert "capabilities" in _answer(server.stdout, 1)["result"]
        send.write(_message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        # A body that is not JSON, one that is JSON but not JSON-RPC, an unknown method, parameters
        # of the wrong shape, a notification about a document never opened.
        send.write(_frame(b"{this is not json"))
        send.write(_message({"hello": "world"}))
        send.write(_message({"jsonrpc": "2.0", "id": 2, "method": "bgsession/nothing", "params": {}}))
        send.write(
            _message({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"textDocument": 42}})
        )
        send.write(
            _message(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": source.as_uri(), "version": 2},
                        "contentChanges": [{"text": ""}],
                    },
                }
            )
        )
        send.flush()
        assert _answer(server.stdout, 2)["error"]["code"] == -32601  # method not found
        # pygls cannot read a request whose parameters do not fit (id 3): it reports that in a window
        # message and answers the next.
        hover = {
            "textDocument": {"uri": source.as_uri()},
            "position": {"line": 0, "character": 0},
        }
        send.write(_message({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": hover}))
        send.flush()
        assert _answer(server.stdout, 4) == {"jsonrpc": "2.0", "id": 4, "result": None}
        send.write(_message({"jsonrpc": "2.0", "id": 5, "method": "shutdown"}))
        send.flush()
        assert _answer(server.stdout, 5)["result"] is None
        send.write(_message({"jsonrpc": "2.0", "method": "exit"}))
        send.flush()
        assert server.wait(TIMEOUT) == 0
        watchdog.cancel()
