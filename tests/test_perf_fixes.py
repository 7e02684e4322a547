"""The performance shortcuts give the same answers as the full matching they skip."""

from __future__ import annotations

import time

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


def test_small_batches_are_saved_only_while_the_workers_are_still_reading():
    from grantstats.ingest import save_now

    def batches(n_files: int, batch_files: int, ready_from: int) -> list[int]:
        """Sizes saved when the workers have read every file by the time file `ready_from` is taken."""
        sizes, pending = [], 0
        for done in range(1, n_files + 1):
            pending += 1
            if save_now(pending, batch_files, n_files - done, next_ready=done >= ready_from):
                sizes.append(pending)
                pending = 0
        return sizes + ([pending] if pending else [])

    # the workers never ahead: the shrinking tail batches of tail_batch, as above
    assert batches(1000, 250, ready_from=10**9) == [250, 250, 167, 111, 74, 49, 33, 22, 16, 16, 12]
    # every file read by the time the 600th is taken: full batches of what is waiting, the rest in one
    assert batches(1000, 250, ready_from=600) == [250, 250, 250, 250]
    # read by the 850th: the tail batches up to there (167 at 667, 111 at 778), then all 222 left at once
    assert batches(1000, 250, ready_from=850) == [250, 250, 167, 111, 222]


def test_next_ready_says_whether_taking_the_next_result_waits_for_a_worker(tmp_path):
    from grantstats.worker import ParsePool

    paths = []
    for i in range(6):
        rows = 2000 if i == 3 else 1  # the second chunk (files 3-5) takes the worker a while
        path = tmp_path / f"r{i}.csv"
        path.write_text("Грантополучатель;Наименование проекта;Регион;Сумма гранта\n" + "".join(
            f"ОО «А{i}-{k}»;Проект {k};Шымкент;{100 + k}\n" for k in range(rows)), encoding="utf-8")
        paths.append(path)
    seen = []
    with ParsePool(workers=1, chunk_size=3) as pool:
        for k, _ in enumerate(pool.parse_many(paths)):
            seen.append(pool.next_ready())
            if k == 2:  # the second chunk is with the worker: its first result is ready once the chunk is back
                deadline = time.monotonic() + 30
                while not pool.next_ready() and time.monotonic() < deadline:
                    time.sleep(0.01)
                assert pool.next_ready()
    assert seen[:3] == [True, True, False]  # the rest of the first chunk came back with it; the next did not
    assert seen[-1]  # nothing left to wait for
    with ParsePool(workers=0) as pool:
        assert all(pool.next_ready() for _ in pool.parse_many(paths))


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


def test_a_registry_sheet_beside_a_whole_form_is_read_as_a_registry_and_the_form_as_a_form(tmp_path):
    from openpyxl import load_workbook

    from grantstats.readers import read_reports

    path, report = _whole_form(tmp_path)
    wb = load_workbook(path)
    ws = wb.create_sheet("Реестр")
    ws.append(["Грантополучатель", "Наименование проекта", "Регион", "Сумма гранта", "Год"])
    ws.append(["ОО «Жастар»", "Школа волонтеров", "Шымкент", 4000000, 2023])
    ws.append(["ОФ «Болашак»", "Семейный центр", "Алматы", 7500000, 2023])
    wb.save(path)
    layout, reports = read_reports(path)
    assert layout == "form+registry"
    assert [(r.grantee, r.source.sheet) for r in reports] == [
        (report["grantee"], "Отчет"), ("ОО «Жастар»", "Реестр"), ("ОФ «Болашак»", "Реестр")]
    assert [r.grant_amount.value for r in reports[1:]] == [4000000, 7500000]
    assert reports[0].indicators and reports[0].participants
