"""Item 20 (second half): the second pass is linear in the bytes, whatever the number of wanted names.

redteam/20: 20,000 constant names over 5,000 files took 136 s (every name tested against every file).
"""

from __future__ import annotations

import time

from bgsession.lint.prefilter import _finder


def test_many_names_over_many_files_is_linear() -> None:
    names = {f"Konst{index}" for index in range(20_000)}
    files = [f"let x{index} = {index}\nlet y = Konst{index * 7}\n".encode() for index in range(5_000)]
    has_name = _finder(names)
    start = time.perf_counter()
    found = sum(map(has_name, files))
    assert time.perf_counter() - start < 2
    assert found == sum(1 for index in range(5_000) if index * 7 < 20_000)


def test_whole_words_only_as_before() -> None:
    for names in ({"Konst"}, {f"Name{index}" for index in range(100)} | {"Konst"}):
        has_name = _finder(names)
        assert has_name(b"let a = Konst\n") and has_name(b"Konst.x") and has_name(b"(Konst)")
        assert not has_name(b"let a = Konstant\n") and not has_name(b"MyKonst") and not has_name(b"")
    assert not _finder(set())(b"anything")
