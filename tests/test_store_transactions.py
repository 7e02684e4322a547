"""store.transaction, the one place a transaction begins, commits or rolls back: a block's writes are wholly
in or wholly out, and a transaction asked for inside another is refused before anything is written."""

from __future__ import annotations

import pytest

from grantstats import store


@pytest.fixture
def con(tmp_path):
    connection = store.connect(tmp_path / "t.duckdb")
    connection.execute("CREATE TABLE notes (n INTEGER)")
    yield connection
    connection.close()


def notes(con) -> list[int]:
    return [n for (n,) in con.execute("SELECT n FROM notes ORDER BY n").fetchall()]


def test_a_block_that_ends_is_committed(con):
    with store.transaction(con):
        con.execute("INSERT INTO notes VALUES (1), (2)")
    with store.transaction(con):  # nothing was left open: a new transaction begins
        con.execute("INSERT INTO notes VALUES (3)")
    assert notes(con) == [1, 2, 3]


def test_a_block_that_raises_leaves_nothing_and_the_error_passes_on(con):
    with pytest.raises(ZeroDivisionError):
        with store.transaction(con):
            con.execute("INSERT INTO notes VALUES (1)")
            1 / 0
    assert notes(con) == []
    with store.transaction(con):  # and the connection is usable again
        con.execute("INSERT INTO notes VALUES (2)")
    assert notes(con) == [2]


def test_a_transaction_inside_another_is_refused_and_the_outer_one_goes_on(con):
    with store.transaction(con):
        con.execute("INSERT INTO notes VALUES (1)")
        with pytest.raises(store.TransactionOpen, match="already open"):
            with store.transaction(con):
                con.execute("INSERT INTO notes VALUES (2)")  # never runs
        con.execute("INSERT INTO notes VALUES (3)")
    assert notes(con) == [1, 3]


def test_delete_reports_takes_every_row_of_the_reports_and_no_other(con):
    con.execute("INSERT INTO reports (report_id, identity) VALUES ('R1', 'a'), ('R2', 'b')")
    con.execute("INSERT INTO indicators (report_id, indicator, fact) VALUES ('R1', 'staff', 3), ('R2', 'staff', 4)")
    con.execute("INSERT INTO findings (report_id, rule) VALUES ('R1', 'missing_field')")
    with store.transaction(con):
        store.delete_reports(con, ["R1"])
    assert {t: n for t, n in store.table_counts(con).items() if n} == {"reports": 1, "indicators": 1}
    assert con.execute("SELECT report_id FROM indicators").fetchall() == [("R2",)]


def test_report_summaries_and_loaded_files_name_only_what_is_stored(con):
    con.execute("INSERT INTO files (sha256, name, loaded_at) VALUES ('f1', 'a.csv', TIMESTAMP '2024-05-01 10:00')")
    con.execute("INSERT INTO reports (report_id, identity, grantee, title, file_name, loaded_at)"
                " VALUES ('R1', 'a', 'ОО «Алау»', 'Жастар', 'a.csv', TIMESTAMP '2024-05-01 10:00')")
    files = store.loaded_files(con, ["f1", "f2"])
    assert list(files) == ["f1"] and files["f1"][0] == "a.csv" and files["f1"][1].hour == 10
    summaries = store.report_summaries(con, ["R1", "R9"])
    assert list(summaries) == ["R1"]
    assert {k: v for k, v in summaries["R1"].items() if k != "loaded_at"} == {
        "report_id": "R1", "grantee": "ОО «Алау»", "title": "Жастар", "file_name": "a.csv"}
