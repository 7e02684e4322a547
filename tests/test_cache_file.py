"""The metrics cache kept in a file beside the database: a restarted dashboard finds it built while the data is
unchanged, builds it again after a load, and works in memory when the file cannot be used."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from grantstats import metrics, store
from grantstats.cli import main
from grantstats.metrics import Filter, cache

HEADER = "Грантополучатель;Тема гранта;Номер договора;Регион;Год;Сумма гранта;Направление;Прямые бенефициары (факт)"


def load(db, folder, name, rows) -> None:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert main(["ingest", str(path), "--db", str(db), "--workers", "0"]) == 0


def headline(db) -> tuple[int, float, int]:
    """(reports, grant amount, cache tables built) from a fresh DuckDB instance, as a restarted dashboard."""
    built = cache.TABLES_BUILT[0]
    with store.connect(db, read_only=True) as con:
        row = metrics.headline(con, Filter()).iloc[0]
        return int(row["reports"]), float(row["grant_amount"]), cache.TABLES_BUILT[0] - built


@pytest.fixture()
def db(tmp_path):
    db = tmp_path / "g.duckdb"
    load(db, tmp_path, "a.csv", ["ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60",
                                 "ОФ «Бета»;Экология;73;г. Алматы;2023;2 000 000;3;10"])
    return db


def test_a_restarted_dashboard_finds_the_cache_of_an_unchanged_database_built(db):
    reports, amount, built = headline(db)
    assert (reports, amount) == (2, 7_000_000) and built > 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert cache.cache_path(con) == db.with_suffix(".cache.duckdb")
    assert db.with_suffix(".cache.duckdb").exists()
    assert headline(db) == (2, 7_000_000, 0)  # nothing built: the file's tables are current


def test_a_load_made_while_the_dashboard_was_closed_is_in_the_next_figures(db, tmp_path):
    headline(db)
    load(db, tmp_path, "b.csv", ["ЧУ «Сана»;Чтение;80;г. Шымкент;2024;1 500 000;4;30"])
    reports, amount, built = headline(db)
    assert (reports, amount) == (3, 8_500_000) and built > 0
    assert headline(db) == (3, 8_500_000, 0)


def test_tables_kept_by_another_version_of_the_code_are_built_again(db, monkeypatch):
    headline(db)
    monkeypatch.setattr(cache, "_CODE_STAMP", "another-version")
    reports, amount, built = headline(db)
    assert (reports, amount) == (2, 7_000_000) and built > 0


def test_a_cache_file_another_process_holds_leaves_the_cache_in_memory(db):
    cache = db.with_suffix(".cache.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
                               " print('holding', flush=True); time.sleep(60)", str(cache)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with store.connect(db, read_only=True) as con:
            assert int(metrics.headline(con, Filter()).iloc[0]["reports"]) == 2
            path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'gs_cache'").fetchone()[0]
            assert path in (None, "", ":memory:")
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert headline(db)[:2] == (2, 7_000_000)  # the file is used again once free
