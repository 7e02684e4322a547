"""Figures, the machine they were measured on, and small timing helpers shared by the benchmark parts."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


@dataclass
class Figure:
    """One measured figure and its target: `target` is e.g. '>= 500' or '<= 50'; `met` None when there is none."""

    name: str
    value: float | None
    unit: str
    target: str | None = None
    met: bool | None = None
    note: str = ""

    def check(self) -> Figure:
        if self.target and self.value is not None:
            op, bound = self.target.split()
            bound_f = float(bound)
            self.met = {"<=": self.value <= bound_f, ">=": self.value >= bound_f,
                        "<": self.value < bound_f, ">": self.value > bound_f}[op]
        return self

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fig(name: str, value: float | None, unit: str, target: str | None = None, note: str = "") -> Figure:
    return Figure(name, None if value is None else round(float(value), 3), unit, target, None, note).check()


def skipped(name: str, unit: str, target: str | None, why: str) -> Figure:
    return Figure(name, None, unit, target, None, f"not measured: {why}")


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def machine() -> dict[str, Any]:
    """nproc, CPU model, RAM, OS and the versions of what is measured."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for mod in ("duckdb", "pandas", "pyarrow", "streamlit", "plotly", "openpyxl", "python_calamine"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing module is just not listed
            pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": ram_gb, "os": platform.platform(),
            "load_avg_1min_at_start": load, "versions": versions}


# ------------------------------------------------------------------------------------- process memory

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                stat = fh.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """A process and all its descendants, now."""
    children = _children()
    todo, out = [pid], []
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return None


def machine_busy_s() -> float:
    """CPU seconds every program on the machine has used since boot (all CPUs; idle and I/O wait excluded)."""
    with open("/proc/stat") as fh:
        fields = [int(v) for v in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / _TICKS


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT, poll_s: float = 0.05,
                 cpu: dict[str, float] | None = None) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """Run a command; (wall seconds, peak RSS of its process tree in MB, peak RSS of its largest process in MB
    (both sampled every `poll_s`), the completed process). Not wait4's ru_maxrss: Linux counts into it the
    high-water mark of the address space the child left at exec, i.e. this (parent) process's own.

    `cpu`, when given, gets the CPU seconds of the command itself ("command", exact) and of the processes it
    started ("others", the last sample of each before it ended: one shorter than `poll_s` may be missed),
    and how many those were ("processes")."""
    import tempfile

    peak = [0.0, 0.0]  # tree, largest single process
    used_by: dict[int, float] = {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pids = _tree(proc.pid)
                rss = [rss_kb(p) / 1024 for p in pids]
                peak[0] = max(peak[0], sum(rss))
                peak[1] = max(peak[1], max(rss, default=0.0))
                if cpu is not None:
                    for p in pids[1:]:
                        used = cpu_seconds(p)
                        if used is not None:
                            used_by[p] = used
                done.wait(poll_s)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if cpu is not None:
            cpu.update(command=usage.ru_utime + usage.ru_stime, others=sum(used_by.values()),
                       processes=len(used_by))
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        completed = subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())
    return wall, peak[0], peak[1], completed


def python() -> str:
    return sys.executable
