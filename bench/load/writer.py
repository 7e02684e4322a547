"""The one writer at work while people read: `python -m grantstats ingest` of the bench's report files into the
database the dashboards read, one batch after another until stopped. Each load commits and publishes a snapshot;
the dashboards move to it on their next rerun (its metrics cache built, their own result caches new)."""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, python

BATCH_FILES = 250  # files per load when loads run back to back


@dataclass
class Loads:
    """What the writer did: each load's files, seconds and return code."""

    runs: list[tuple[int, float, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return sum(n for n, _, rc in self.runs if rc == 0)


class Writer:
    """Loads batches of `files` into `db` in a thread, back to back, from start() until stop()."""

    def __init__(self, db: Path, files: list[Path], batch: int = BATCH_FILES):
        self.db, self.files, self.batch = db, files, batch
        self.loads = Loads()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="bench-writer", daemon=True)
        self._thread.start()

    def stop(self) -> Loads:
        """Stop after the load under way (it is never cut short: a load half done is not what a writer does)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.loads

    def _run(self) -> None:
        next_file = 0
        while not self._stop.is_set() and next_file < len(self.files):
            chunk = self.files[next_file:next_file + self.batch]
            next_file += len(chunk)
            started = time.perf_counter()
            done = subprocess.run([python(), "-m", "grantstats", "ingest", *map(str, chunk), "--db", str(self.db)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=900,
                                  start_new_session=True)  # a session of its own, as under sudo or a timer
            self.loads.runs.append((len(chunk), round(time.perf_counter() - started, 2), done.returncode))
            if done.returncode != 0:
                self.loads.errors.append((done.stdout + done.stderr)[-400:])
                return
