"""Extraction in worker processes that die cleanly: with the run, with their parent, or alone.

- A worker that dies (the OOM killer, a crash in a parser) breaks the whole pool; the chunks it and
  the others had not finished are extracted again in the parent, one file at a time, and a file that
  fails there too is one BGS000 note (`retry`). No BrokenProcessPool traceback reaches the user.
- SIGTERM (what `timeout` and CI cancellation send) and SIGINT in the parent terminate the workers
  before the parent exits; each worker also asks the kernel (Linux) to kill it when its parent dies,
  so even a SIGKILLed parent leaves no worker blocked forever on the task queue.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import FrameType
from typing import TypeVar

from bgsession.errors import Interrupted

Item = TypeVar("Item")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1


def _worker_start() -> None:
    """In each worker: the parent handles Ctrl-C for the run; die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before prctl ran
            os._exit(1)


@contextlib.contextmanager
def _terminating_on_signals() -> Iterator[None]:
    def raise_interrupted(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous = None
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        previous = signal.signal(signal.SIGTERM, raise_interrupted)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers now (they may be mid-file), then let the pool's threads wind down."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _threads() -> int:
    """This process's OS threads, those `threading` does not know of included (pytest-xdist's execnet
    channel is one); without /proc, the threads `threading` knows of."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def _start_method(available: list[str]) -> str:
    """fork (a worker starts in microseconds, with everything imported) when this process has one
    thread; a forked child of a process with several holds every lock another thread held at the fork,
    forever, and the first import or write that wants one hangs the run. Such a process (a test runner,
    an embedding host) starts workers from a fork server, one thread with the extractor preloaded: Python
    3.14 made that the default for the same reason."""
    if "fork" in available and _threads() <= 1:
        return "fork"
    if "forkserver" in available:
        return "forkserver"
    return "spawn"


def extract_in_workers(
    work: Sequence[Item],
    jobs: int,
    run_chunk: Callable[[list[Item]], list[Result]],
    retry: Callable[[Item], Result],
) -> list[Result]:
    """`run_chunk` over chunks of `work` in `jobs` worker processes; results in the order of `work`."""
    import multiprocessing

    # Several chunks per worker balance the load: a few large files can make one chunk slow.
    size = max(1, len(work) // (jobs * 4))
    chunks = [list(work[start : start + size]) for start in range(0, len(work), size)]
    method = _start_method(multiprocessing.get_all_start_methods())
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # The server imports the extractor once; each worker it forks starts with it.
        context.set_forkserver_preload([run_chunk.__module__])
    results: list[list[Result] | None] = [None] * len(chunks)
    with _terminating_on_signals():
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context, initializer=_worker_start)
        try:
            futures: list[Future[list[Result]]] = [pool.submit(run_chunk, chunk) for chunk in chunks]
            for index, future in enumerate(futures):
                try:
                    results[index] = future.result()
                except BrokenProcessPool:
                    break  # a worker died: the rest is done below, in this process
        except BaseException:
            _stop(pool)
            raise
        # Chunks already finished keep their results even after the pool broke.
        for index, future in enumerate(futures):
            if results[index] is None and future.done() and not future.cancelled() and future.exception() is None:
                results[index] = future.result()
        if any(result is None for result in results):
            _stop(pool)
        else:
            pool.shutdown(wait=True)
    out: list[Result] = []
    for chunk, result in zip(chunks, results, strict=True):
        out.extend(result if result is not None else [retry(item) for item in chunk])
    return out
