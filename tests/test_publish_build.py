"""A snapshot's metrics cache built table by table on several cursors (cache.build_published) holds what the
dashboard's own one-transaction build (cache.refresh_cache) makes of the same data, row for row."""

from __future__ import annotations

import importlib
import shutil

import duckdb

from grantstats import metrics, snapshots
from grantstats.metrics import cache

for module in snapshots.PUBLISHED_WITH:  # their tables are published too
    importlib.import_module(module)


def _rows(cache_file, names) -> dict[str, list]:
    with duckdb.connect(str(cache_file), read_only=True) as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names}


def test_tables_built_side_by_side_equal_those_built_in_one_transaction(sample_db, tmp_path):
    one, side = tmp_path / "one.duckdb", tmp_path / "side.duckdb"
    shutil.copyfile(sample_db, one)
    shutil.copyfile(sample_db, side)
    names = cache.published_tables()
    with duckdb.connect(str(one), read_only=True) as con:  # as a reader with no published cache builds them
        cache.refresh_cache(con, names)
        con.execute(f"CHECKPOINT {cache.CACHE_DB}")
    cache.build_published(side, workers=3)

    expected, built = _rows(cache.cache_file(one), names), _rows(cache.cache_file(side), names)
    assert {n: len(r) for n, r in built.items()} == {n: len(r) for n, r in expected.items()}
    assert built == expected
    assert len(built["facts"]) == 120 and any(built[n] for n in names if n.startswith("contract_facts_"))
    with duckdb.connect(str(cache.cache_file(side)), read_only=True) as con:
        states = dict(con.execute("SELECT name, fingerprint FROM state").fetchall())
    assert set(names) <= set(states) and len({states[n] for n in names}) == 1

    built_before = cache.TABLES_BUILT[0]  # a reader of the snapshot finds every table current: it builds none
    with duckdb.connect(str(side), read_only=True) as con:
        cache.attach_published(con)
        assert metrics.headline(con).iloc[0]["reports"] == 120
    assert cache.TABLES_BUILT[0] == built_before


def test_a_dashboard_publishes_with_the_cache_built_in_a_child_process(sample_db, tmp_path):
    """build_apart (what the dashboard asks for): the same cache, built by a child process, so the build's
    working memory is never the dashboard's; this process builds no table."""
    db = tmp_path / "grants.duckdb"
    shutil.copyfile(sample_db, db)
    built_before = cache.TABLES_BUILT[0]
    path = snapshots.snapshot_for_reading(db, create=True, build_apart=True)
    assert cache.TABLES_BUILT[0] == built_before
    assert snapshots.current(db).reports == 120
    names = cache.published_tables()
    with duckdb.connect(str(cache.cache_file(path)), read_only=True) as con:
        assert set(names) <= {r[0] for r in con.execute("SELECT name FROM state").fetchall()}
    with duckdb.connect(str(path), read_only=True) as con:  # a reader finds every table current
        cache.attach_published(con)
        assert metrics.headline(con).iloc[0]["reports"] == 120
    assert cache.TABLES_BUILT[0] == built_before

    with snapshots.write_session(db, "test load", build_apart=True) as con:  # an Upload page load: the same
        con.execute("DELETE FROM reports WHERE report_id = (SELECT min(report_id) FROM reports)")
    assert snapshots.current(db).reports == 119 and snapshots.current(db).generation == 2
    assert cache.TABLES_BUILT[0] == built_before


def test_a_child_build_that_fails_is_one_line_naming_the_snapshot(tmp_path):
    broken = tmp_path / "grants-7.duckdb"
    broken.write_bytes(b"not a database at all" * 100)
    try:
        snapshots.build_cache_apart(broken)
    except RuntimeError as exc:
        text = str(exc)
    else:
        raise AssertionError("a broken snapshot was built")
    assert text.startswith("the metrics cache of snapshot grants-7.duckdb could not be built: ")
    assert "\n" not in text and "Traceback" not in text


def test_a_load_builds_its_snapshots_cache_without_pandas_and_the_figures_still_come_whole():
    import subprocess
    import sys
    from pathlib import Path

    script = ("import sys\n"
              "from grantstats import snapshots\n"
              "snapshots.import_published_modules()\n"
              "from grantstats.metrics import cache\n"
              "assert len(cache.published_tables()) >= 15, cache.published_tables()\n"
              "print('pandas' in sys.modules)\n"
              "from grantstats.metrics import headline, totals, breakdown\n"  # headline brings totals' module in
              "from grantstats import metrics\n"
              "print(callable(totals), metrics.totals is totals, metrics.plan_vs_fact.__name__, breakdown.__name__)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=str(Path(__file__).resolve().parent.parent))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["False", "True True plan_vs_fact breakdown"]
