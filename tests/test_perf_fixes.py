"""The performance shortcuts give the same answers as the full matching they skip."""

from __future__ import annotations

from grantstats.readers import registry
from grantstats.readers.grid import Grid


def test_letterless_labels_only_ever_name_an_age_bracket():
    assert registry.classify_label("204") is None
    assert registry.classify_label("42 200") is None
    assert registry.classify_label("7440000.5") is None
    assert registry.classify_label("2023-05-01") is None
    assert registry.classify_label("13-16") == registry.Column("participants", "13-16", "age", False)
    assert registry.classify_label("59+") == registry.Column("participants", "59+", "age", False)
    assert registry.classify_label("13-16 лет") == registry.Column("participants", "13-16", "age", False)


def test_header_found_past_rows_too_narrow_to_be_one():
    grid = Grid("s", [
        ["Сводная таблица", ""],
        ["Грантополучатель", "ОО «Жастар»"],
        ["Грантополучатель", "Наименование социального проекта", "Регион реализации", "Сумма гранта, тенге"],
        ["ОО «Жастар»", "Школа волонтеров", "Шымкент", 4000000],
    ])
    row, height, columns = registry.find_header(grid)
    assert (row, height) == (2, 1)
    assert {c.code for c in columns.values()} >= {"grantee", "title", "grant_amount"}


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


def test_a_row_of_one_new_text_among_figures_is_passed_over_unmatched():
    activity = "Проведение выездного семинара для волонтёров села Каратал"
    grid = Grid("s", [
        ["1", activity, 10, 12],
        ["Грантополучатель", "Наименование проекта", "Регион", "Сумма гранта"],
        ["ОО «Жастар»", "Школа волонтеров", "Шымкент", 4000000],
    ])
    row, height, columns = registry.find_header(grid)
    assert (row, height) == (1, 1)
    assert [c.code for c in columns.values()] == ["grantee", "title", "region", "grant_amount"]
    assert activity not in registry._CLASSIFIED  # never matched: it could not have made a header of that row


def test_save_batches_shrink_towards_the_end_of_a_load():
    from grantstats.ingest import tail_batch

    def batches(n_files: int, batch_files: int) -> list[int]:
        sizes, pending = [], 0
        for done in range(1, n_files + 1):
            pending += 1
            if pending >= tail_batch(batch_files, n_files - done):
                sizes.append(pending)
                pending = 0
        return sizes + ([pending] if pending else [])

    # 100 files: 33 once 67 are left (67 // 2 = 33), 22 once 45 are left, then 16 at least, and the last 13
    assert batches(100, 250) == [33, 22, 16, 16, 13]
    assert batches(1000, 250) == [250, 250, 167, 111, 74, 49, 33, 22, 16, 16, 12]
    assert batches(5, 2) == [2, 2, 1]  # a batch size below the floor is kept


def _whole_form(tmp_path, name="form.xlsx"):
    from grantstats.sample import make_reports
    from grantstats.template import write_form_report

    report = make_reports(1, 11)[0]
    return write_form_report(tmp_path / name, report, arrangement=0), report


def test_the_sheet_of_a_whole_form_is_not_searched_for_a_registry_header(tmp_path, monkeypatch):
    from grantstats.readers import read_reports

    path, report = _whole_form(tmp_path)
    searched = []
    real = registry.find_header
    monkeypatch.setattr(registry, "find_header", lambda grid: searched.append(grid.name) or real(grid))
    layout, [read] = read_reports(path)
    assert layout == "form" and read.grantee == report["grantee"]
    assert read.indicators and read.participants  # a whole form: passport, indicators, participants
    assert searched == []


def test_a_registry_sheet_beside_a_whole_form_is_still_read_as_the_registry(tmp_path):
    from openpyxl import load_workbook

    from grantstats.readers import read_reports

    path, _ = _whole_form(tmp_path)
    wb = load_workbook(path)
    ws = wb.create_sheet("Реестр")
    ws.append(["Грантополучатель", "Наименование проекта", "Регион", "Сумма гранта", "Год"])
    ws.append(["ОО «Жастар»", "Школа волонтеров", "Шымкент", 4000000, 2023])
    ws.append(["ОФ «Болашак»", "Семейный центр", "Алматы", 7500000, 2023])
    wb.save(path)
    layout, reports = read_reports(path)
    assert layout == "registry"
    assert [(r.grantee, r.grant_amount.value) for r in reports] == [("ОО «Жастар»", 4000000), ("ОФ «Болашак»", 7500000)]
