"""Load: many people using the dashboard at once, measured without browsers.

Dashboard processes (`streamlit run app.py`) are started on the bench database; simulated people (bench.load.
people) speak Streamlit's websocket protocol to them (bench.load.client). Rows: 1, 10 and 30 people reading
(about 5 s a page) against 1 and 2 processes, then the saturation rate: people who never pause, more at each
step until pages/s stops rising. Each row gives the page time (request to `script_finished`: p50, p95), the
pages served per second, and the dashboard processes' CPU seconds per page view (/proc/<pid>/stat before and
after). A page counts only when its run finished with no exception drawn.

The processes share one database file, as dashboards on one server do: each reads the snapshots published from
it (grantstats.snapshots). BENCH_LOAD_ONE_DB=0 gives each process its own copy instead (the output says so);
every copy is deleted afterwards with what its dashboard made beside it (snapshots, lock, audit log). The shared
file is a copy of the bench database too: after the reading rows, the largest one runs again while the one writer
loads half the bench's report files into it in one load (bench.load.writer), which publishes a snapshot the
readers move to; its p95 against the same row's without the writer is the load's cost to readers. Then once more
while the other half goes in batch after batch, a snapshot every few seconds (for information).
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Figure, fig, machine_busy_s, median, p95, skipped
from bench.load import people, servers
from bench.load.writer import Writer
from bench.load.client import StreamlitSession

TARGET_P95_S = 2            # at 30 reading people, two processes
TARGET_SATURATION = 8       # pages/s, two processes
TARGET_LOAD_RAISE_PCT = 50  # readers' p95 while a load runs, over their p95 without
TARGET_MEMORY_MB = 500      # each dashboard process (the pages part's target, here with every person's session)
READING_PEOPLE = (1, 10, 30)
PROCESSES = (1, 2)
SATURATION_STEPS = {1: (1, 2, 4, 8), 2: (2, 4, 8, 16)}
SATURATION_GAIN = 1.05      # a step must raise pages/s by 5 % over the best so far, or the rate has stopped rising


@dataclass
class Row:
    """One scenario's measurement."""

    name: str
    processes: int
    people: int
    think_s: float
    offered: int
    served: int
    seconds: float
    p50_s: float | None
    p95_s: float | None
    pages_per_s: float
    server_cpu_per_view_s: float | None
    others_cpu_s: float         # CPU the rest of the machine used meanwhile (neither the dashboards nor the client)
    errors: list[str]
    filter_changes: int
    filter_changes_missing_widget: int
    cached_references: int      # messages the server sent by reference to the client's cache
    peak_rss_mb: list[float]    # each process's peak memory (VmHWM) so far, read as the row ends

    def line(self) -> str:
        fmt = lambda v, unit="s": "—" if v is None else f"{v:.2f} {unit}"  # noqa: E731
        return (f"  {self.name:<44} {self.served:>4}/{self.offered:<4} served  p50 {fmt(self.p50_s)}  "
                f"p95 {fmt(self.p95_s)}  {self.pages_per_s:5.2f} pages/s  server CPU "
                f"{fmt(self.server_cpu_per_view_s)}/page; others {self.others_cpu_s / max(self.seconds, 1e-9):.2f} CPUs; "
                f"peak {'/'.join(f'{m:.0f}' for m in self.peak_rss_mb)} MB")


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


def one_file_switch() -> bool:
    """BENCH_LOAD_ONE_DB: one database file for every process (the default), or a copy each (0, no, false)."""
    return os.environ.get("BENCH_LOAD_ONE_DB", "").strip().lower() not in ("0", "no", "false")


def measure(name: str, running: list[servers.Server], pages: list[str], people_count: int, seconds: float,
            think_s: float) -> Row:
    """Run one scenario against the given processes."""
    before = [s.cpu_s() for s in running]
    busy, client = machine_busy_s(), time.process_time()
    scenario = people.Scenario(people_count, [s.url for s in running], pages, seconds, think_s)
    outcome = asyncio.run(people.run(scenario))
    cpu = sum(s.cpu_s() for s in running) - sum(before)
    others = machine_busy_s() - busy - cpu - (time.process_time() - client)
    served = [v.seconds for v in outcome.views if v.served]
    errors = [f"{v.page or '(default)'}: {v.error}" for v in outcome.views if not v.served]
    return Row(name=name, processes=len(running), people=people_count, think_s=think_s, offered=len(outcome.views),
               served=len(served), seconds=round(outcome.seconds, 2),
               p50_s=round(median(served), 3) if served else None, p95_s=round(p95(served), 3) if served else None,
               pages_per_s=round(len(served) / outcome.seconds, 3) if outcome.seconds else 0.0,
               server_cpu_per_view_s=round(cpu / len(served), 4) if served else None,
               others_cpu_s=round(max(0.0, others), 2), errors=errors,
               filter_changes=outcome.filter_changes_by_widget,
               filter_changes_missing_widget=outcome.filter_changes_missing_widget,
               cached_references=sum(v.references for v in outcome.views),
               peak_rss_mb=[round(s.peak_rss_mb(), 1) for s in running])


def _row_with_writer(name: str, writer: Writer, running: list[servers.Server], pages: list[str], people_count: int,
                     seconds: float, think_s: float, log) -> tuple[Row, Any]:
    """A reading row while `writer` loads into the processes' database (its loads finish before the row counts)."""
    writer.start()
    try:
        row = measure(name, running, pages, people_count, seconds, think_s)
    finally:
        loads = writer.stop()
    log(row.line())
    log(f"  the writer: {len(loads.runs)} load(s) of up to {writer.batch} files ({loads.files} files), "
        f"each {', '.join(f'{s:.1f}' for _, s, _ in loads.runs)} s" + (f"; FAILED: {loads.errors[0]}" if loads.errors else ""))
    return row, loads


def warm_up(server: servers.Server) -> tuple[list[str], dict[str, float]]:
    """Visit every reading page once (the first visits fill the caches): the pages and each first visit's s."""
    pages = asyncio.run(people.discover_pages(server.url))

    async def visit() -> dict[str, float]:
        firsts = {}
        async with StreamlitSession(server.url) as session:
            await session.open("")
            for page in pages:
                view = await session.view(page)
                if not view.served:
                    raise RuntimeError(f"warm-up: page {page or '(default)'} on port {server.port}: {view.error}")
                firsts[page or "(default)"] = round(view.seconds, 3)
        return firsts

    return pages, asyncio.run(visit())


def _processes(n: int, one_file: bool) -> str:
    """'1 process', '2 processes' (on database copies when BENCH_LOAD_ONE_DB=0)."""
    return "1 process" if n == 1 else f"{n} processes" + ("" if one_file else " (db copies)")


def _row_figures(row: Row, *, p95_target: str | None = None, served_target: bool = False) -> list[Figure]:
    label = f"load: {row.name}"
    out = [fig(f"{label}: p50 page time", row.p50_s, "s"),
           fig(f"{label}: p95 page time", row.p95_s, "s", p95_target,
               note=f"{row.served} of {row.offered} pages served in {row.seconds:.0f} s"),
           fig(f"{label}: pages/s", row.pages_per_s, "pages/s"),
           fig(f"{label}: server CPU per page view", row.server_cpu_per_view_s, "s")]
    if served_target:
        out.append(fig(f"{label}: pages offered but not served", row.offered - row.served, "pages", "<= 0",
                       note="; ".join(row.errors[:3])))
    return out


def run(db: Path, workdir: Path, log=print, *, one_file: bool | None = None,
        processes: tuple[int, ...] = PROCESSES, **sizes: Any) -> tuple[list[Figure], dict[str, Any]]:
    """Start the dashboard processes on `db` (copies of it, or the one file), measure every row, stop them."""
    one_file = one_file_switch() if one_file is None else one_file
    if one_file:  # a copy the writer may load into (the bench database stays as built), shared by the processes
        shared = servers.database_files(db, 1, workdir, False)[0]
        files = [shared] * max(processes)
    else:
        files = servers.database_files(db, max(processes), workdir, False)
    where = ("one database file shared by the processes (each reads its published snapshots)" if one_file else
             "each process on its own COPY of the database (BENCH_LOAD_ONE_DB=0)")
    log(f"  {max(processes)} dashboard process(es), {where}")
    running = servers.start_all(files, workdir)
    try:
        writer = busy_writer = None
        if one_file:
            from bench import ingest

            report_files, _ = ingest.ensure_files(int(os.environ.get("BENCH_REPORTS", "") or 2000), workdir, log=log)
            report_files = sorted(p for p in report_files.iterdir() if p.is_file())
            half = len(report_files) // 2  # (each half new to the database: a file loaded before is skipped)
            writer = Writer(files[0], report_files[:half], batch=half)
            busy_writer = Writer(files[0], report_files[half:])
        figures, details = run_on(running, one_file, log, processes=processes, writer=writer,
                                  busy_writer=busy_writer, **sizes)
    finally:
        servers.stop_all(running)
        for path in set(files):
            servers.remove_copy(path)
    return figures, {**details, "databases": [str(p) for p in files]}


def run_on(running: list[servers.Server], one_file: bool, log=print, *, seconds: float | None = None,
           step_seconds: float | None = None, reading_people: tuple[int, ...] = READING_PEOPLE,
           processes: tuple[int, ...] = PROCESSES, saturation: dict[int, tuple[int, ...]] | None = None,
           think_s: float = 5.0, writer: Writer | None = None,
           busy_writer: Writer | None = None) -> tuple[list[Figure], dict[str, Any]]:
    """Every row against dashboard processes already running (the first n of them for an n-process row); with a
    `writer`, the largest reading row again while it loads files into their database (the issue's figure); with a
    `busy_writer`, again while it loads batch after batch (a harsher case, for information)."""
    seconds = seconds or _env_float("BENCH_LOAD_SECONDS", 30)
    step_seconds = step_seconds or _env_float("BENCH_SATURATION_SECONDS", 12)
    saturation = SATURATION_STEPS if saturation is None else saturation
    rows: list[Row] = []
    client_cpu0 = time.process_time()
    warm = {}
    for server in running:
        t0 = time.perf_counter()
        pages, firsts = warm_up(server)
        warm[server.port] = firsts
        log(f"  warm-up on port {server.port}: {len(pages)} pages in {time.perf_counter() - t0:.1f} s")
    for n in processes:
        for count in reading_people:
            name = f"{_processes(n, one_file)}, {count} {'people' if count > 1 else 'person'} reading"
            rows.append(measure(name, running[:n], pages, count, seconds, think_s))
            log(rows[-1].line())
    loaded_row, loads = None, None
    if writer is not None:
        loaded_row, loads = _row_with_writer(f"{_processes(max(processes), one_file)}, {max(reading_people)} people "
                                             "reading, a load running", writer, running[:max(processes)], pages,
                                             max(reading_people), seconds, think_s, log)
        rows.append(loaded_row)
    busy_row, busy_loads = None, None
    if busy_writer is not None:
        busy_row, busy_loads = _row_with_writer(f"{_processes(max(processes), one_file)}, {max(reading_people)} people "
                                                "reading, loads back to back", busy_writer, running[:max(processes)],
                                                pages, max(reading_people), seconds, think_s, log)
        rows.append(busy_row)
    saturated: dict[int, Row] = {}
    for n, steps in saturation.items():
        best: Row | None = None
        for count in steps:
            row = measure(f"{_processes(n, one_file)}, {count} never pausing", running[:n], pages, count,
                          step_seconds, 0.0)
            rows.append(row)
            log(row.line())
            rising = best is None or row.pages_per_s >= best.pages_per_s * SATURATION_GAIN
            if best is None or row.pages_per_s > best.pages_per_s:
                best = row
            if not rising:
                break
        if best is not None:
            saturated[n] = best
    missing = sum(r.filter_changes_missing_widget for r in rows)
    if missing:
        log(f"  NOTE: {missing} filter changes found no sidebar widget keyed {', '.join(people.FILTER_KEYS)}: they "
            "became page switches (has the sidebar renamed its keys?)")
    peaks = {s.port: round(s.peak_rss_mb(), 1) for s in running}
    client_cpu = time.process_time() - client_cpu0
    figures: list[Figure] = []
    for row in rows:
        top = row.think_s > 0 and row.people == max(reading_people) and row not in (loaded_row, busy_row)
        figures += _row_figures(row, p95_target=f"<= {TARGET_P95_S}" if top and row.processes == 2 else None,
                                served_target=top)
    for n, best in saturated.items():
        figures.append(fig(f"load: saturation, {_processes(n, one_file)}", best.pages_per_s, "pages/s",
                           f">= {TARGET_SATURATION}" if n == 2 else None,
                           note=f"the most pages/s of the steps, at {best.people} people never pausing; "
                                f"p95 {best.p95_s} s"))
    not_served = sum(r.offered - r.served for r in rows)
    figures.append(fig("load: pages not served, every scenario", not_served, "pages", "<= 0",
                       note="; ".join(e for r in rows for e in r.errors[:2])[:600]))
    figures.append(fig("load: dashboard process peak memory (largest)", max(peaks.values()), "MB",
                       f"< {TARGET_MEMORY_MB}",
                       note="VmHWM of each process after every scenario (each person holds a session): "
                            + ", ".join(f"{v} MB" for v in peaks.values())))
    figures.append(fig("load: the load client's own CPU per page view", client_cpu / max(1, sum(r.served for r in rows)),
                       "s", note="this process, on the same machine as the dashboards"))
    measured = sum(r.seconds for r in rows)
    figures.append(fig("load: other programs' CPU during the scenarios", sum(r.others_cpu_s for r in rows) / measured
                       if measured else None, "CPUs",
                       note="the machine's busy time less the dashboards' and the client's: other work sharing the "
                            "CPUs (per row in the details)"))
    if not one_file:
        figures.append(skipped("load: 2 processes on ONE database file", "", None,
                               "BENCH_LOAD_ONE_DB=0: the 2-process rows ran on copies"))
    plain = next((r for r in rows if loaded_row is not None and r not in (loaded_row, busy_row)
                  and r.processes == loaded_row.processes and r.people == loaded_row.people
                  and r.think_s == loaded_row.think_s), None)
    if loaded_row is None or plain is None or not plain.p95_s or loaded_row.p95_s is None or loads.errors:
        figures.append(skipped("load: readers' p95 raised while a load runs", "%", f"<= {TARGET_LOAD_RAISE_PCT}",
                               "BENCH_LOAD_ONE_DB=0: no writer shares the processes' database" if writer is None
                               else "the writer's load failed" if loads and loads.errors else "no reading row to compare"))
    else:
        figures.append(fig("load: readers' p95 raised while a load runs", (loaded_row.p95_s / plain.p95_s - 1) * 100,
                           "%", f"<= {TARGET_LOAD_RAISE_PCT}",
                           note=f"{loaded_row.name}: p95 {loaded_row.p95_s:.2f} s against {plain.p95_s:.2f} s without; "
                                f"{len(loads.runs)} load of {loads.files} files in "
                                f"{', '.join(f'{s:.1f}' for _, s, _ in loads.runs)} s, publishing a snapshot"))
    if busy_row is not None and plain is not None and plain.p95_s and busy_row.p95_s is not None:
        figures.append(fig("load: readers' p95 raised while loads run back to back", (busy_row.p95_s / plain.p95_s - 1)
                           * 100, "%", note=f"{busy_row.name}: p95 {busy_row.p95_s:.2f} s; {len(busy_loads.runs)} loads "
                                            f"of up to {busy_writer.batch} files, a snapshot every "
                                            f"{busy_row.seconds / max(1, len(busy_loads.runs)):.0f} s or so"))
    return figures, {"rows": [r.__dict__ for r in rows], "one_file": one_file, "pages": pages,
                     "warm_up_first_visits_s": warm, "peak_rss_mb": peaks, "client_cpu_s": round(client_cpu, 2),
                     "seconds_per_row": seconds, "seconds_per_saturation_step": step_seconds, "think_s": think_s,
                     "writer_loads": loads.runs if loads else None,
                     "busy_writer_loads": busy_loads.runs if busy_loads else None}
