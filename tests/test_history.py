"""Report history: a replaced report is kept with when and from which file it came; restore puts it back
exactly, in one transaction; the CLI lists and restores versions."""

from __future__ import annotations

import json

import pytest

from grantstats import history, store
from grantstats.cli import main
from tests.test_registry_ingest import build_two_header_workbook

HEADER = "Грантополучатель;Договор;Сумма гранта;Прямые бенефициары (план);Прямые бенефициары (факт)\n"


def ingest(capsys, db, *paths) -> str:
    code = main(["ingest", *map(str, paths), "--db", str(db), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def replaced(tmp_path, capsys):
    """a.csv loads contract № 7 (100 ₸, plan 10 / fact 8); b.csv loads it again (300 ₸, 10 / 12)."""
    db = tmp_path / "g.duckdb"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEADER + "ОО «Алау»;№ 7 от 01.02.2023;100;10;8\n", encoding="utf-8")
    b.write_text(HEADER + "ОО «Алау»;№ 7 от 01.02.2023;300;10;12\n", encoding="utf-8")
    ingest(capsys, db, a)
    ingest(capsys, db, b)
    return db


def test_a_replaced_report_is_kept_with_when_and_from_which_file(replaced):
    con = store.connect(replaced)
    versions = history.history(con, "алау")
    assert len(versions) == 1
    v = versions.iloc[0]
    assert (v["file_name"], v["replaced_by_file"], v["contract_no"], v["year"]) == ("a.csv", "b.csv", "7", 2023)
    assert v["loaded_at"] <= v["replaced_at"]
    old = history.version_details(con, int(v["version_id"]))
    assert old["grant_amount"] == 100 and old["indicators"]["direct_beneficiaries"]["fact"] == 8
    assert old["source"]["file"] == "a.csv"
    assert con.execute("SELECT grant_amount FROM reports").fetchall() == [(300.0,)]
    con.close()


def test_history_query_matches_grantee_title_contract_or_id_and_nothing_else(replaced):
    con = store.connect(replaced)
    rid = con.execute("SELECT report_id FROM reports").fetchone()[0]
    for query in ("Алау", "7", rid.lower(), None):
        assert len(history.history(con, query)) == 1, query
    assert history.history(con, "Самал").empty
    con.close()


def test_versions_lists_the_current_report_first_then_earlier_ones(replaced):
    con = store.connect(replaced)
    rid = con.execute("SELECT report_id FROM reports").fetchone()[0]
    v = history.versions(con, rid)
    assert list(v["current"]) == [True, False]
    assert list(v["file_name"]) == ["b.csv", "a.csv"]
    con.close()


def test_same_file_again_makes_no_history(replaced, tmp_path, capsys):
    ingest(capsys, replaced, tmp_path / "b.csv")
    con = store.connect(replaced)
    assert len(history.history(con)) == 1
    con.close()


def test_a_changed_file_keeps_every_report_it_drops_or_replaces(tmp_path, capsys):
    db, src = tmp_path / "g.duckdb", tmp_path / "r.csv"
    src.write_text(HEADER + "ОО «А»;№ 1 от 01.02.2023;100;1;1\nОО «Б»;№ 2 от 01.02.2023;200;2;2\n", encoding="utf-8")
    ingest(capsys, db, src)
    src.write_text(HEADER + "ОО «А»;№ 1 от 01.02.2023;150;1;1\n", encoding="utf-8")
    ingest(capsys, db, src)
    con = store.connect(db)
    kept = history.history(con).sort_values("contract_no")
    assert list(kept["contract_no"]) == ["1", "2"]
    assert set(kept["replaced_by_file"]) == {"r.csv"}
    con.close()


def test_restore_makes_the_version_current_and_sends_the_current_one_to_history(replaced):
    con = store.connect(replaced)
    version = int(history.history(con).iloc[0]["version_id"])
    done = history.restore(con, version)
    assert done["restored_version"] == version and done["archived_version"] is not None
    assert con.execute("SELECT grant_amount, file_name FROM reports").fetchall() == [(100.0, "a.csv")]
    assert con.execute("SELECT plan, fact FROM indicators WHERE indicator = 'direct_beneficiaries'").fetchall() == [(10.0, 8.0)]
    left = history.history(con)
    assert len(left) == 1  # the restored version is current now; the one it replaced is kept
    assert left.iloc[0]["file_name"] == "b.csv"
    assert left.iloc[0]["replaced_by_file"] == f"restore of version {version}"
    history.restore(con, int(left.iloc[0]["version_id"]))  # and back again
    assert con.execute("SELECT grant_amount, file_name FROM reports").fetchall() == [(300.0, "b.csv")]
    con.close()


def test_restore_puts_back_every_row_of_every_table_exactly(tmp_path, capsys):
    db = tmp_path / "g.duckdb"
    src = tmp_path / "svod.xlsx"
    build_two_header_workbook(src)
    ingest(capsys, db, src)
    con = store.connect(db)
    ids = store.find_reports(con)
    before = store.report_table_rows(con, ids)
    con.close()
    # another file with the same two contracts (a copy of the workbook with one more blank sheet) replaces both
    from openpyxl import load_workbook

    wb = load_workbook(src)
    wb.create_sheet("пусто")
    other = tmp_path / "svod-copy.xlsx"
    wb.save(other)
    ingest(capsys, db, other)
    con = store.connect(db)
    assert {r[0] for r in con.execute("SELECT file_name FROM reports").fetchall()} == {"svod-copy.xlsx"}
    for version in history.history(con)["version_id"]:
        history.restore(con, int(version))
    after = store.report_table_rows(con, ids)
    con.close()

    def comparable(rows):
        return {rid: {t: [r for r in rs if r.get("rule") != "duplicate_report"] for t, rs in tables.items()}
                for rid, tables in rows.items()}

    assert comparable(after) == comparable(before)


def test_a_failing_restore_changes_nothing(replaced, monkeypatch):
    con = store.connect(replaced)
    version = int(history.history(con).iloc[0]["version_id"])
    snapshot = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("reports", "indicators", "report_history")}

    def broken(con, table, rows):
        if table == "indicators":
            raise RuntimeError("disk full")
        return real(con, table, rows)

    real = store.insert_rows_from_text
    monkeypatch.setattr(store, "insert_rows_from_text", broken)
    with pytest.raises(RuntimeError):
        history.restore(con, version)
    for table, rows in snapshot.items():
        assert con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == rows, table
    con.close()


def test_unknown_version_is_a_plain_error(replaced):
    con = store.connect(replaced)
    with pytest.raises(history.HistoryError, match="no version 999"):
        history.restore(con, 999)
    with pytest.raises(history.HistoryError, match="not a version number"):
        history.restore(con, "latest")
    con.close()


def test_cli_history_lists_and_restore_puts_back(replaced, capsys):
    code, out, _ = cli(capsys, "history", "Алау", "--db", str(replaced))
    assert code == 0
    assert "ОО «Алау»" in out and "from a.csv" in out and "by b.csv" in out and "1 earlier version" in out
    version = out.split()[0]
    code, out, _ = cli(capsys, "history", "--json", "--db", str(replaced))
    assert code == 0 and [r["file_name"] for r in json.loads(out)] == ["a.csv"]
    code, out, _ = cli(capsys, "restore", version, "--db", str(replaced))
    assert code == 0 and f"restored version {version}" in out
    code, out, _ = cli(capsys, "show", "--json", "--db", str(replaced))
    assert json.loads(out)[0]["grant_amount"] == 100
    code, out, err = cli(capsys, "restore", "12345", "--db", str(replaced))
    assert code == 1 and "no version 12345" in err and "Traceback" not in out + err


def test_cli_history_on_a_database_without_replacements(tmp_path, capsys):
    db = tmp_path / "g.duckdb"
    src = tmp_path / "a.csv"
    src.write_text(HEADER + "ОО «Алау»;№ 7 от 01.02.2023;100;10;8\n", encoding="utf-8")
    ingest(capsys, db, src)
    code, out, _ = cli(capsys, "history", "--db", str(db))
    assert code == 0 and "no earlier versions yet" in out


def test_report_page_lists_versions_and_restores_one(replaced, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    con = store.connect(replaced)
    rid = con.execute("SELECT report_id FROM reports").fetchone()[0]
    version = int(history.history(con).iloc[0]["version_id"])
    con.close()
    monkeypatch.setenv("GRANTSTATS_DB", str(replaced))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.query_params["report"] = rid
    at.run()
    at.switch_page("pages/report.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Версии отчета" in [s.value for s in at.subheader]
    table = at.dataframe[-1].value  # the versions table is the page's last
    assert list(table["Версия"]) == ["текущая", str(version)]
    assert list(table["Файл"]) == ["b.csv", "a.csv"]
    at.button(key=f"restore_{rid}").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(f"Версия {version} снова текущая" in s.value for s in at.success)
    con = store.connect(replaced)
    assert con.execute("SELECT grant_amount, file_name FROM reports").fetchall() == [(100.0, "a.csv")]
    con.close()


@pytest.fixture()
def renumbered(tmp_path, capsys):
    """svod.csv loads contract № 7 of ОО «Алау»; the same file, corrected to № 17, loads again: a new report id."""
    db = tmp_path / "g.duckdb"
    svod = tmp_path / "svod.csv"
    svod.write_text(HEADER + "ОО «Алау»;№ 7 от 01.02.2023;100;10;8\nОФ «Нур»;№ 9 от 01.03.2023;50;5;5\n", encoding="utf-8")
    ingest(capsys, db, svod)
    con = store.connect(db)
    old = con.execute("SELECT report_id FROM reports WHERE grantee = 'ОО «Алау»'").fetchone()[0]
    con.close()
    svod.write_text(HEADER + "ОО «Алау»;№ 17 от 01.02.2023;100;10;8\nОФ «Нур»;№ 9 от 01.03.2023;50;5;5\n", encoding="utf-8")
    ingest(capsys, db, svod)
    return db, old


def test_whereabouts_of_a_replaced_id_names_the_file_and_the_report_now_in_its_place(renumbered):
    db, old = renumbered
    con = store.connect(db)
    new = con.execute("SELECT report_id FROM reports WHERE contract_no = '17'").fetchone()[0]
    assert new != old
    where = history.whereabouts(con, old)
    assert (where["status"], where["replaced_by_file"], where["current_id"]) == ("replaced", "svod.csv", new)
    assert history.whereabouts(con, new) == {"status": "current", "current_id": new}
    assert history.whereabouts(con, "NOPE123") == {"status": "unknown", "current_id": None}
    con.close()


def test_batched_save_reports_replacements_like_file_by_file(tmp_path):
    """save_files asks the database once per batch, not once per file: same outcomes as saving one by one."""
    from grantstats import store
    from grantstats.model import Report

    def parsed(name, sha, contracts):
        reports = [Report(grantee="ОО «Жастар»", title=f"Проект {c}", contract_no=c) for c in contracts]
        return store.ParsedFile(str(tmp_path / name), name, sha, 10, "registry", reports)

    con = store.connect(tmp_path / "db.duckdb")
    first = store.save_files(con, [parsed("a.xlsx", "s1", ["1", "2"]), parsed("b.xlsx", "s2", ["3"])])
    assert [o.status for o in first] == ["loaded", "loaded"]
    again = store.save_files(con, [parsed("a.xlsx", "s1", ["1", "2"]),      # unchanged
                                   parsed("c.xlsx", "s3", ["3", "4"]),      # takes report 3 from b.xlsx
                                   parsed("b.xlsx", "s4", ["5"])])          # b.xlsx changed: its reports go
    assert [o.status for o in again] == ["unchanged", "loaded", "loaded"]
    assert again[1].replaced == [(first[1].report_ids[0], "b.xlsx")]
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 3
    assert sorted(r[0] for r in con.execute("SELECT name FROM files").fetchall()) == ["a.xlsx", "b.xlsx", "c.xlsx"]
