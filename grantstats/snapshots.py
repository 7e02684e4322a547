"""One writer, many readers: loads write the primary database under an exclusive writer lock and then publish
an immutable snapshot of it; every reader (dashboard processes, CLI reads) opens the newest snapshot read-only.

DuckDB lets many processes open one file read-only at once, but refuses a read-write open while any other
process holds the file (and the other way round). So readers and the writer never open the same file:

* the **primary** (``data/grants.duckdb``, GRANTSTATS_DB) is opened read-write only by a load (CLI ingest
  or restore, the Upload page, a restore on the report page), inside :func:`write_session`, which holds the
  **writer lock**: ``<primary>.lock`` beside it, ``flock``-ed (released by the kernel when its process dies,
  so a stale lock is simply taken over), holding who and since when. A second writer gets
  :class:`WriterBusy`: "another load is running since 10:42 (user, command); try again when it ends".
* after the load commits, the primary is checkpointed, closed and **published**: copied to
  ``snapshots/<name>-<generation>.duckdb`` (temp name, fsync, rename), its metrics cache tables built into
  ``<name>-<generation>.cache.duckdb`` beside it (so no reader builds them, and the first visit is warm),
  and then the pointer ``snapshots/<name>.current`` (JSON: generation, file, published_at, reports, the
  primary's size and mtime) is replaced atomically. Readers only ever see whole snapshots.
* readers look at the pointer (one small read) and open the snapshot it names, read-only; a dashboard does
  so at the start of every rerun and moves to a newer snapshot on its next rerun.
* a dashboard (a long-lived process) builds a snapshot's cache tables in a child process (``build_apart``):
  the build's working memory (several hundred MB at 100 000 reports) is then never the dashboard's own.
* the newest :data:`KEEP` snapshots are kept, older ones deleted: on Linux a process that still has a deleted
  file open keeps reading it, so a reader in the middle of a page is not disturbed.
* a primary changed without a snapshot (an older version's load, a crash between commit and publish, a
  database made before this design) is published by the next reader that can take the writer lock.
* a new primary is created with its whole schema under ``<primary>.building`` and renamed, so a load killed
  early leaves either no primary or one with the schema and whole batches (each batch one transaction);
  a primary that cannot be opened at all is refused in one line (:class:`DatabaseDamaged`).
"""

from __future__ import annotations

import errno
import fcntl
import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from grantstats import outliers, store

KEEP = 3
"""Snapshots kept (the newest ones); readers still on an older one keep their open file."""

PUBLISH_WAIT_S = 60.0
"""How long a reader waits for a first snapshot another reader is publishing (a database with none yet)."""

PUBLISHED_WITH = ("grantstats.completeness", "grantstats.health", "grantstats.peers", "grantstats.review")
"""Modules whose metrics-cache tables (issue #17: contract matches, health, peers, reviewed findings) every snapshot
is published with, whichever process publishes it: no reader builds them (about 2 s at 100 000 reports, and the
memory, in each dashboard process after each load), at the cost of that time in the loader."""

READ_ONLY_ENV = "GRANTSTATS_READ_ONLY"
"""Set to 1 in a dashboard replica that must never open the primary (it only reads published snapshots)."""


def _read_only_process() -> bool:
    return os.environ.get(READ_ONLY_ENV, "").strip().lower() in ("1", "true", "yes")


class WriterBusy(RuntimeError):
    """Another load holds the writer lock: who, since when, doing what."""

    def __init__(self, holder: dict):
        self.holder = holder
        super().__init__(self.line())

    @property
    def since(self) -> str:
        try:
            return datetime.fromisoformat(self.holder.get("since", "")).astimezone().strftime("%H:%M")
        except ValueError:
            return "?"

    def line(self) -> str:
        who = ", ".join(str(x) for x in (self.holder.get("user"), self.holder.get("command")) if x)
        return f"another load is running since {self.since}{f' ({who})' if who else ''}; try again when it ends"


class DatabaseDamaged(RuntimeError):
    """The primary cannot be opened: left half-built or damaged."""


class NoSnapshot(RuntimeError):
    """Nothing published to read yet."""


@dataclass(frozen=True)
class Pointer:
    """The newest published snapshot, as the pointer file names it."""

    generation: int
    file: str
    published_at: str
    reports: int
    primary_size: int
    primary_mtime_ns: int
    publish_s: float = 0.0  # from the end of the load (its commit) to this pointer: what readers wait
    copy_s: float = 0.0  # of which copying the database
    cache_s: float = 0.0  # of which building the metrics cache


def primary_path(db: str | os.PathLike | None = None) -> Path:
    return store.resolve_db_path(db).resolve()


def lock_path(primary: Path) -> Path:
    return primary.with_name(primary.name + ".lock")


def snapshot_dir(primary: Path) -> Path:
    return primary.parent / "snapshots"


def pointer_path(primary: Path) -> Path:
    return snapshot_dir(primary) / f"{primary.stem}.current"


def building_path(primary: Path) -> Path:
    return primary.with_name(primary.name + ".building")


# ------------------------------------------------------------------------------------------- the lock

@contextmanager
def writer_lock(db: str | os.PathLike | None, command: str, user: str | None = None) -> Iterator[dict]:
    """Hold the writer lock of a database (non-blocking): WriterBusy when another process or session has it."""
    from grantstats.access import os_user

    primary = primary_path(db)
    primary.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(primary)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            raise WriterBusy(_read_holder(path)) from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": user or os_user(), "command": command,
                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder, ensure_ascii=False).encode(), 0)
        try:
            yield holder
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def holder(db: str | os.PathLike | None = None) -> dict | None:
    """Who holds the writer lock now (None when nobody does)."""
    primary = primary_path(db)
    path = lock_path(primary)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return _read_holder(path)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------------------- the writer

def _open_primary(path: Path) -> duckdb.DuckDBPyConnection:
    """The primary opened read-write with its schema; one line when it cannot be (damaged, or held)."""
    try:
        return store.connect(path)
    except RuntimeError:
        raise  # store.connect's own line: another program holds it
    except duckdb.Error as exc:
        first = (str(exc).splitlines() or [""])[0][:160]
        raise DatabaseDamaged(
            f"the database {path} cannot be opened ({type(exc).__name__}: {first}): it was left half-built or is "
            f"damaged; move it aside and load the files again, or put back a backup") from None


@contextmanager
def write_session(db: str | os.PathLike | None, command: str, user: str | None = None,
                  publish_after: bool = True, build_apart: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with write_session(db, "ingest …") as con:`` — the writer lock, the primary open read-write (a new one
    created with its whole schema under a temporary name, then renamed), then, once the block ends, a new
    snapshot published. When the block raises, what it committed is still published: every batch of a load is
    one transaction, so what it holds is whole. ``build_apart``: the snapshot's cache is built in a child
    process (see build_cache_apart)."""
    if _read_only_process():
        raise RuntimeError("this dashboard only reads (GRANTSTATS_READ_ONLY): load on the machine that loads")
    with writer_lock(db, command, user):
        primary = primary_path(db)
        if not primary.exists():
            _create_empty(primary)  # the schema whole, or no file at all
        if publish_after and not build_apart:
            import_published_modules()  # now, while the load's workers read, not between its commit and the snapshot
        con = _open_primary(primary)
        try:
            yield con
        finally:
            ended = time.monotonic()
            try:
                con.execute("CHECKPOINT")
            except duckdb.Error:
                pass
            con.close()
            if publish_after:
                _publish_locked(primary, ended, build_apart)


def publish(db: str | os.PathLike | None = None, command: str = "publish") -> Pointer:
    """Publish a snapshot of the primary as it is now (under the writer lock)."""
    with writer_lock(db, command):
        return _publish_locked(primary_path(db))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish_locked(primary: Path, started: float | None = None, build_apart: bool = False) -> Pointer:
    """Copy the (checkpointed, closed) primary to a new snapshot, build its metrics cache, then point to it.
    ``started``: when the load ended (time.monotonic), for the pointer's publish_s."""
    from grantstats.metrics import cache

    started = time.monotonic() if started is None else started
    con = _open_primary(primary)  # (another connection of this process may hold it: then it is checkpointed too)
    try:
        outliers.refresh_if_stale(con)  # a load that ended before it refreshed them (killed, say)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    folder = snapshot_dir(primary)
    folder.mkdir(parents=True, exist_ok=True)
    previous = current(primary)
    generation = max([previous.generation if previous else 0] + [n for n, _ in _snapshots(primary)]) + 1
    final = folder / f"{primary.stem}-{generation}.duckdb"
    part = folder / f".{final.name}.part"
    stat = primary.stat()
    copy_started = time.monotonic()
    shutil.copyfile(primary, part)
    _fsync(part)
    for leftover in (final, Path(f"{final}.wal"), cache.cache_file(final), Path(f"{cache.cache_file(final)}.wal")):
        leftover.unlink(missing_ok=True)
    os.replace(part, final)
    cache_started = time.monotonic()
    reports = build_cache_apart(final) if build_apart else build_cache_here(final)
    done = time.monotonic()
    pointer = Pointer(generation, final.name, datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                      reports, stat.st_size, stat.st_mtime_ns, round(done - started, 3),
                      round(cache_started - copy_started, 3), round(done - cache_started, 3))
    _write_pointer(primary, pointer)
    _prune(primary, generation)
    return pointer


_BUILD_IN_CHILD = ("import sys; from grantstats import snapshots; "
                   "print(snapshots.build_cache_here(sys.argv[1]))")


def import_published_modules() -> None:
    """Import the modules a snapshot's cache is built with (their cache tables register on import; they load no
    pandas), once a process: a load does it while its workers read, before its commit."""
    importlib.import_module("grantstats.metrics.cache")
    for module in PUBLISHED_WITH:
        importlib.import_module(module)


def build_cache_here(snapshot: str | os.PathLike) -> int:
    """Build a snapshot's metrics cache in this process (a load's, or build_cache_apart's child); its reports."""
    from grantstats.metrics import cache

    import_published_modules()
    return cache.build_published(snapshot)


def build_cache_apart(snapshot: Path) -> int:
    """Build a snapshot's metrics cache in a child process, for a long-lived process (a dashboard): the build's
    working memory ends with the child instead of staying in the dashboard's heap. Its reports."""
    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p))
    done = subprocess.run([sys.executable, "-c", _BUILD_IN_CHILD, str(snapshot)], capture_output=True, text=True,
                          env=env, cwd=package_root, timeout=PUBLISH_WAIT_S * 10)
    if done.returncode != 0:
        last = ([line for line in done.stderr.splitlines() if line.strip()] or [f"exit status {done.returncode}"])[-1]
        raise RuntimeError(f"the metrics cache of snapshot {snapshot.name} could not be built: {last[:300]}")
    return int(done.stdout.split()[-1])


def _write_pointer(primary: Path, pointer: Pointer) -> None:
    path = pointer_path(primary)
    part = path.with_name(f".{path.name}.part")
    with open(part, "w", encoding="utf-8") as fh:
        json.dump(asdict(pointer), fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _snapshots(primary: Path) -> list[tuple[int, Path]]:
    """(generation, file) of every snapshot of the primary on disk."""
    out = []
    folder = snapshot_dir(primary)
    if not folder.is_dir():
        return out
    prefix = primary.stem + "-"
    for path in folder.glob(f"{primary.stem}-*.duckdb"):
        tail = path.name[len(prefix):-len(".duckdb")]
        if tail.isdigit():
            out.append((int(tail), path))
    return sorted(out)


def _prune(primary: Path, newest: int) -> None:
    """Delete all but the newest KEEP snapshots (and their caches)."""
    from grantstats.metrics import cache

    for generation, path in _snapshots(primary):
        if generation <= newest - KEEP:
            for old in (path, Path(f"{path}.wal"), cache.cache_file(path), Path(f"{cache.cache_file(path)}.wal")):
                old.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------- the readers

def current(db: str | os.PathLike | None = None) -> Pointer | None:
    """The pointer to the newest snapshot (None when nothing is published, or its file is gone)."""
    primary = primary_path(db)
    try:
        data = json.loads(pointer_path(primary).read_text(encoding="utf-8"))
        pointer = Pointer(**data)
    except (OSError, ValueError, TypeError):
        return None
    return pointer if (snapshot_dir(primary) / pointer.file).exists() else None


def _stale(pointer: Pointer | None, primary: Path) -> bool:
    """Whether the primary changed since the pointer's snapshot was taken (or nothing is published)."""
    if pointer is None:
        return True
    try:
        stat = primary.stat()
    except FileNotFoundError:
        return False  # the snapshots outlive a primary moved away: keep serving them
    return (stat.st_size, stat.st_mtime_ns) != (pointer.primary_size, pointer.primary_mtime_ns)


def snapshot_for_reading(db: str | os.PathLike | None = None, create: bool = False,
                         build_apart: bool = False) -> Path:
    """The newest published snapshot's file, publishing one first when there is none or the primary changed
    since (unless a load is running: then the one published before it). ``create``: a missing primary is
    created empty (the dashboard's first start); else a missing one is NoSnapshot. ``build_apart``: a snapshot
    published here has its cache built in a child process (a dashboard)."""
    primary = primary_path(db)
    pointer = current(primary)
    if _stale(pointer, primary) and not _read_only_process():
        if pointer is None and not primary.exists() and not create:
            raise NoSnapshot(f"no database at {primary}: load reports first (python -m grantstats ingest)")
        try:
            with writer_lock(primary, "publish (first read after a change)"):
                pointer = current(primary)
                if _stale(pointer, primary):
                    if not primary.exists():
                        _create_empty(primary)
                    pointer = _publish_locked(primary, build_apart=build_apart)
        except (RuntimeError, OSError, duckdb.Error) as exc:  # a load running; a primary held or damaged
            if pointer is None and isinstance(exc, WriterBusy) and str(exc.holder.get("command", "")).startswith("publish"):
                # another reader is publishing the first snapshot (seconds): wait for it rather than refuse
                try:
                    pointer = wait_for_generation(primary, 1, timeout=PUBLISH_WAIT_S)
                except TimeoutError:
                    pass
            if pointer is None:
                reason = exc.line() if isinstance(exc, WriterBusy) else str(exc)
                raise NoSnapshot(f"nothing is published yet: {reason}") from None
            # else: keep serving the last published snapshot
    if pointer is None:
        raise NoSnapshot(f"no published snapshot of {primary} yet: load reports first (python -m grantstats ingest)")
    return snapshot_dir(primary) / pointer.file


def _create_empty(primary: Path) -> None:
    """An empty primary with the schema, made whole under a temporary name."""
    target = building_path(primary)
    target.unlink(missing_ok=True)
    store.connect(target).close()
    os.replace(target, primary)


def open_snapshot(path: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a snapshot, with its published metrics cache attached."""
    from grantstats.metrics import cache

    con = duckdb.connect(str(Path(path).resolve()), read_only=True)
    cache.attach_published(con)
    return con


@contextmanager
def reading(db: str | os.PathLike | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with reading(db) as con:`` — the newest snapshot, read-only (what every CLI read uses)."""
    con = open_snapshot(snapshot_for_reading(db))
    try:
        yield con
    finally:
        con.close()


def wait_for_generation(db: str | os.PathLike | None, generation: int, timeout: float = 30.0) -> Pointer:
    """Until a snapshot of at least ``generation`` is published (tests and the bench)."""
    deadline = time.monotonic() + timeout
    while True:
        pointer = current(db)
        if pointer is not None and pointer.generation >= generation:
            return pointer
        if time.monotonic() > deadline:
            raise TimeoutError(f"no snapshot {generation} of {db} within {timeout:g} s")
        time.sleep(0.05)
