"""Uploads: the dry run reads files without touching the database or the archive; load saves them in one
transaction (replaced reports go to the history) and keeps them in the archive; cancel changes nothing and
leaves nothing; a refused file does not stop the others and leaves nothing; a region's staff cannot load or
replace another region's report; readers keep seeing the old figures until the load commits. The upload page
under AppTest."""

from __future__ import annotations

import hashlib
import threading
import urllib.parse
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grantstats import history, metrics, store, upload

APP = str(Path(__file__).resolve().parent.parent / "app.py")
HEADER = "Грантополучатель;Договор;Регион;Сумма гранта;Прямые бенефициары (план);Прямые бенефициары (факт)\n"
A_CSV = (HEADER + "ОО «Алау»;№ 7 от 01.02.2023;г. Шымкент;1 000 000;100;120\n"
         "ОФ «Самал»;№ 8 от 01.03.2023;ЗКО;2 000 000;50;40\n").encode("utf-8")
B_CSV = (HEADER + "ОО «Алау»;№ 7 от 01.02.2023;г. Шымкент;3 000 000;100;130\n").encode("utf-8")
PDF = b"%PDF-1.4 this is a scanned report"  # a PDF only by its first bytes: damaged


def xlsx_bytes() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Грантополучатель", "Номер договора", "Год", "Сумма гранта"])
    ws.append(["ЧУ «Жарык»", "15", 2024, 500000])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture()
def db(tmp_path):
    return tmp_path / "g.duckdb"


@pytest.fixture()
def con(db):
    con = store.connect(db)
    yield con
    con.close()


def everything(con) -> dict:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("files", "reports", "indicators",
                                                                                  "findings", "report_history")}


def kept_files(archive: Path) -> list[str]:
    """The files kept in the archive (the pending folder left out) and those waiting in it."""
    return sorted(p.name for p in archive.iterdir() if p.is_file()) if archive.exists() else []


def pending_files(archive: Path) -> list[str]:
    return kept_files(archive / upload.PENDING)


def test_dry_run_reads_and_writes_nothing_to_the_database_or_the_archive(con, tmp_path):
    archive = tmp_path / "archive"
    before = everything(con)
    jaryk_xlsx = xlsx_bytes()  # (a workbook's bytes hold the time it was written: made once)
    planned = upload.dry_run(con, [("a.csv", A_CSV), ("jaryk.xlsx", jaryk_xlsx)], archive, workers=0)
    assert everything(con) == before  # nothing saved: cancelling is doing nothing
    assert kept_files(archive) == []
    for item, data, suffix in zip(planned, (A_CSV, jaryk_xlsx), (".csv", ".xlsx")):
        kept = archive / f"{hashlib.sha256(data).hexdigest()}{suffix}"
        assert item.archive_path == kept and not kept.exists() and item.pending_path.read_bytes() == data
    a, jaryk = planned
    assert (a.status, len(a.reports), jaryk.status, len(jaryk.reports)) == ("new", 2, "new", 1)
    alau = a.reports[0]
    assert (alau.grantee, alau.contract_no, alau.year, alau.regions) == ("ОО «Алау»", "7", 2023, "KZ-79")
    assert (alau.grant_amount, alau.direct_plan, alau.direct_fact) == (1_000_000, 100, 120)
    assert alau.replaces_report is None
    table = upload.plan_table(planned)
    assert list(table["status"]) == ["new", "new", "new"]
    assert list(table["grant_amount"]) == [1_000_000, 2_000_000, 500_000]
    assert upload.summary_counts(planned) == {"files": 2, "refused": 0, "unchanged": 0, "reports": 3, "replacing": 0,
                                              "errors": sum(r.errors for p in planned for r in p.reports),
                                              "warnings": sum(r.warnings for p in planned for r in p.reports)}


def test_a_load_keeps_its_files_in_the_archive_and_a_cancel_or_a_refusal_leaves_nothing(con, tmp_path):
    archive = tmp_path / "archive"
    cancelled = upload.dry_run(con, [("a.csv", A_CSV)], archive, workers=0)
    upload.discard(cancelled)
    assert kept_files(archive) == [] and pending_files(archive) == []
    planned = upload.dry_run(con, [("a.csv", A_CSV), ("scan.xlsx", PDF)], archive, workers=0)
    assert pending_files(archive) == [f"{hashlib.sha256(A_CSV).hexdigest()}.csv"]  # the refused one is gone
    results = upload.commit(con, planned)
    assert [r.status for r in results] == ["loaded", "refused"]
    assert kept_files(archive) == [f"{hashlib.sha256(A_CSV).hexdigest()}.csv"] and pending_files(archive) == []
    stored = con.execute("SELECT DISTINCT source_path FROM reports").fetchall()
    assert stored == [(str((archive / kept_files(archive)[0]).resolve()),)]  # the path it is kept at


def test_a_regions_staff_cannot_load_or_replace_another_regions_report(con, tmp_path):
    archive = tmp_path / "archive"
    # A_CSV: Алау in г. Шымкент (KZ-79), Самал in ЗКО (KZ-27)
    [mixed] = upload.dry_run(con, [("a.csv", A_CSV)], archive, workers=0, scope=("KZ-79",))
    assert mixed.status == "refused" and "is of KZ-27, outside your regions (KZ-79)" in mixed.message
    assert pending_files(archive) == []
    upload.commit(con, upload.dry_run(con, [("a.csv", A_CSV)], archive, workers=0))  # loaded by a manager
    # B_CSV replaces Алау (KZ-79): refused to KZ-27's staff, planned for KZ-79's
    [other] = upload.dry_run(con, [("b.csv", B_CSV)], archive, workers=0, scope=("KZ-27",))
    assert other.status == "refused" and "outside your regions" in other.message
    [own] = upload.dry_run(con, [("b.csv", B_CSV)], archive, workers=0, scope=("KZ-79",))
    assert own.status == "new" and own.reports[0].replaces_report is not None
    [result] = upload.commit(con, [own], scope=("KZ-79",))
    assert result.status == "loaded"


def test_findings_of_the_dry_run_are_those_ingest_would_store(con, tmp_path):
    planned = upload.dry_run(con, [("a.csv", A_CSV)], tmp_path / "archive", workers=0)
    found = upload.findings_table(planned)
    upload.commit(con, planned)
    stored = con.execute("SELECT rule FROM findings WHERE rule <> 'duplicate_report' ORDER BY rule").fetchall()
    assert sorted(found["rule"]) == [r[0] for r in stored]


def test_load_saves_and_a_second_upload_shows_what_it_would_replace(con, tmp_path):
    archive = tmp_path / "archive"
    results = upload.commit(con, upload.dry_run(con, [("a.csv", A_CSV)], archive, workers=0))
    assert [(r.status, r.reports) for r in results] == [("loaded", 2)]
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2

    planned = upload.dry_run(con, [("b.csv", B_CSV)], archive, workers=0)
    [b] = planned
    assert b.reports[0].replaces_report["file_name"] == "a.csv"
    row = upload.plan_table(planned).iloc[0]
    assert row["status"] == "replaces" and "from a.csv" in row["replaces"]
    assert con.execute("SELECT grant_amount FROM reports WHERE contract_no = '7'").fetchone()[0] == 1_000_000

    [result] = upload.commit(con, planned)
    assert result.status == "loaded" and [f for _, f in result.replaced] == ["a.csv"]
    assert con.execute("SELECT grant_amount FROM reports WHERE contract_no = '7'").fetchone()[0] == 3_000_000
    kept = history.history(con, "Алау")
    assert list(kept["file_name"]) == ["a.csv"] and list(kept["replaced_by_file"]) == ["b.csv"]


def test_the_same_file_again_is_unchanged(con, tmp_path):
    archive = tmp_path / "archive"
    upload.commit(con, upload.dry_run(con, [("a.csv", A_CSV)], archive, workers=0))
    planned = upload.dry_run(con, [("a-copy.csv", A_CSV), ("b.csv", B_CSV), ("b-again.csv", B_CSV)], archive, workers=0)
    assert [p.status for p in planned] == ["unchanged", "new", "unchanged"]
    assert "already loaded (a.csv" in planned[0].message and "b.csv in this upload" in planned[2].message
    results = upload.commit(con, planned)
    assert [r.status for r in results] == ["unchanged", "loaded", "unchanged"]


def test_a_refused_file_says_why_in_one_line_and_the_others_still_load(con, tmp_path):
    planned = upload.dry_run(con, [("scan.xlsx", PDF), ("a.csv", A_CSV), ("empty.csv", b"")], tmp_path / "archive",
                             workers=0)
    scan, a, empty = planned
    assert scan.status == "refused" and scan.message.startswith("the PDF is damaged or incomplete")
    assert empty.status == "refused" and "empty" in empty.message
    assert "\n" not in scan.message and hashlib.sha256(PDF).hexdigest() not in scan.message  # named as uploaded
    results = upload.commit(con, planned)
    assert [r.status for r in results] == ["refused", "loaded", "refused"]
    assert results[0].line().startswith("refused   scan.xlsx: the PDF is damaged")
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2


def test_uploaded_names_lose_folders_and_control_characters(con, tmp_path):
    archive = tmp_path / "archive"
    [item] = upload.dry_run(con, [("../../etc/\x07evil.csv", A_CSV)], archive, workers=0)
    assert item.name == "evil.csv"
    assert item.archive_path.parent == archive and not (tmp_path / "etc").exists()


def test_dry_run_reads_through_the_guarded_worker_pool(con, tmp_path):
    planned = upload.dry_run(con, [("a.csv", A_CSV), ("scan.xlsx", PDF)], tmp_path / "archive")  # worker processes
    assert [p.status for p in planned] == ["new", "refused"]


def test_archive_folder_follows_the_setting_or_sits_next_to_the_database(monkeypatch, tmp_path):
    monkeypatch.delenv("GRANTSTATS_ARCHIVE", raising=False)
    assert upload.archive_dir(tmp_path / "x" / "g.duckdb") == tmp_path / "x" / "archive"
    monkeypatch.setenv("GRANTSTATS_ARCHIVE", str(tmp_path / "kept"))
    assert upload.archive_dir(tmp_path / "x" / "g.duckdb") == tmp_path / "kept"


def test_readers_see_the_old_figures_while_a_load_is_open_then_the_new_ones(con, tmp_path, monkeypatch):
    """A load is one transaction: another session's cursor reads the old state, unblocked, until it commits."""
    archive = tmp_path / "archive"
    upload.commit(con, upload.dry_run(con, [("a.csv", A_CSV)], archive, workers=0))
    planned = upload.dry_run(con, [("b.csv", B_CSV), ("jaryk.xlsx", xlsx_bytes())], archive, workers=0)
    reader, writer = con.cursor(), con.cursor()
    inside, go = threading.Event(), threading.Event()
    real_insert = store._bulk_insert

    def slow_insert(c, table, rows):
        real_insert(c, table, rows)
        if table == "files":  # the last write before COMMIT
            inside.set()
            assert go.wait(30)

    monkeypatch.setattr(store, "_bulk_insert", slow_insert)
    done: list = []
    thread = threading.Thread(target=lambda: done.append(upload.commit(writer, planned)))
    thread.start()
    try:
        assert inside.wait(30)
        # the writer has deleted the old № 7 and inserted the new rows, uncommitted: the reader sees the old state
        assert reader.execute("SELECT count(*), sum(grant_amount) FROM reports").fetchone() == (2, 3_000_000)
        head = metrics.headline(reader, metrics.Filter()).iloc[0]
        assert (head["reports"], head["grant_amount"]) == (2, 3_000_000)
    finally:
        go.set()
        thread.join(30)
    assert [r.status for r in done[0]] == ["loaded", "loaded"]
    assert reader.execute("SELECT count(*), sum(grant_amount) FROM reports").fetchone() == (3, 5_500_000)
    head = metrics.headline(reader, metrics.Filter()).iloc[0]
    assert (head["reports"], head["grant_amount"]) == (3, 5_500_000)


# ------------------------------------------------------------------------------------------- the page

def open_upload_page(db: Path, tmp_path: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    monkeypatch.setenv("GRANTSTATS_ARCHIVE", str(tmp_path / "archive"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/upload.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [e.value for e in at.error] + [s.value for s in at.success]
                     + [i.value for i in at.info])


def test_upload_page_dry_run_then_load(db, tmp_path, monkeypatch):
    at = open_upload_page(db, tmp_path, monkeypatch)
    assert at.title[0].value == "Загрузка"
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files
    assert set(uploader.allowed_type) >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx", ".pdf"}
    uploader.set_value([("a.csv", A_CSV, "text/csv"), ("scan.xlsx", PDF, "application/octet-stream")])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at)
    assert "отчетов к загрузке: 2" in text and "не приняты: 1" in text
    assert "Файл «scan.xlsx» не принят: PDF поврежден или неполон" in text  # the reason in the page's language
    assert "ошибок: 0 · предупреждений:" in text
    plan = at.dataframe[0].value
    assert list(plan["Грантополучатель"]) == ["ОО «Алау»", "ОФ «Самал»"]
    assert not at.expander  # the findings are shown open
    check = store.connect(db)
    assert check.execute("SELECT count(*) FROM reports").fetchone()[0] == 0  # the dry run saved nothing
    check.close()
    assert kept_files(tmp_path / "archive") == []  # nothing archived before the load

    at.button(key="upload_load").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at)
    assert "Загружено отчетов: 2 из 1 файлов." in text
    assert "«a.csv»: загружено отчетов — 2" in text
    new = at.dataframe[0].value  # a link to each report just loaded, by its grantee's name
    assert sorted(urllib.parse.unquote_plus(link.rsplit("name=", 1)[1]) for link in new["Грантополучатель"]) == [
        "ОО «Алау»", "ОФ «Самал»"]
    assert all("./report?" in link and "report=R" in link for link in new["Грантополучатель"])
    check = store.connect(db)
    assert check.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    check.close()
    assert not at.file_uploader[0].value  # the uploader is cleared for the next batch


def test_upload_page_cancel_leaves_the_database_untouched(db, tmp_path, monkeypatch):
    con = store.connect(db)
    upload.commit(con, upload.dry_run(con, [("a.csv", A_CSV)], tmp_path / "archive", workers=0))
    before = everything(con)
    con.close()
    at = open_upload_page(db, tmp_path, monkeypatch)
    at.file_uploader[0].set_value([("b.csv", B_CSV, "text/csv")])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    plan = at.dataframe[0].value
    assert list(plan["Статус"]) == ["заменит прежний"]
    assert "из «a.csv»" in plan["Заменит"].iloc[0]
    at.button(key="upload_cancel").click()
    at.run()
    assert "Загрузка отменена: база не изменилась" in page_text(at)
    con = store.connect(db)
    assert everything(con) == before
    con.close()


def test_upload_page_with_nothing_new_offers_no_load(db, tmp_path, monkeypatch):
    at = open_upload_page(db, tmp_path, monkeypatch)
    at.file_uploader[0].set_value([("scan.xlsx", PDF, "application/octet-stream")])
    at.run()
    assert "Загружать нечего" in page_text(at)
    assert at.button(key="upload_load").disabled


ERRORS_CSV = (HEADER + "ОО «Ошибка»;№ 77 от 01.02.2023;г. Шымкент;1 000 000;10;-5\n"
              "ОФ «Верно»;№ 78 от 01.02.2023;ЗКО;2 000 000;10;12\n").encode("utf-8")


def test_loading_reports_with_errors_asks_a_second_time_and_names_them(db, tmp_path, monkeypatch):
    at = open_upload_page(db, tmp_path, monkeypatch)
    at.file_uploader[0].set_value([("errors.csv", ERRORS_CSV, "text/csv")])
    at.run()
    assert "ошибок: 1" in page_text(at)  # counted in the summary line
    assert at.subheader[-1].value.startswith("Замечания к прочитанным отчетам: ошибок — 1")
    at.button(key="upload_load").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    check = store.connect(db)
    assert check.execute("SELECT count(*) FROM reports").fetchone()[0] == 0  # the first click loads nothing
    check.close()
    assert at.warning and "В 1 отчетах к загрузке найдены ошибки (всего 1)" in at.warning[0].value
    assert "ОО «Ошибка»" in page_text(at)
    at.button(key="upload_load_anyway").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    check = store.connect(db)
    assert check.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    check.close()


def test_the_upload_page_in_kazakh_says_everything_in_kazakh(db, tmp_path, monkeypatch):
    import re

    con = store.connect(db)  # loaded before the dashboard opens (it reads the snapshot it publishes then)
    upload.commit(con, upload.dry_run(con, [("a.csv", A_CSV)], tmp_path / "archive", workers=0))
    con.close()
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    monkeypatch.setenv("GRANTSTATS_ARCHIVE", str(tmp_path / "archive"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "kk"
    at.run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value([("a.csv", A_CSV, "text/csv"), ("scan.xlsx", PDF, "application/octet-stream"),
                                   ("b.csv", B_CSV, "text/csv")])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at) + "\n".join(c.value for c in at.caption)
    assert "«scan.xlsx» файлы қабылданбады: PDF зақымдалған немесе толық емес" in text
    assert "«a.csv» файлы дерекқорды өзгертпейді: ол бұрын жүктелген («a.csv»" in text
    text = text.replace("scan.xlsx", "").replace("a.csv", "").replace("b.csv", "")  # the files' own names
    english = [w for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in {"xlsx", "xlsm", "xlsb", "docx", "word", "excel"}]
    assert english == []
    assert at.file_uploader[0].label == "Есеп файлдары"
    css = " ".join(h.proto.body for h in at.get("html"))
    assert 'content: "Файлдарды таңдау"' in css and "stFileUploaderDropzoneInstructions" in css
