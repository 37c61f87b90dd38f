"""What is already in the project that generated code would collide with.

An Objective-C category that implements `application:handleEventsForBackgroundURLSession:completionHandler:`
on a class that already implements it (in its @implementation or another category) replaces one of
the two at random: the runtime keeps whichever it loads last, and clang says nothing. The generator
looks for such an implementation in the project before writing its category, and refuses.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from bgsession.gen.marker import PREFIX
from bgsession.gen.render import GeneratedFile
from bgsession.gen.spec import GenSpec, SpecError

SELECTOR = "application:handleEventsForBackgroundURLSession:completionHandler:"
_SKIPPED_FOLDERS = {"build", "DerivedData", "Pods", "Carthage", "node_modules", ".build"}
_MAX_BYTES = 2 * 1024 * 1024
_MAX_FILES = 20_000
_BLOCK = re.compile(r"@implementation\s+([A-Za-z_]\w*)\s*(?:\(\s*(\w*)\s*\))?(.*?)@end", re.DOTALL)
_METHOD = re.compile(
    r"^[ \t]*-\s*\(\s*void\s*\)\s*application\s*:[^;{]*?handleEventsForBackgroundURLSession\s*:[^;{]*\{", re.MULTILINE
)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


def existing_handle_events(root: Path, class_name: str, generated: set[str]) -> tuple[Path, int] | None:
    """The first Objective-C implementation of the handleEvents method for `class_name` under `root`
    (file and line), skipping files bgsession generated and the usual build folders."""
    seen = 0
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in _SKIPPED_FOLDERS)
        for name in sorted(names):
            if not name.endswith((".m", ".mm")) or name in generated:
                continue
            seen += 1
            if seen > _MAX_FILES:
                return None
            path = Path(folder) / name
            found = _implementation_line(path, class_name)
            if found is not None:
                return path, found
    return None


def _implementation_line(path: Path, class_name: str) -> int | None:
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if PREFIX in text or "handleEventsForBackgroundURLSession" not in text:
        return None
    # Blank comments, keeping offsets, so a commented-out method is not an implementation.
    blanked = _COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for block in _BLOCK.finditer(blanked):
        if block.group(1) != class_name:
            continue
        method = _METHOD.search(block.group(3))
        if method is not None:
            return blanked.count("\n", 0, block.start(3) + method.start()) + 1
    return None


def refuse_second_handle_events(spec: GenSpec, root: Path, files: list[GeneratedFile]) -> None:
    """Raise when the app delegate already implements handleEvents somewhere in the project."""
    found = existing_handle_events(root, spec.app_delegate, {generated.name for generated in files})
    if found is None:
        return
    path, line = found
    raise SpecError(
        f"{path}:{line}: {spec.app_delegate} already implements {SELECTOR}; the generated category would "
        "replace one of the two at random. Call the generated code from yours instead (bgsession gen "
        "--lang objc --snippet handle-events) or remove yours"
    )
