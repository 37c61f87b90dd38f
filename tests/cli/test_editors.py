"""The README's editor, Xcode and CI setups, run as written: each snippet is read from the README."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import DOWNLOADER, REPO, write_app

# The editors run one at a time: ALE and Flymake lint asynchronously and are waited for with a
# deadline, which a second editor starting on the other core would only make tighter.
pytestmark = pytest.mark.xdist_group("editors")

README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = str(Path(sys.executable).parent)


def snippet(marker: str) -> str:
    block = README.split(f"<!-- {marker} -->\n```", 1)[1]
    return block.split("\n", 1)[1].split("\n```\n", 1)[0] + "\n"


def _env(**extra: str) -> dict[str, str]:
    # The snippets call `bgsession`; the test environment's copy is first on PATH.
    return {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), **extra}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed; this editor setup cannot be exercised here")
    return path


def test_xcode_run_script_with_input_files(tmp_path: Path) -> None:
    project = write_app(tmp_path / "App")
    script = tmp_path / "phase.sh"
    script.write_text(snippet("editor: xcode"), encoding="utf-8")
    env = _env(
        SRCROOT=str(tmp_path),
        SCRIPT_INPUT_FILE_COUNT="2",
        SCRIPT_INPUT_FILE_0=str(project / "Downloader.swift"),
        SCRIPT_INPUT_FILE_1=str(project / "AppDelegate.swift"),
    )
    done = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.stdout.startswith(f"{project / 'Downloader.swift'}:12:9: warning: ")
    assert done.returncode == 1


def test_xcode_run_script_with_a_file_list_and_srcroot(tmp_path: Path) -> None:
    project = write_app(tmp_path / "App")
    listing = tmp_path / "Lint.xcfilelist"
    listing.write_text("# files to lint\n$(SRCROOT)/App/Downloader.swift\n", encoding="utf-8")
    script = tmp_path / "phase.sh"
    script.write_text(snippet("editor: xcode"), encoding="utf-8")
    env = _env(SRCROOT=str(tmp_path), SCRIPT_INPUT_FILE_LIST_COUNT="1", SCRIPT_INPUT_FILE_LIST_0=str(listing))
    done = subprocess.run(["bash", str(script)], cwd="/", env=env, capture_output=True, text=True, check=False)
    assert done.stdout.startswith(f"{project / 'Downloader.swift'}:12:9: warning: ")
    only_srcroot = _env(SRCROOT=str(tmp_path))
    done = subprocess.run(["bash", str(script)], cwd="/", env=only_srcroot, capture_output=True, text=True, check=False)
    assert "App/Downloader.swift:12:9: warning: " in done.stdout


def test_vim_quickfix(tmp_path: Path) -> None:
    vim = _tool("vim")
    write_app(tmp_path)
    settings = tmp_path / "bgsession.vim"
    settings.write_text(snippet("editor: vim").replace("setlocal", "set"), encoding="utf-8")
    out = tmp_path / "qf.txt"
    command = [
        vim, "-N", "-u", "NONE", "-i", "NONE", "-es", "Downloader.swift",
        "-c", f"source {settings}", "-c", "silent make",
        "-c", "call writefile(map(getqflist(), {_, v -> bufname(v.bufnr) . ':' . v.lnum . ':' . v.col . ':' . v.type})"
        f", '{out}')",
        "-c", "qa!",
    ]  # fmt: skip
    subprocess.run(command, cwd=tmp_path, env=_env(), capture_output=True, timeout=120, check=False)
    assert out.read_text(encoding="utf-8").splitlines() == ["Downloader.swift:12:9:w"]


def test_vim_ale(tmp_path: Path) -> None:
    # Debian's vim-ale package, or a checkout of dense-analysis/ale named by BGSESSION_ALE_DIR.
    ale = os.environ.get("BGSESSION_ALE_DIR") or "/usr/share/vim-ale"
    if not (Path(ale) / "plugin" / "ale.vim").exists():
        pytest.skip("ALE is not installed (apt-get install vim-ale); the ALE setup cannot be exercised here")
    vim = _tool("vim")
    (tmp_path / "D.swift").write_text(DOWNLOADER, encoding="utf-8")
    (tmp_path / "bgsession.vim").write_text(snippet("editor: ale"), encoding="utf-8")
    (tmp_path / "vimrc").write_text(
        f"set nocompatible\nset runtimepath^={ale}\nfiletype plugin on\n"
        "let g:ale_linters = {'swift': ['bgsession']}\nruntime plugin/ale.vim\n"
        f"source {tmp_path / 'bgsession.vim'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "ale.txt"
    command = [
        vim, "-N", "-u", str(tmp_path / "vimrc"), "-i", "NONE", "-es", "D.swift",
        "-c", "set filetype=swift", "-c", "ALELint", "-c", "sleep 4",
        "-c", "call writefile(map(ale#engine#GetLoclist(bufnr('')), {_, v -> v.lnum . ':' . v.type . ':' . v.code})"
        f", '{out}')",
        "-c", "qa!",
    ]  # fmt: skip
    subprocess.run(command, cwd=tmp_path, env=_env(), capture_output=True, timeout=120, check=False)
    assert out.read_text(encoding="utf-8").splitlines() == ["12:W:BGS022"]


def test_emacs_flymake_backend(tmp_path: Path) -> None:
    emacs = _tool("emacs")
    (tmp_path / "D.swift").write_text(DOWNLOADER, encoding="utf-8")
    (tmp_path / "bgsession-flymake.el").write_text(snippet("editor: emacs"), encoding="utf-8")
    (tmp_path / "run.el").write_text(
        f'(load-file "{tmp_path / "bgsession-flymake.el"}")\n'
        f'(find-file "{tmp_path / "D.swift"}")\n'
        "(defvar got nil)\n"
        "(bgsession-flymake (lambda (diagnostics &rest _) (setq got diagnostics)))\n"
        "(while (process-live-p bgsession--flymake-process) (accept-process-output nil 0.1))\n"
        "(accept-process-output nil 0.5)\n"
        '(dolist (d got) (princ (format "%d:%s\\n" (line-number-at-pos (flymake-diagnostic-beg d))'
        " (flymake-diagnostic-type d))))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [emacs, "--batch", "-Q", "-l", str(tmp_path / "run.el")], env=_env(), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.stdout.splitlines() == ["12::warning"], done.stderr


def test_emacs_compilation_mode_reads_the_format(tmp_path: Path) -> None:
    emacs = _tool("emacs")
    write_app(tmp_path)
    output = subprocess.run(
        [sys.executable, "-m", "bgsession", "lint", "--no-progress", "."], cwd=tmp_path, env=_env(),
        capture_output=True, text=True, check=False,
    ).stdout.splitlines()[0]  # fmt: skip
    # Compilation mode parses the line into a message: file, line, column, and 1 for a warning.
    probe = (
        "(progn (require 'compile) (with-temp-buffer (insert " + json.dumps(output + "\n") + ")"
        " (compilation-mode) (compilation--ensure-parse (point-max)) (goto-char (point-min))"
        " (let* ((msg (get-text-property (point) 'compilation-message)) (loc (compilation--message->loc msg)))"
        ' (princ (format "%s|%s|%s|%s" (caar (compilation--loc->file-struct loc)) (compilation--loc->line loc)'
        " (compilation--loc->col loc) (compilation--message->type msg))))))"
    )
    done = subprocess.run([emacs, "--batch", "-Q", "--eval", probe], capture_output=True, text=True, check=False)
    assert done.stdout == "./Downloader.swift|12|9|1", done.stderr


def test_vscode_problem_matcher(tmp_path: Path) -> None:
    node = _tool("node")
    write_app(tmp_path)
    tasks = json.loads(snippet("editor: vscode"))
    task = tasks["tasks"][0]
    done = subprocess.run(
        task["command"], shell=True, cwd=tmp_path, env=_env(), capture_output=True, text=True, check=False
    )
    pattern = task["problemMatcher"]["pattern"]
    script = (
        "const p = JSON.parse(process.argv[1]); const re = new RegExp(p.regexp);"
        "for (const line of process.argv[2].split('\\n')) { const m = re.exec(line); if (m)"
        " console.log([m[p.file], m[p.line], m[p.column], m[p.severity], m[p.code]].join('|')); }"
    )
    matched = subprocess.run(
        [node, "-e", script, json.dumps(pattern), done.stdout], capture_output=True, text=True, check=False
    )
    assert matched.stdout.splitlines() == ["./Downloader.swift|12|9|warning|BGS022"]


def test_pre_commit_hook_entry(tmp_path: Path) -> None:
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^  entry: (.+)$", hooks, re.MULTILINE)
    assert entry is not None and "pass_filenames: false" in hooks
    write_app(tmp_path)
    done = subprocess.run(
        entry.group(1), shell=True, cwd=tmp_path, env=_env(), capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "[BGS022 data-task-in-background]" in done.stdout
