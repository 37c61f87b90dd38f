"""`python -m bgsession`."""

from __future__ import annotations

from bgsession.cli import run

if __name__ == "__main__":
    run()
