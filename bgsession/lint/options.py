"""What a project tells the linter about its own code, from `.bgsession.toml`.

These change what extraction concludes (a closure passed to `executeOnMain` runs on the main thread;
a session made inside `cachedSession { ... }` is made once), so they are part of the facts cache key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LintOptions:
    # Functions or methods that run the closure (or block) they are given on the main thread.
    main_helpers: frozenset[str] = frozenset()
    # Functions or methods that run the closure they are given once and keep its result.
    memo_helpers: frozenset[str] = frozenset()

    def fingerprint(self) -> str:
        return f"main={','.join(sorted(self.main_helpers))};memo={','.join(sorted(self.memo_helpers))}"
