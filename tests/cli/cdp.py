"""Headless Chromium driven through its DevTools protocol (CDP) over one websocket: just what the HTML
report's tests need (open a page, collect console errors, evaluate an expression, take a screenshot)."""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from types import TracebackType
from typing import Any

from websockets.sync.client import ClientConnection, connect

# Debian's package installs `chromium`; other systems name it differently.
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_START_TIMEOUT = 60.0
_REPLY_TIMEOUT = 60.0


def find_chromium() -> str | None:
    chosen = os.environ.get("BGSESSION_CHROMIUM")
    if chosen:
        return chosen
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One headless browser with one page, attached over a flattened CDP session."""

    def __init__(self, executable: str, profile: Path) -> None:
        self._profile = profile
        args = [
            executable,
            "--headless=new",
            # Tests run as root in CI containers, where Chromium's sandbox cannot start.
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "--window-size=1280,1600",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self._stack = ExitStack()
        self._socket: ClientConnection | None = None
        try:
            self._socket = self._stack.enter_context(
                connect(self._browser_url(), max_size=None, open_timeout=_START_TIMEOUT)
            )
            target = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
            attached = self.call("Target.attachToTarget", targetId=target["targetId"], flatten=True)
            self._session: str | None = attached["sessionId"]
        except BaseException:
            self.close()
            raise

    def _browser_url(self) -> str:
        """Chromium writes its port and browser path to DevToolsActivePort once it listens."""
        marker = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited with status {self._process.returncode} before listening")
            if marker.exists():
                lines = marker.read_text(encoding="utf-8").split()
                if len(lines) >= 2:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port in time")

    def call(self, method: str, *, page: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply, keeping the events that arrive meanwhile."""
        message: dict[str, Any] = {"id": next(self._ids), "method": method, "params": params}
        if page:
            message["sessionId"] = self._session
        self._connection().send(json.dumps(message))
        deadline = time.monotonic() + _REPLY_TIMEOUT
        while True:
            reply = json.loads(self._connection().recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def _connection(self) -> ClientConnection:
        if self._socket is None:
            raise RuntimeError("not connected to chromium")
        return self._socket

    def wait_for(self, event: str) -> dict[str, Any]:
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        deadline = time.monotonic() + _REPLY_TIMEOUT
        while True:
            message = json.loads(self._connection().recv(timeout=max(deadline - time.monotonic(), 0.01)))
            self.events.append(message)
            if message.get("method") == event:
                return message

    def open(self, url: str) -> None:
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", page=True)
        self.events.clear()
        self.call("Page.navigate", page=True, url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", page=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def console_errors(self) -> list[str]:
        """Errors the page reported: console.error, uncaught exceptions, and the browser's own log
        (a blocked resource, a content-security-policy violation)."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(" ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"]))
            elif method == "Runtime.exceptionThrown":
                errors.append(str(params["exceptionDetails"].get("text")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(str(params["entry"].get("text")))
        return errors

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", page=True, format="png")["data"])

    def close(self) -> None:
        try:
            if self._socket is not None:
                # The browser may close the socket before it replies.
                with suppress(Exception):
                    self.call("Browser.close")
            self._stack.close()
        finally:
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
