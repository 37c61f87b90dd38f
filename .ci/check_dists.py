"""CI: the sdist and the wheel in DIST hold every file of the package that git tracks (the grammars'
queries, the stub SDK, the templates), and the wheel nothing from outside the package."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path


def main(dist: Path) -> int:
    tracked = set(
        subprocess.run(["git", "ls-files", "bgsession"], capture_output=True, text=True, check=True).stdout.split()
    )
    [sdist] = dist.glob("bgsession-*.tar.gz")
    [wheel] = dist.glob("bgsession-*.whl")
    with tarfile.open(sdist) as archive:
        # Members are "bgsession-<version>/<path>".
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    problems = [f"{sdist.name} lacks {path}" for path in sorted(tracked - in_sdist)]
    problems += [f"{wheel.name} lacks {path}" for path in sorted(tracked - in_wheel)]
    problems += [
        f"{wheel.name} holds {path}, which is not the package"
        for path in sorted(in_wheel)
        if not path.startswith(("bgsession/", "bgsession-"))
    ]
    for problem in problems:
        print(f"check_dists: {problem}", file=sys.stderr)
    data = [path for path in tracked if not path.endswith(".py")]
    print(f"check_dists: {len(tracked)} package files ({len(data)} data files) in {sdist.name} and {wheel.name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
