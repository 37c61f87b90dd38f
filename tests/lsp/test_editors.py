"""The README's language-server setups, run in the real editors: Neovim headless and Emacs with eglot,
each with the snippet read from the README, against `bgsession lsp` on a copy of examples/PhotoBackup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_editors import _env, snippet
from tests.lsp.client import copy_example

# Debian's elpa-eglot (Emacs 28 has no eglot of its own).
EGLOT = next(iter(sorted(Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*"))), Path("/nonexistent/eglot"))
TIMEOUT = 180


def _editor(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("BGSESSION_REQUIRE_TOOLCHAINS") == "1":
            pytest.fail(f"{name} is not installed, and BGSESSION_REQUIRE_TOOLCHAINS=1 makes that a failure")
        pytest.skip(f"{name} is not installed (apt-get install {name}); its language-server setup cannot be run")
    return path


PROBE = """\
vim.wait(90000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or d
  table.insert(found, (d.lnum + 1) .. ':' .. (d.col + 1) .. ':' .. d.severity .. ':' .. tostring(lsp.code))
end
vim.fn.writefile(found, vim.env.PROBE_OUT)
vim.cmd('qa!')
"""


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("PhotoBackup/UploadService.swift", ["12:16:1:BGS002", "22:9:1:BGS021", "32:9:1:BGS020"]),
        ("PhotoBackup/Legacy/PBThumbnailPrefetcher.m", ["43:9:1:BGS014"]),
    ],
)
def test_neovim(tmp_path: Path, file: str, expected: list[str]) -> None:
    nvim = _editor("nvim")
    project = copy_example(tmp_path / "PhotoBackup")
    (project / ".bgsession.toml").write_text("[lint]\n", encoding="utf-8")
    init = tmp_path / "init.lua"
    init.write_text(snippet("editor: neovim-0.7"), encoding="utf-8")
    (tmp_path / "probe.lua").write_text(PROBE, encoding="utf-8")
    out = tmp_path / "found.txt"
    done = subprocess.run(
        [nvim, "--headless", "-u", str(init), "-i", "NONE", file, "-c", f"luafile {tmp_path / 'probe.lua'}"],
        cwd=project, env=_env(PROBE_OUT=str(out), XDG_STATE_HOME=str(tmp_path / "state")),
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert out.exists(), done.stderr
    # Severity 1 is vim.diagnostic.severity.ERROR; lines and columns are the CLI's.
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == expected


def test_emacs_eglot(tmp_path: Path) -> None:
    emacs = _editor("emacs")
    if not (EGLOT / "eglot.el").exists():
        if os.environ.get("BGSESSION_REQUIRE_TOOLCHAINS") == "1":
            pytest.fail("eglot is not installed (apt-get install elpa-eglot), and BGSESSION_REQUIRE_TOOLCHAINS=1")
        pytest.skip("eglot is not installed (apt-get install elpa-eglot; it is built into Emacs 29 and later)")
    project = copy_example(tmp_path / "PhotoBackup")
    # eglot serves a project: a git checkout is one.
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (tmp_path / "setup.el").write_text(snippet("editor: eglot"), encoding="utf-8")
    target = project / "PhotoBackup" / "Legacy" / "PBThumbnailPrefetcher.m"
    (tmp_path / "run.el").write_text(
        f"(add-to-list 'load-path {json.dumps(str(EGLOT))})\n"
        "(require 'eglot)\n"
        f"(load-file {json.dumps(str(tmp_path / 'setup.el'))})\n"
        f"(find-file {json.dumps(str(target))})\n"
        # eglot-ensure waits for the command loop, which a batch Emacs never runs: start it directly,
        # with the server program the snippet registered.
        "(unless (eglot-current-server) (call-interactively #'eglot))\n"
        "(let ((deadline (+ (float-time) 90)))\n"
        "  (while (and (null (flymake-diagnostics)) (< (float-time) deadline))\n"
        "    (accept-process-output nil 0.2)))\n"
        "(dolist (d (flymake-diagnostics))\n"
        '  (princ (format "%d:%s:%s\\n" (line-number-at-pos (flymake-diagnostic-beg d))'
        " (flymake-diagnostic-type d) (flymake-diagnostic-text d))))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [emacs, "--batch", "-q", "-l", str(tmp_path / "run.el")], cwd=project, env=_env(HOME=str(tmp_path)),
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("43:eglot-error:bgsession [BGS014]: the completion handler"), (
        done.stdout + done.stderr
    )


def test_the_vscode_extension_starts_the_server_for_both_languages() -> None:
    # VS Code itself is not available here: this checks the manifest and that the script parses.
    folder = Path(__file__).parents[2] / "editors" / "vscode"
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    assert manifest["main"] == "./extension.js"
    assert {"onLanguage:swift", "onLanguage:objective-c"} <= set(manifest["activationEvents"])
    script = (folder / "extension.js").read_text(encoding="utf-8")
    assert 'args: ["lsp"]' in script and '"objective-c"' in script
    node = shutil.which("node")
    if node is not None:
        subprocess.run([node, "--check", str(folder / "extension.js")], check=True)
