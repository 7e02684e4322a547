"""One writer, many readers, with real processes and a real DuckDB file: a second writer gets one line, readers
read published snapshots beside a load, a load killed with SIGKILL leaves no worker, fork server or resource
tracker behind and a consistent database, a first load killed early leaves nothing half-built to read, old
snapshots are pruned without disturbing a reader still on one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from grantstats import metrics, snapshots, store
from grantstats.metrics import Filter

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Грантополучатель;Договор;Регион;Год;Сумма гранта;Прямые бенефициары (факт)\n"


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grantstats", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, **kw)


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def many_files(tmp_path_factory) -> Path:
    """The synthetic sample as about 300 files: a load of them takes a few seconds."""
    folder = tmp_path_factory.mktemp("many") / "files"
    done = cli("sample", "--reports", "600", "--out", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (children, their children …), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            out.add(pid)
    return out


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"


def consistent(db: Path) -> tuple[int, int]:
    """(files, reports) of the primary, after checking that every file is wholly in: its reports all stored."""
    with duckdb.connect(str(db), read_only=True) as con:
        orphans = con.execute("SELECT count(*) FROM reports r LEFT JOIN files f ON f.sha256 = r.file_sha256"
                              " WHERE f.sha256 IS NULL").fetchone()[0]
        partial = con.execute("SELECT count(*) FROM files f WHERE f.reports <> (SELECT count(*) FROM reports r"
                              " WHERE r.file_sha256 = f.sha256)").fetchone()[0]
        children = con.execute("SELECT count(*) FROM report_regions WHERE report_id NOT IN"
                               " (SELECT report_id FROM reports)").fetchone()[0]
        assert (orphans, partial, children) == (0, 0, 0)
        return con.execute("SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM reports)").fetchone()


def test_a_second_writer_gets_one_line_naming_the_load_and_its_start(tmp_path):
    db = tmp_path / "g.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom grantstats import snapshots\n"
                               "with snapshots.writer_lock(sys.argv[1], 'ingest big-folder', 'staff'):\n"
                               "    print('held', flush=True); time.sleep(60)\n", str(db)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        since = time.strftime("%H:%M")
        done = cli("ingest", str(write_csv(tmp_path / "a.csv", ["ОО «А»;№ 1 от 01.02.2023;ЗКО;2023;1 000;10"])),
                   "--db", str(db), "--workers", "0")
        assert done.returncode == 1
        assert done.stderr.splitlines() == [
            f"error: another load is running since {since} (staff, ingest big-folder); try again when it ends"]
        assert "Traceback" not in done.stdout + done.stderr and not db.exists()
    finally:
        holder.kill()
        holder.wait()
    done = cli("ingest", str(tmp_path / "a.csv"), "--db", str(db), "--workers", "0")  # the lock died with its holder
    assert done.returncode == 0, done.stderr


def test_readers_read_the_published_snapshot_while_a_writer_holds_the_primary(tmp_path):
    db = tmp_path / "g.duckdb"
    assert cli("ingest", str(write_csv(tmp_path / "a.csv", ["ОО «А»;№ 1 от 01.02.2023;ЗКО;2023;1 000 000;10"])),
               "--db", str(db), "--workers", "0").returncode == 0
    writer = store.connect(db)  # the primary held read-write, as during a load
    try:
        done = cli("summary", "--format", "json", "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)[0]["grant_amount"] == 1_000_000
        with snapshots.reading(db) as con:  # and a second reader at the same time, in this process
            assert metrics.headline(con, Filter()).iloc[0]["reports"] == 1
    finally:
        writer.close()


def test_a_snapshot_is_published_after_each_load_and_old_ones_are_pruned_under_a_reader(tmp_path):
    db = tmp_path / "g.duckdb"
    first = write_csv(tmp_path / "a0.csv", ["ОО «Н0»;№ 100 от 01.02.2023;ЗКО;2023;1 000 000;10"])
    assert cli("ingest", str(first), "--db", str(db), "--workers", "0").returncode == 0
    reader = snapshots.open_snapshot(snapshots.snapshot_for_reading(db))  # a dashboard still on snapshot 1
    for n in range(1, snapshots.KEEP + 1):
        path = write_csv(tmp_path / f"a{n}.csv", [f"ОО «Н{n}»;№ {100 + n} от 01.02.2023;ЗКО;2023;1 000 000;10"])
        assert cli("ingest", str(path), "--db", str(db), "--workers", "0").returncode == 0
    pointer = snapshots.current(db)
    assert (pointer.generation, pointer.reports) == (snapshots.KEEP + 1, snapshots.KEEP + 1)
    kept = sorted(p.name for p in snapshots.snapshot_dir(db).glob("g-*.duckdb") if ".cache." not in p.name)
    assert kept == [f"g-{n}.duckdb" for n in range(2, snapshots.KEEP + 2)]  # snapshot 1 deleted …
    assert metrics.headline(reader, Filter()).iloc[0]["reports"] == 1  # … and still read by who has it open
    reader.close()


def test_a_change_made_without_a_snapshot_is_published_by_the_next_reader(tmp_path):
    from tests.conftest import handmade_reports

    db = tmp_path / "g.duckdb"
    con = store.connect(db)  # written the way an older version (or a crash before publishing) leaves it
    store.save_files(con, [store.ParsedFile("/a.xlsx", "a.xlsx", "1" * 64, 1, "form", handmade_reports())])
    con.close()
    assert snapshots.current(db) is None
    done = cli("summary", "--format", "json", "--db", str(db))
    assert done.returncode == 0 and json.loads(done.stdout)[0]["reports"] == 5
    assert snapshots.current(db).generation == 1


def test_a_first_load_killed_early_leaves_no_database_or_a_whole_one_to_read(tmp_path, many_files):
    db = tmp_path / "first.duckdb"
    load = subprocess.Popen([sys.executable, "-m", "grantstats", "ingest", str(many_files), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not (snapshots.building_path(db.resolve()).exists() or db.exists()) and time.time() < deadline:
        time.sleep(0.005)
    load.send_signal(signal.SIGKILL)  # while the new database is being made, or just after
    load.wait()
    done = cli("summary", "--format", "json", "--db", str(db))
    if db.exists():  # the schema whole, and whichever batches committed
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)[0]["reports"] == consistent(db)[1]
    else:
        assert done.returncode == 1 and done.stderr.splitlines() == [
            f"error: no database at {db.resolve()}: load reports first (python -m grantstats ingest)"]
    done = cli("ingest", str(many_files), "--db", str(db))
    assert done.returncode == 0, done.stderr[-2000:]
    assert consistent(db)[1] == 600


def test_a_killed_load_leaves_no_helper_process_and_a_consistent_database(tmp_path, many_files):
    db = tmp_path / "g.duckdb"
    first = write_csv(tmp_path / "first.csv", ["ОО «Первый»;№ 1 от 01.02.2023;ЗКО;2023;1 000 000;10"])
    assert cli("ingest", str(first), "--db", str(db), "--workers", "0").returncode == 0
    load = subprocess.Popen([sys.executable, "-m", "grantstats", "ingest", str(many_files), "--db", str(db),
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    helpers: set[int] = set()
    deadline = time.time() + 60
    while time.time() < deadline:  # until the fork server, the resource tracker and both workers run
        helpers |= descendants(load.pid)
        if len(alive(helpers)) >= 4 or load.poll() is not None:
            break
        time.sleep(0.02)
    assert load.poll() is None, "the load ended before it could be killed"
    helpers |= descendants(load.pid)
    names = {pid: command_line(pid) for pid in helpers}
    assert any("forkserver" in c for c in names.values()) and any("resource_tracker" in c for c in names.values()), names
    load.send_signal(signal.SIGKILL)
    load.wait()
    deadline = time.time() + 10
    while alive(helpers) and time.time() < deadline:
        time.sleep(0.1)
    assert not alive(helpers), {pid: names[pid] for pid in alive(helpers)}
    files, reports = consistent(db)  # every file wholly in or wholly out
    assert files >= 1 and reports >= 1
    done = cli("summary", "--format", "json", "--db", str(db))  # the next reader publishes what was committed
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["reports"] == reports
    done = cli("ingest", str(many_files), "--db", str(db))  # and the next load goes on where it stopped
    assert done.returncode == 0, done.stderr[-2000:]
    assert consistent(db)[1] == 601


def test_a_damaged_database_is_refused_in_one_line(tmp_path):
    db = tmp_path / "g.duckdb"
    db.write_bytes(b"not a database, the start of a file a killed copy left" * 100)
    done = cli("ingest", str(write_csv(tmp_path / "a.csv", ["ОО «А»;№ 1 от 01.02.2023;ЗКО;2023;1 000;10"])),
               "--db", str(db), "--workers", "0")
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"error: the database {db.resolve()} cannot be opened (")
    assert "left half-built or is damaged; move it aside and load the files again" in done.stderr
    done = cli("summary", "--db", str(db))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1 and "cannot be opened" in done.stderr


def test_a_second_dashboard_starting_while_the_first_publishes_waits_for_that_snapshot(tmp_path):
    from tests.conftest import handmade_reports

    db = tmp_path / "g.duckdb"
    con = store.connect(db)
    store.save_files(con, [store.ParsedFile("/a.xlsx", "a.xlsx", "1" * 64, 1, "form", handmade_reports())])
    con.close()
    first = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom grantstats import snapshots\n"
                              "with snapshots.writer_lock(sys.argv[1], 'publish (first read after a change)'):\n"
                              "    print('publishing', flush=True); time.sleep(1.5)\n"
                              "    snapshots._publish_locked(snapshots.primary_path(sys.argv[1]))\n", str(db)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline().strip() == "publishing"
        path = snapshots.snapshot_for_reading(db, create=True)  # the second one: no snapshot yet, the lock taken
        assert path.name == "g-1.duckdb"
        with snapshots.reading(db) as con:
            assert metrics.headline(con, Filter()).iloc[0]["reports"] == 5
    finally:
        first.wait(30)


def test_a_command_line_load_yields_the_cpu_to_readers():
    probe = ("import os; from grantstats import process_guard; before = os.nice(0); "
             "print(process_guard.yield_cpu_to_readers() - before)")
    for env_value, expected in (("", "10"), ("3", "3"), ("0", "0"), ("many", "10")):
        env = dict(os.environ, GRANTSTATS_LOAD_NICE=env_value)
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
        assert done.stdout.strip() == expected


def test_a_load_leading_its_own_session_lowers_the_session_group(tmp_path):
    """With autogroup scheduling a dashboard started as a service is a session of its own, so niceness alone does
    not order a load against it: a load leading its session (sudo, a timer) lowers the session's weight too; a
    load sharing someone's terminal session leaves that session's weight alone."""
    group = tmp_path / "autogroup"
    probe = ("import sys; from grantstats import process_guard; "
             "print(process_guard.lower_session_group(int(sys.argv[2]), sys.argv[1]))")
    for own_session, step, answer, after in ((True, 10, "True", "10"), (False, 10, "False", "0"),
                                             (True, 0, "False", "0")):
        group.write_text("/autogroup-25 nice 0\n")
        done = subprocess.run([sys.executable, "-c", probe, str(group), str(step)], capture_output=True, text=True,
                              check=True, cwd=ROOT, start_new_session=own_session)
        assert done.stdout.strip() == answer
        assert group.read_text().split()[-1] == after
    group.write_text("/autogroup-25 nice 15\n")  # never raised back: a session already lower stays as it is
    done = subprocess.run([sys.executable, "-c", probe, str(group), "10"], capture_output=True, text=True, check=True,
                          cwd=ROOT, start_new_session=True)
    assert (done.stdout.strip(), group.read_text().split()[-1]) == ("True", "15")
