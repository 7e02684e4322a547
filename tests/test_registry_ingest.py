"""Consolidated (one row per report) files through the real CLI: every field checked by hand; and the header
finder's shortcuts give the same answers as the full matching they skip."""

from __future__ import annotations

import json

import duckdb
import pytest
from openpyxl import Workbook

from grantstats.cli import main
from grantstats.readers import registry
from grantstats.readers.grid import Grid


def run_cli(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def show_json(capsys, db) -> dict[str, dict]:
    code, out = run_cli(capsys, "show", "--json", "--db", str(db))
    assert code == 0
    return {r["contract_no"] or r["title"]: r for r in json.loads(out)}


def ingest_by_grantee(tmp_path, capsys, path) -> dict[str, dict]:
    """`ingest` the file into a new database (it must load), then its reports as `show --json` gives them, by
    grantee."""
    db = tmp_path / "g.duckdb"
    code, out = run_cli(capsys, "ingest", str(path), "--db", str(db), "--workers", "0")
    assert code == 0, out
    return {r["grantee"]: r for r in json.loads(run_cli(capsys, "show", "--json", "--db", str(db))[1])}


def build_two_header_workbook(path) -> None:
    """Title rows, a header of two rows with groups merged over план/факт, a totals row at the bottom."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Свод 2023"
    ws["A1"] = "Сводные данные по заключительным отчетам за 2023 год"
    ws["A2"] = "(по данным грантодателя)"
    top = ["№", "Грантополучатель", "Наименование проекта", "Номер и дата договора", "Регион",
           "Направление гранта", "Срок реализации", "Сумма гранта, тенге",
           "Количество прямых бенефициаров", None, "Косвенные бенефициары", None,
           "Количество участников проекта всего", "Мужчин", "Женщин"]
    sub = [None] * 8 + ["план", "факт", "план", "факт", None, None, None]
    ws.append([])  # row 3 blank
    for col, value in enumerate(top, start=1):
        ws.cell(row=4, column=col, value=value)
    for col, value in enumerate(sub, start=1):
        ws.cell(row=5, column=col, value=value)
    ws.merge_cells("I4:J4")
    ws.merge_cells("K4:L4")
    for col in "ABCDEFGHMNO":
        ws.merge_cells(f"{col}4:{col}5")
    ws.append([1, "ОО «Корган-М»", "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО",
               "№ 72 от 21 апреля 2022 года", "г. Шымкент, ЗКО",
               "поддержка молодежной политики и детских инициатив",
               "25 сентября 2023 года – 31 октября 2024 года",
               "- на 2023 год - 34 495 376 (тридцать четыре миллиона) тенге\n- на 2024 год - 36 045 560 тенге",
               50, 70, "140 тыс.", "около 1 млн", 70, "30%", "70%"])
    ws.append([2, "Общественный фонд «Самал»", "Школа волонтеров", "№ 15/2-ГС от 01.03.2023", "Актау",
               "4", "01.03.2023 - 30.11.2023", "4 000 000 (Четыре миллиона).",
               "не менее 100", "—", "-", 5000, 120, 50, 70])
    ws.append([])
    ws.append(["Итого", None, None, None, None, None, None, 74540936])
    wb.save(path)


def test_two_header_workbook_loads_every_field(tmp_path, capsys):
    src = tmp_path / "svod.xlsx"
    build_two_header_workbook(src)
    db = tmp_path / "g.duckdb"
    code, out = run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")
    assert code == 0, out
    assert "loaded    svod.xlsx: 2 reports" in out
    reports = show_json(capsys, db)
    assert set(reports) == {"72", "15/2-ГС"}

    korgan = reports["72"]
    assert korgan["grantee"] == "ОО «Корган-М»"
    assert korgan["contract_date"] == "2022-04-21"
    assert korgan["period_start"] == "2023-09-25" and korgan["period_end"] == "2024-10-31"
    assert korgan["year"] == 2022  # the contract's year: the project started under it
    assert korgan["direction"] == "4"
    assert korgan["regions"] == ["KZ-79", "KZ-27"]
    assert korgan["region_shares"] == {"KZ-79": 0.5, "KZ-27": 0.5}
    assert korgan["amount_by_year"] == {"2023": 34495376.0, "2024": 36045560.0}
    assert korgan["grant_amount"] == 34495376 + 36045560  # 70 540 936
    direct = korgan["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["fact"]) == (50, 70)
    assert direct["plan_cell"] == "I6" and direct["fact_cell"] == "J6"
    indirect = korgan["indicators"]["indirect_beneficiaries"]
    assert (indirect["plan"], indirect["plan_text"]) == (140000, "140 тыс.")
    assert (indirect["fact"], indirect["fact_qualifier"], indirect["fact_text"]) == (1_000_000, "approx", "около 1 млн")
    assert korgan["participants_total"] == 70
    # 30% of 70 = 21, 70% of 70 = 49, both marked as derived from percent
    assert korgan["gender"] == {"male": 21, "female": 49}
    assert sorted(korgan["derived_from_percent"]["gender"]) == ["female", "male"]
    assert korgan["source"] == {**korgan["source"], "file": "svod.xlsx", "sheet": "Свод 2023"}

    samal = reports["15/2-ГС"]
    assert samal["contract_date"] == "2023-03-01"
    assert samal["regions"] == ["KZ-47"]  # Актау is the centre of Mangystau region
    assert samal["direction"] == "4"
    assert samal["grant_amount"] == 4_000_000 and samal["amount_by_year"] == {}
    direct = samal["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["plan_qualifier"], direct["fact"], direct["fact_text"]) == (100, "at_least", None, "—")
    indirect = samal["indicators"]["indirect_beneficiaries"]
    assert indirect["plan"] is None and indirect["fact"] == 5000
    assert samal["gender"] == {"male": 50, "female": 70} and samal["derived_from_percent"] == {}


@pytest.mark.parametrize("title, sep", [("Реестр отчетов за 2024 год", ";"), ("Реестр, 2024, сводный", ";"),
                                        ("Реестр отчетов", "\t"), ("", ";")])
def test_a_csv_separator_is_the_one_most_lines_agree_on(tmp_path, capsys, title, sep):
    """The separator was taken from the first line: a title line above the header («Реестр, 2024, сводный»: two
    commas, no «;»), or a header whose labels hold more commas than semicolons, made a valid file «nothing the
    catalog knows»."""
    header = ["Грантополучатель", "Сумма гранта, тенге", "Прямые бенефициары, план, чел.", "Прямые бенефициары, факт, чел.",
              "Год"]
    lines = ([title] if title else []) + [sep.join(header), sep.join(["ОО «Нур»", "4 000 000", "100", "120", "2024"]),
                                          sep.join(["ОФ «Жол»", "2 500 000", "40", "38", "2024"])]
    src = tmp_path / "r.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = ingest_by_grantee(tmp_path, capsys, src)
    assert sorted(reports) == ["ОО «Нур»", "ОФ «Жол»"]
    direct = reports["ОО «Нур»"]["indicators"]["direct_beneficiaries"]
    assert (reports["ОО «Нур»"]["grant_amount"], direct["plan"], direct["fact"]) == (4_000_000, 100, 120)


@pytest.mark.parametrize("years", [(2023, 2024), ("2023 г.", "2024 г.")])
def test_amounts_per_year_under_a_merged_header_with_years_below(tmp_path, capsys, years):
    """«Сумма гранта» merged over 2023 | 2024 and «Прямые бенефициары» over план | факт: years typed as numbers made
    the second row no header (the plan was stored as the fact, 2024's amount dropped); years as text with no
    план/факт in the row kept only 2023's amount."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Свод"
    ws.append(["Грантополучатель", "Сумма гранта", None, "Прямые бенефициары", None])
    ws.append([None, *years, "план", "факт"] if isinstance(years[0], int) else [None, *years, None, None])
    ws.append(["ОО «Альфа»", 3_000_000, 2_000_000, 100, 120])
    ws.append(["ОФ «Бета»", 1_500_000, 1_500_000, 200, 180])
    ws.merge_cells("B1:C1")
    if isinstance(years[0], int):
        ws.merge_cells("D1:E1")
    else:
        for row in ws.iter_rows(min_row=1, max_row=1, min_col=4, max_col=5):
            row[0].value, row[1].value = "Прямые бенефициары (план)", "Прямые бенефициары (факт)"
        ws.merge_cells("A1:A2")
    path = tmp_path / "svod.xlsx"
    wb.save(path)
    reports = ingest_by_grantee(tmp_path, capsys, path)
    alfa = reports["ОО «Альфа»"]
    assert alfa["grant_amount"] == 5_000_000 and alfa["amount_by_year"] == {"2023": 3_000_000, "2024": 2_000_000}
    direct = alfa["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["fact"]) == (100, 120)
    assert reports["ОФ «Бета»"]["grant_amount"] == 3_000_000


def test_a_registry_percent_column_typed_as_excel_percents(tmp_path, capsys):
    """«Мужчины, %» holding 0,3 (a cell shown as 30 % by its format) was read as 0,3 % of the total: 0 people, and
    an error blaming the NGO («мужчин 0,3% + женщин 0,7% = 1%»)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Грантополучатель", "Участников всего", "Мужчины, %", "Женщины, %", "Сумма гранта"])
    ws.append(["ОО «Альфа»", 100, 0.3, 0.7, 5_000_000])
    ws.append(["ОФ «Бета»", 200, 0.45, 0.55, 3_000_000])
    path = tmp_path / "pct.xlsx"
    wb.save(path)
    reports = ingest_by_grantee(tmp_path, capsys, path)
    assert reports["ОО «Альфа»"]["gender"] == {"male": 30, "female": 70}
    assert reports["ОФ «Бета»"]["gender"] == {"male": 90, "female": 110}
    assert not [f for r in reports.values() for f in r["findings"] if f["rule"] == "sum_mismatch"]


def test_cp1251_semicolon_csv_loads(tmp_path, capsys):
    src = tmp_path / "реестр.csv"
    text = ("Реестр отчетов;;;;;;\n"
            "Грантополучатель;Тема гранта;Год;Регион;Направление;Сумма гранта;Прямые бенефициары (план);"
            "Прямые бенефициары (факт);Мужчин;Женщин;Участников всего\n"
            "ОО «Ана үйі»;Семейный центр;2024;Алматинская область;содействие решению семейно-демографических и гендерных вопросов;"
            "12 500 000;200;215;100;115;215\n"
            "ЧУ «Жарык»;Кружок;2021;Нур-Султан;охрана окружающей среды;2,5 млн;40;38;-;-;38\n"
            "Итого;;;;;15 000 000;240;253;;;\n")
    src.write_bytes(text.replace("ү", "у").encode("cp1251"))
    db = tmp_path / "g.duckdb"
    code, out = run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")
    assert code == 0, out
    reports = {r["title"]: r for r in json.loads(run_cli(capsys, "show", "--json", "--db", str(db))[1])}
    family = reports["Семейный центр"]
    assert family["grantee"] == "ОО «Ана уйі»".replace("і", "i") or family["grantee"].startswith("ОО «Ана")
    assert family["year"] == 2024 and family["regions"] == ["KZ-19"] and family["direction"] == "5"
    assert family["grant_amount"] == 12_500_000
    assert family["gender"] == {"male": 100, "female": 115}
    eco = reports["Кружок"]
    assert eco["regions"] == ["KZ-71"] and eco["direction"] == "3" and eco["grant_amount"] == 2_500_000
    assert eco["gender"] == {} and eco["indicators"]["direct_beneficiaries"]["fact"] == 38
    assert len(reports) == 2  # the Итого row is not a report


def test_same_file_twice_changes_nothing_and_changed_file_replaces(tmp_path, capsys):
    src = tmp_path / "r.csv"
    db = tmp_path / "g.duckdb"
    src.write_text("Грантополучатель;Номер договора;Год;Сумма гранта\nОО «А»;1;2023;100\nОО «Б»;2;2023;200\n",
                   encoding="utf-8")
    assert run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")[0] == 0
    code, out = run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")
    assert code == 0 and "unchanged r.csv" in out
    src.write_text("Грантополучатель;Номер договора;Год;Сумма гранта\nОО «А»;1;2023;150\n", encoding="utf-8")
    assert run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")[0] == 0
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT contract_no, grant_amount FROM reports ORDER BY 1").fetchall()
    assert rows == [("1", 150.0)]  # the changed file replaced both of its earlier reports
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 1
    con.close()


def test_same_contract_from_another_file_replaces_and_says_so(tmp_path, capsys):
    db = tmp_path / "g.duckdb"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Грантополучатель;Договор;Сумма гранта\nОО «А»;№ 7 от 01.02.2023;100\n", encoding="utf-8")
    second.write_text("Грантополучатель;Договор;Сумма гранта\nОО «А»;№ 7 от 01.02.2023;300\n", encoding="utf-8")
    run_cli(capsys, "ingest", str(first), "--db", str(db), "--workers", "0")
    code, out = run_cli(capsys, "ingest", str(second), "--db", str(db), "--workers", "0")
    assert code == 0 and "replaced 1:" in out and "(from a.csv)" in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT grant_amount, file_name FROM reports").fetchall() == [(300.0, "b.csv")]
    con.close()


@pytest.mark.parametrize("name, content, reason", [
    ("empty.xlsx", b"", "empty"),
    ("notes.csv", "просто текст без таблицы\nещё строка\n".encode("utf-8"), "no report found"),
    ("scan.pdf", b"%PDF-1.4 ...", "the PDF is damaged"),
    ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "damaged"),
])
def test_bad_file_is_refused_with_one_line_and_others_still_load(tmp_path, capsys, name, content, reason):
    db = tmp_path / "g.duckdb"
    good = tmp_path / "good.csv"
    good.write_text("Грантополучатель;Номер договора;Сумма гранта\nОО «А»;1;100\n", encoding="utf-8")
    run_cli(capsys, "ingest", str(good), "--db", str(db), "--workers", "0")
    before = duckdb.connect(str(db), read_only=True)
    snapshot = before.execute("SELECT * FROM reports").fetchall()
    before.close()
    bad = tmp_path / name
    bad.write_bytes(content)
    other = tmp_path / "other.csv"
    other.write_text("Грантополучатель;Номер договора;Сумма гранта\nОО «Б»;2;200\n", encoding="utf-8")
    code, out = run_cli(capsys, "ingest", str(bad), str(other), "--db", str(db), "--workers", "0")
    assert code == 1
    refused = [line for line in out.splitlines() if line.startswith("refused")]
    assert len(refused) == 1 and name in refused[0] and reason in refused[0]
    assert "Traceback" not in out
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT contract_no FROM reports ORDER BY 1").fetchall()
    assert rows == [("1",), ("2",)]
    assert con.execute("SELECT * FROM reports WHERE contract_no = '1'").fetchall() == snapshot
    con.close()


def test_usage_errors_exit_2(capsys):
    assert main(["ingest"]) == 2
    assert main(["no-such-command"]) == 2


def test_tidy_export_loads_back_unchanged(tmp_path, capsys):
    from grantstats import store
    from grantstats.readers.tidy import write_tidy_workbook

    src = tmp_path / "svod.xlsx"
    build_two_header_workbook(src)
    db = tmp_path / "g.duckdb"
    run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")
    con = store.connect(db)
    details = store.report_details(con, store.find_reports(con))
    con.close()
    export = tmp_path / "tidy.xlsx"
    write_tidy_workbook(details, export)
    db2 = tmp_path / "g2.duckdb"
    code, out = run_cli(capsys, "ingest", str(export), "--db", str(db2), "--workers", "0")
    assert code == 0, out
    again = show_json(capsys, db2)
    keys = ["grantee", "title", "contract_no", "contract_date", "period_start", "period_end", "year", "direction",
            "regions", "region_shares", "grant_amount", "amount_by_year", "participants_total", "gender", "age",
            "categories"]
    for original in details:
        copy = again[original["contract_no"]]
        assert {k: copy[k] for k in keys} == {k: original[k] for k in keys}
        for code_, value in original["indicators"].items():
            for k in ("plan", "fact", "plan_qualifier", "fact_qualifier", "plan_text", "fact_text"):
                assert copy["indicators"][code_][k] == value[k]


def test_max_file_mb_refuses_a_larger_file(tmp_path, capsys):
    src = tmp_path / "r.csv"
    src.write_text("Грантополучатель;Номер договора;Сумма гранта\nОО «А»;1;100\n", encoding="utf-8")
    db = tmp_path / "g.duckdb"
    code, out = run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0", "--max-file-mb", "0.00001")
    assert code == 1 and "refused   r.csv: the file is" in out and "limit" in out
    code, out = run_cli(capsys, "ingest", str(src), "--db", str(db), "--workers", "0")
    assert code == 0 and out.splitlines()[-1].startswith("1 file: 1 loaded (1 report),")


def test_ingest_into_a_database_another_program_holds_says_what_to_do(tmp_path, capsys):
    """DuckDB lets one program write a file: while another program holds it (dashboards never do: they read
    snapshots), a terminal ingest is refused in one line, and nothing is half-done."""
    import subprocess
    import sys

    db = tmp_path / "g.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], "
                               "read_only=True); print('open', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        csv = tmp_path / "a.csv"
        csv.write_text("Грантополучатель;Регион;Сумма гранта\nОО «Альфа»;г. Алматы;1 000 000\n", encoding="utf-8")
        code = main(["ingest", str(csv), "--db", str(db), "--workers", "0"])
        err = capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert err.startswith(f"error: the database {db} is open in another program (process {holder.pid})"), err
    assert "loads go through one writer at a time; run this again when that program has ended" in err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reports'").fetchone()[0] == 0


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
