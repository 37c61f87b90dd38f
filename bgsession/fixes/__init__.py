"""`bgsession lint --fix / --diff / --unsafe-fixes`: the edits that diagnostics carry, applied.

`edits` chooses which fixes of one file apply together and applies them to bytes; `disk` maps the
bytes bgsession parsed back to the bytes on disk (or says why it cannot); `parsing` is the check that
a fixed file parses no worse; `diff` renders the preview; `session` runs lint, fix, re-lint rounds.
"""

from __future__ import annotations

from bgsession.fixes.session import FixOutcome, FixRequest, fix_project

__all__ = ["FixOutcome", "FixRequest", "fix_project"]
