"""Run `bgsession` in this process and record, with an audit hook, every file it opens, every folder
it lists and every file-system change it makes; the log goes to the JSON file named first."""

from __future__ import annotations

import json
import os
import sys

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {
    "os.mkdir": "write",
    "os.rename": "write",
    "os.remove": "write",
    "os.rmdir": "write",
    "os.chmod": "write",
    "os.utime": "write",
    "os.truncate": "write",
    "os.symlink": "write",
    "os.link": "write",
    "tempfile.mkstemp": "write",
    "tempfile.mkdtemp": "write",
    "os.listdir": "list",
    "os.scandir": "list",
}
log: list[tuple[str, str]] = []
recording = True


def _path(value: object) -> str | None:
    if isinstance(value, (str, bytes, os.PathLike)):
        name = os.fsdecode(value)
        return os.path.normpath(os.path.abspath(name or "."))
    return None  # a descriptor: the open that made it was recorded


def hook(event: str, args: tuple[object, ...]) -> None:
    if not recording:
        return
    if event == "open" and args:
        path = _path(args[0])
        mode = args[1] if len(args) > 1 else None
        flags = args[2] if len(args) > 2 else 0
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if path is not None:
            log.append(("write" if writing else "read", path))
    elif event in _CHANGES:
        for value in args[:2] if event in ("os.rename", "os.symlink", "os.link") else args[:1]:
            path = _path(value)
            if path is not None:
                log.append((_CHANGES[event], path))


sys.addaudithook(hook)
from bgsession.cli import main  # noqa: E402

status = main(sys.argv[2:])
recording = False
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(log, out)
sys.exit(status)
