"""`bgsession lint` does not load the language server's libraries (the import contract in
pyproject.toml says the same about the code; this checks the running command)."""

from __future__ import annotations

import subprocess
import sys

from tests.cli.helpers import REPO

PROBE = """\
import sys
from bgsession.cli import main
main(["lint", "--no-cache", "--quiet", sys.argv[1]])
print(sorted(name for name in sys.modules if name.split(".")[0] in ("pygls", "lsprotocol", "cattrs")))
"""


def test_lint_never_imports_pygls() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(REPO / "examples" / "PhotoBackup")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.stdout.splitlines()[-1] == "[]", done.stderr
