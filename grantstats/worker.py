"""Parsing in worker processes with memory and time limits: a file that blows up a reader ends only its worker.

    with ParsePool() as pool:
        for path, outcome in pool.parse_many(paths):   # in input order
            if isinstance(outcome, ReadError): ...     # refused: one line naming the file
            else: layout, reports = outcome

Each worker checks a file (`safety.check_file`) and then reads it (`readers.read_reports` by default). Workers
are reused and sent files in chunks. A worker has an address-space cap (RLIMIT_AS), a CPU-time cap per file
(RLIMIT_CPU, for native code that spins) and an alarm per file (for Python code that spins); it runs at a lower
priority and its stderr goes nowhere (a native crash prints a backtrace there). When a worker dies, the files
it held are run again one at a time in a fresh pool, so only the file that kills a worker is refused.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import signal
import sys
import tempfile
import threading
import time
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from grantstats.model import ReadError
from grantstats.refusals import refusal
from grantstats.safety import Limits, check_file, ensure_defused_xml

log = logging.getLogger(__name__)

DEFAULT_WORKERS = 2
MAX_CHUNK = 32  # files sent to a worker at once
GRACE_S = 5.0  # added to the time limit before the parent gives up on a worker
WORKER_NICE = 10  # parsing yields the CPU to the dashboard
PRELOAD = ["grantstats.forkserver_guard", "grantstats.readers", "grantstats.readers.grid", "grantstats.readers.registry",
           "grantstats.readers.tidy", "grantstats.readers.form", "grantstats.safety", "grantstats.findings.checks",
           "grantstats.catalog", "grantstats.realign", "grantstats.rows", "grantstats.privacy", "python_calamine",
           "grantstats.readers.word", "grantstats.readers.pdf", "pypdfium2"]

# The suffix a reader expects for each kind, when the name does not already fit what the bytes are.
SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "xlsb": (".xlsb",), "xls": (".xls",), "ods": (".ods",),
            "csv": (".csv", ".txt"), "docx": (".docx",), "pdf": (".pdf",)}

Outcome = Any  # what the reading function returns, or a ReadError


def _default_reader(path):
    from grantstats.readers import read_reports

    return read_reports(path)


def read_and_check(path):
    """`readers.read_reports` with each report's own quality findings attached (`checks.findings_for` is per
    report and pure, so the workers run it and the parent process only saves)."""
    from grantstats.findings import checks
    from grantstats.readers import read_reports

    layout, reports = read_reports(path)
    for report in reports:
        report.findings.extend(checks.findings_for(report))
    return layout, reports


def read_for_store(path):
    """`read_and_check`, made ready to save: a store.ParsedFile holding the file's table rows (not its report
    objects), its content hash and size, so the parent process only inserts."""
    from grantstats.rows import ParsedFile, file_rows, file_sha256

    layout, reports = read_and_check(path)
    real = os.path.realpath(path)  # (what Path.resolve gives, without its extra stat)
    return ParsedFile(real, os.path.basename(real), file_sha256(real), os.stat(real).st_size, layout, [],
                      file_rows(reports))


# ----------------------------------------------------------------------------------------------------------
# Inside a worker


class _Timeout(BaseException):
    """Raised by the per-file alarm; a BaseException so that a reader's `except Exception` does not swallow it."""


def _send_compactly() -> None:
    """Pickle the small model objects of a worker's results as their class and field values, so the parent
    process rebuilds each with one call (unpickling a result costs the parent about half as much)."""
    import copyreg
    import dataclasses

    from grantstats import model

    for cls in (model.Where, model.Number, model.IndicatorValue, model.ParticipantValue, model.Finding,
                model.Activity):
        fields = tuple(f.name for f in dataclasses.fields(cls))
        if all(f.init for f in dataclasses.fields(cls)):
            copyreg.pickle(cls, lambda obj, cls=cls, fields=fields: (cls, tuple(getattr(obj, n) for n in fields)))


def _init_worker(limits: Limits) -> None:
    from grantstats.process_guard import set_parent_death_signal

    set_parent_death_signal()  # a worker ends with its fork server (which ends with a killed command line)
    _send_compactly()
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cap = _address_space() + int(limits.worker_memory_mb * 1024 * 1024)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # a native out-of-memory abort prints a backtrace; the user gets one line instead
    os.close(devnull)


def _address_space() -> int:
    """Bytes of address space this process holds now (the memory cap is counted on top of it)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


@contextmanager
def _time_guard(seconds: float, hard: bool):
    """An alarm that raises _Timeout in Python code; with `hard`, RLIMIT_CPU kills the process if native code
    spins past the alarm (only ever used in a worker process)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals only reach the main thread: no guard (in-process mode from a server thread)
        return

    def ring(_signum, _frame):
        raise _Timeout()

    old_handler = signal.signal(signal.SIGALRM, ring)
    old_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    if hard:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds + GRACE_S)
        if old_cpu[1] == resource.RLIM_INFINITY or soft <= old_cpu[1]:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, old_cpu[1]))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if hard:
            resource.setrlimit(resource.RLIMIT_CPU, old_cpu)


@contextmanager
def _readable_path(path: Path, kind: str):
    """The path itself, or a link to it named with the suffix of what it really is (readers go by suffix)."""
    if path.suffix.lower() in SUFFIXES[kind]:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="grantstats-") as tmp:
        alias = Path(tmp) / (path.stem + SUFFIXES[kind][0])
        os.symlink(path.resolve(), alias)
        yield alias


def parse_file(fn: Callable | None, path: str | os.PathLike, limits: Limits, in_worker: bool = False) -> Outcome:
    """Check one file, then read it with `fn`: its result, or a ReadError (returned, not raised)."""
    fn = fn or _default_reader
    path = Path(path)
    name = path.name
    alias_name = name
    try:
        kind = check_file(path, limits)
        with _readable_path(path, kind) as readable:
            alias_name = readable.name
            with _time_guard(limits.parse_timeout_s, hard=in_worker):
                return fn(readable)
    except ReadError as exc:
        return exc.named(name, alias_name)
    except _Timeout:
        return refusal("time_limit", name, seconds=limits.parse_timeout_s)
    except MemoryError:
        return refusal("memory_limit", name, mb=limits.worker_memory_mb)
    except RecursionError:
        return refusal("nesting_limit", name)
    except Exception as exc:  # a reader's bug must not take the other files down with it
        log.info("reader failed on %s", path, exc_info=True)
        detail = (str(exc).splitlines() or [""])[0][:200]
        return refusal("reader_failed", name, error=type(exc).__name__, detail=detail)


def _parse_chunk(fn: Callable | None, paths: list[str], limits: Limits) -> list[Outcome]:
    return [parse_file(fn, p, limits, in_worker=True) for p in paths]


# ----------------------------------------------------------------------------------------------------------
# The pool, in the parent


@contextmanager
def _main_left_out(fn: Callable | None):
    """Start workers without re-running a script's __main__ in each (forkserver does that, and for the
    `streamlit` script it costs seconds a worker). Workers need nothing from it: the reading functions live in
    modules. Workers start inside submit(), so __main__ is swapped out only around those calls."""
    main = sys.modules.get("__main__")
    if (main is None or getattr(getattr(main, "__spec__", None), "name", None)
            or not getattr(main, "__file__", None) or getattr(fn, "__module__", None) == "__main__"):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _fork_server_context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_fork_server() -> None:
    """Start the workers' fork server now: it imports the readers while the caller goes on (opening the
    database, say), so the first workers fork from it ready to read."""
    _fork_server_context()
    with _main_left_out(None):
        multiprocessing.forkserver.ensure_running()


def _harvest(chunk: list[int], future, done: dict[int, Outcome]) -> bool:
    """Keep the outcomes of a chunk that finished before its pool broke; False if it had not."""
    if future.done() and not future.cancelled() and future.exception() is None:
        done.update(zip(chunk, future.result()))
        return True
    return False


class ParsePool:
    """Worker processes that check and read files under `limits`; `workers=0` reads in this process (tests)."""

    def __init__(self, limits: Limits | None = None, workers: int | None = None, fn: Callable | None = None,
                 chunk_size: int | None = None):
        ensure_defused_xml()
        self.limits = limits or Limits.from_env()
        self.workers = DEFAULT_WORKERS if workers is None else max(0, int(workers))
        if fn is not None and self.workers:
            try:
                pickle.dumps(fn)
            except Exception as exc:
                raise TypeError(f"the reading function must be importable by workers (a module-level function): "
                                f"{exc}") from None
        self.fn = fn
        self.chunk_size = chunk_size
        self._executor: ProcessPoolExecutor | None = None
        self.restarts = 0  # pools rebuilt after a worker died or hung
        self._next_ready: Callable[[], bool] = lambda: True
        self._started: tuple[list, float, deque] | None = None  # (items, when, (chunk, future)...) sent by start()

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            ctx = _fork_server_context()
            self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                                 initargs=(self.limits,))
        return self._executor

    def _submit(self, paths: list[str]):
        pool = self._pool()
        with _main_left_out(self.fn):
            return pool.submit(_parse_chunk, self.fn, paths, self.limits)

    def _discard_pool(self) -> None:
        """Kill the workers (one may be stuck) and drop the pool; the next call builds a fresh one."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        self.restarts += 1
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            try:
                process.kill()
            except Exception:
                pass
        executor.shutdown(wait=True, cancel_futures=True)

    def next_ready(self) -> bool:
        """Whether parse_many's next result is in already (or there is none), so that taking it will not wait
        for the workers; reading in this process (`workers=0`) never waits for them."""
        return self._next_ready()

    def parse_one(self, path: str | os.PathLike) -> Any:
        """The reading function's result for one file; raises its ReadError."""
        [(_, outcome)] = self.parse_many([path])
        if isinstance(outcome, ReadError):
            raise outcome
        return outcome

    def _chunks(self, n: int) -> deque[list[int]]:
        size = self.chunk_size or max(1, min(MAX_CHUNK, math.ceil(n / (self.workers * 4))))
        return deque(list(range(i, min(i + size, n))) for i in range(0, n, size))

    def start(self, paths: Iterable[str | os.PathLike]) -> None:
        """Send the first files to the workers now, so they read while the caller gets ready (imports, opens the
        database); parse_many over the same paths then goes on from there."""
        items = list(paths)
        if self.workers == 0 or not items:
            return
        sent: deque[tuple[list[int], Any]] = deque()
        todo = self._chunks(len(items))
        while todo and len(sent) < self.workers * 3:
            chunk = todo.popleft()
            try:
                sent.append((chunk, self._submit([os.path.abspath(items[i]) for i in chunk])))
            except BrokenProcessPool:
                break  # (parse_many sends the rest, and deals with a pool that will not start)
        self._started = (items, time.monotonic(), sent)

    def parse_many(self, paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Any, Outcome]]:
        """(path, result or ReadError) for each path, in input order."""
        items = list(paths)
        if self.workers == 0:
            for item in items:
                yield item, parse_file(self.fn, item, self.limits)
            return
        n = len(items)
        todo = self._chunks(n)
        window = self.workers * 3
        inflight: deque[tuple[list[int], Any]] = deque()
        head_since = time.monotonic()
        started, self._started = self._started, None
        if started is not None and started[0] == items:
            _, head_since, inflight = started
            for _ in inflight:
                todo.popleft()
        isolate: deque[int] = deque()  # files that were in a worker when it died: run again one at a time
        done: dict[int, Outcome] = {}
        next_out = 0

        def next_ready() -> bool:  # asked while the caller holds item `next_out`
            following = next_out + 1
            return following >= n or following in done or (
                not isolate and bool(inflight) and following in inflight[0][0] and inflight[0][1].done())

        self._next_ready = next_ready
        while next_out < n:
            while next_out in done:
                paused = time.monotonic()
                yield items[next_out], done.pop(next_out)
                head_since += time.monotonic() - paused  # the caller's time (saving, say) is not the workers'
                next_out += 1
            if next_out >= n:
                break
            if isolate and not inflight:
                i = isolate.popleft()
                done[i] = self._run_alone(items[i])
                continue
            if not isolate:
                while todo and len(inflight) < window:
                    chunk = todo.popleft()
                    try:
                        future = self._submit([os.path.abspath(items[i]) for i in chunk])
                    except BrokenProcessPool:
                        self._discard_pool()
                        isolate.extend(chunk)
                        continue
                    if not inflight:
                        head_since = time.monotonic()
                    inflight.append((chunk, future))
            if not inflight:
                continue
            chunk, future = inflight[0]
            budget = self.limits.parse_timeout_s * len(chunk) + GRACE_S
            try:
                outcomes = future.result(timeout=max(0.0, head_since + budget - time.monotonic()))
            except BrokenProcessPool:
                # some worker died; which file killed it is unknown: every unfinished file is run again alone
                for lost, other in inflight:
                    if not _harvest(lost, other, done):
                        isolate.extend(lost)
                inflight.clear()
                self._discard_pool()
                isolate = deque(sorted(isolate))
                continue
            except FutureTimeout:
                inflight.popleft()
                isolate.extend(chunk)
                for lost, other in reversed(inflight):
                    if not _harvest(lost, other, done):
                        todo.appendleft(lost)
                inflight.clear()
                self._discard_pool()
                continue
            except Exception:  # the outcome could not be sent back (e.g. not picklable): find out file by file
                log.info("a parse chunk failed", exc_info=True)
                inflight.popleft()
                isolate.extend(chunk)
                head_since = time.monotonic()
                continue
            inflight.popleft()
            head_since = time.monotonic()
            done.update(zip(chunk, outcomes))

    def _run_alone(self, item: Any) -> Outcome:
        """One file in a pool doing nothing else, so a worker's death is that file's doing."""
        name = Path(item).name
        try:
            future = self._submit([os.path.abspath(item)])
            [outcome] = future.result(timeout=self.limits.parse_timeout_s + GRACE_S)
            return outcome
        except BrokenProcessPool:
            self._discard_pool()
            return refusal("limits", name)
        except FutureTimeout:
            self._discard_pool()
            return refusal("time_limit", name, seconds=self.limits.parse_timeout_s)
        except Exception as exc:
            log.info("parsing %s failed", item, exc_info=True)
            return refusal("unreadable", name, error=type(exc).__name__)


def parse_one(path: str | os.PathLike, limits: Limits | None = None) -> Any:
    """Check and read one file in a worker of its own: the reader's result, or ReadError."""
    with ParsePool(limits, workers=1) as pool:
        return pool.parse_one(path)
