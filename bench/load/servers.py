"""Dashboard processes for the load test: `streamlit run app.py` on free ports, each on its database file, and
the CPU seconds each has used (from /proc/<pid>/stat, read before and after a scenario)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, cpu_seconds, rss_kb, python

START_TIMEOUT_S = 60.0
SERVER_ARGS = ("--server.headless", "true")  # the app's .streamlit/config.toml gives the rest, as `make run` has it


def extra_args() -> list[str]:
    """BENCH_LOAD_SERVER_ARGS: more `streamlit run` options, to try a setting (e.g. --runner.fastReruns false)."""
    return os.environ.get("BENCH_LOAD_SERVER_ARGS", "").split()


@dataclass
class Server:
    """One dashboard process."""

    port: int
    db: Path
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_s(self) -> float:
        """User + system CPU seconds the process (all its threads) has used so far."""
        used = cpu_seconds(self.process.pid)
        if used is None:
            raise RuntimeError(f"the dashboard process on port {self.port} has ended; its log: {self.log}")
        return used

    def rss_mb(self) -> float:
        return rss_kb(self.process.pid) / 1024

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_files(source: Path, count: int, workdir: Path, one_file: bool) -> list[Path]:
    """The database each of `count` processes opens: the same file when `one_file` (each reads its published
    snapshots, as dashboards on one server do), otherwise a copy each. The metrics cache file beside the source
    comes along, so that no copy builds its cache again."""
    if one_file:
        return [source] * count
    from grantstats.metrics.cache import cache_file

    copies = []
    for n in range(1, count + 1):
        copy = workdir / f"load-{n}.duckdb"
        remove_copy(copy)
        shutil.copyfile(source, copy)
        if cache_file(source).exists():
            shutil.copyfile(cache_file(source), cache_file(copy))
        copies.append(copy)
    return copies


def remove_copy(db: Path) -> None:
    """Delete a database copy and everything its dashboard made beside it: its WAL and cache, its writer lock,
    its audit log, its published snapshots (with their caches and pointer; the snapshots folder too once empty)."""
    from grantstats import snapshots
    from grantstats.metrics.cache import cache_file

    db = Path(db).resolve()
    made = [db, Path(f"{db}.wal"), cache_file(db), Path(f"{cache_file(db)}.wal"), snapshots.lock_path(db),
            snapshots.building_path(db), db.with_name(db.stem + ".audit.sqlite"), snapshots.pointer_path(db)]
    for _, snapshot in snapshots._snapshots(db):
        made += [snapshot, Path(f"{snapshot}.wal"), cache_file(snapshot), Path(f"{cache_file(snapshot)}.wal")]
    folder = snapshots.snapshot_dir(db)
    if folder.is_dir():
        made += list(folder.glob(f".{db.stem}-*.part"))
    made += [db.with_name(db.stem + f".audit.sqlite-{tail}") for tail in ("wal", "shm", "journal")]
    for p in made:
        p.unlink(missing_ok=True)
    try:
        folder.rmdir()  # only when no other database's snapshots are in it
    except OSError:
        pass


def start_all(dbs: list[Path], workdir: Path) -> list[Server]:
    """One process on each database file, started together; each answering its health check."""
    started = [launch(db, workdir) for db in dbs]
    try:
        for server in started:
            wait_ready(server)
    except BaseException:
        stop_all(started)
        raise
    return started


def start(db: Path, workdir: Path, port: int | None = None, script: str | Path = "app.py") -> Server:
    """Start `streamlit run app.py` (or another script) on `db` and wait until it answers its health check."""
    server = launch(db, workdir, port, script)
    try:
        wait_ready(server)
    except BaseException:
        stop(server)
        raise
    return server


def launch(db: Path, workdir: Path, port: int | None = None, script: str | Path = "app.py") -> Server:
    port = port or free_port()
    log = workdir / f"dashboard-{port}.log"
    env = dict(os.environ, GRANTSTATS_DB=str(db), PYTHONDONTWRITEBYTECODE="1")
    with open(log, "w") as out:
        process = subprocess.Popen([python(), "-m", "streamlit", "run", str(script), *SERVER_ARGS, *extra_args(),
                                    "--server.port", str(port)], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return Server(port, db, process, log)


def wait_ready(server: Server) -> None:
    port, process, log = server.port, server.process, server.log
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard on port {port} exited (rc {process.returncode}): "
                               f"{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the dashboard on port {port} did not answer within {START_TIMEOUT_S:.0f} s: "
                       f"{log.read_text()[-2000:]}")


def stop(server: Server) -> None:
    """End the process this module started (its own process group: it has started nothing else)."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(10)


def stop_all(running: list[Server]) -> None:
    """End the processes this module started, together."""
    for server in running:
        if server.process.poll() is None:
            server.process.terminate()
    for server in running:
        stop(server)
