"""End to end through real files: ingest a registry, then `check` and `show --json` list the findings."""

from __future__ import annotations

import json

import duckdb
import pytest

from grantstats import metrics
from grantstats.cli import findings_records, main
from grantstats.findings import queries
from grantstats.findings.duplicates import refresh_cross_report_findings
from grantstats.metrics import Filter
from tests.test_example_report import INDICATORS as EXAMPLE_INDICATOR_TABLE

HEADER = ("Грантополучатель;Регион;Год;Сумма гранта;Направление;Прямые бенефициары (план);"
          "Прямые бенефициары (факт);Количество участников проекта всего;Мужчин;Женщин")
ROWS = [
    "ОО «Альфа»;г. Шымкент;2023;5 000 000;4;50;60;60;25;35",  # clean
    "ОО «Бета»;Павлодарская область;2022;3 000 000;4;40;70;70;20;45",  # 20 + 45 = 65, not 70
    "ОФ «Гамма»;ЗКО;2023;около 4 млн;2;50;70;70;30%;70%",  # percent table, approximate amount
    "ОО «Дельта»;;2021;-100;4;10;10;10;5;5",  # no region, negative amount
]


def write(path, lines, header=HEADER):
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return str(path)


def run(capsys, *argv):
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def loaded(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    code, _ = run(capsys, "ingest", write(tmp_path / "registry.csv", ROWS), "--db", db, "--workers", "0")
    assert code == 0
    return db


def by_grantee(records):
    out: dict[str, list[tuple[str, str]]] = {}
    for f in records:
        out.setdefault(f["grantee"], []).append((f["rule"], f["severity"]))
    return {k: sorted(v) for k, v in out.items()}


def test_check_json_lists_each_reports_findings_with_file_sheet_and_cell(loaded, capsys):
    code, out = run(capsys, "check", "--db", loaded, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert by_grantee(records) == {
        "ОО «Бета»": [("sum_mismatch", "warning")],
        "ОФ «Гамма»": [("approximate_value", "info"), ("derived_from_percent", "info")],
        "ОО «Дельта»": [("implausible_value", "error"), ("missing_field", "warning")],
    }
    beta = next(f for f in records if f["grantee"] == "ОО «Бета»")
    assert set(beta) == {"report_id", "grantee", "rule", "severity", "message", "message_en", "where", "file",
                         "sheet", "cell"}
    assert beta["message_en"] == ("Gender parts (male 20 + female 45 = 65) do not add up to the participants' total 70:"
                                  " off by 5")
    assert beta["file"] == "registry.csv" and beta["cell"] == "H3"  # the total of the second data row
    assert beta["where"] == f"registry.csv, {beta['sheet']}, H3"
    assert records[0]["severity"] == "error"  # errors first


def test_check_table_prints_one_line_per_finding_and_a_count(loaded, capsys):
    code, out = run(capsys, "check", "Дельта", "--db", loaded)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("error    implausible_value")
    assert "ОО «Дельта»: Отрицательное значение: сумма гранта = -100" in lines[0] and "registry.csv" in lines[0]
    assert lines[-1] == "2 findings in 1 of 1 reports: 1 errors, 1 warnings, 0 info"
    code, out = run(capsys, "check", "нет такого", "--db", loaded)
    assert (code, out.strip()) == (0, "no reports match")


def test_show_json_carries_the_same_findings(loaded, capsys):
    code, out = run(capsys, "show", "Гамма", "--json", "--db", loaded)
    assert code == 0
    [report] = json.loads(out)
    rules = sorted(f["rule"] for f in report["findings"])
    assert rules == ["approximate_value", "derived_from_percent"]
    derived = next(f for f in report["findings"] if f["rule"] == "derived_from_percent")
    assert derived["message"].endswith("мужчин 30% → 21, женщин 70% → 49")
    code, out = run(capsys, "show", "Альфа", "--json", "--db", loaded)
    assert json.loads(out)[0]["findings"] == []


def test_helpers_for_pages(loaded):
    con = duckdb.connect(loaded, read_only=True)
    try:
        by_rule = queries.findings_by_rule(con)
        assert by_rule.iloc[0][["rule", "severity", "findings", "reports"]].tolist() == ["implausible_value", "error", 1, 1]
        assert by_rule.set_index("rule").loc["missing_field", "title_en"] == "Missing field"
        worst = queries.reports_by_findings(con, limit=5)
        assert worst["grantee"].tolist()[:2] == ["ОО «Дельта»", "ОО «Бета»"]
        assert worst[["errors", "warnings"]].values.tolist()[:2] == [[1, 1], [0, 1]]
        head = metrics.headline(con).iloc[0]
        assert (head["reports"], head["reports_with_errors"], head["reports_with_warnings"]) == (4, 1, 2)
        assert len(queries.findings_table(con, Filter(year_from=2023))) == 2  # Гамма's two notes
        beta = con.execute("SELECT report_id FROM reports WHERE grantee = 'ОО «Бета»'").fetchone()[0]
        assert queries.findings_table(con, Filter(report_ids=(beta,)))["rule"].tolist() == ["sum_mismatch"]
        assert [r["rule"] for r in findings_records(con, [beta])] == ["sum_mismatch"]
        assert findings_records(con, []) == []
    finally:
        con.close()


def test_metrics_can_leave_out_reports_with_errors(loaded):
    con = duckdb.connect(loaded, read_only=True)
    try:
        assert metrics.totals(con, Filter())["reports"].iloc[0] == 4
        assert metrics.totals(con, Filter(exclude_errors=True))["reports"].iloc[0] == 3
    finally:
        con.close()


# ------------------------------------------------------------------------------------------ duplicates

DUP_HEADER = ("Грантополучатель;Тема гранта;Номер договора;Регион;Год;Сумма гранта;Направление;"
              "Прямые бенефициары (факт);Количество участников проекта всего")


def duplicates(capsys, db):
    _, out = run(capsys, "check", "--db", db, "--format", "json")
    return [f for f in json.loads(out) if f["rule"] == "duplicate_report"]


def test_same_report_twice_in_one_file_is_a_duplicate(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    row = "ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60;60"
    run(capsys, "ingest", write(tmp_path / "a.csv", [row, row], DUP_HEADER), "--db", db, "--workers", "0")
    found = duplicates(capsys, db)
    assert len(found) == 2 and {f["severity"] for f in found} == {"warning"}
    assert found[0]["message"].startswith("Тот же отчёт (договор № 72) повторяется: a.csv")


def test_same_contract_in_two_files_loaded_one_after_the_other_is_a_duplicate(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    row = "ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60;60"
    other = "ОО «Бета»;Экология;73;г. Алматы;2023;2 000 000;3;10;10"
    run(capsys, "ingest", write(tmp_path / "a.csv", [row, other], DUP_HEADER), "--db", db, "--workers", "0")
    assert duplicates(capsys, db) == []
    run(capsys, "ingest", write(tmp_path / "b.csv", [row], DUP_HEADER), "--db", db, "--workers", "0")
    [found] = duplicates(capsys, db)
    assert found["grantee"] == "ОО «Альфа»" and found["file"] == "b.csv"
    assert "a.csv" in found["message"] and found["message"].endswith("в базе оставлен отчёт из b.csv")


def test_same_contract_in_two_files_of_one_ingest_is_a_duplicate_and_the_earlier_is_kept_in_history(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.csv", ["ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60;60",
                             "ОО «Бета»;Экология;73;г. Алматы;2023;2 000 000;3;10;10"], DUP_HEADER)
    write(folder / "b.csv", ["ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;65;65"], DUP_HEADER)
    _, out = run(capsys, "ingest", str(folder), "--db", db, "--workers", "0")
    assert "replaced 1" in out and "(from a.csv)" in out, out
    [found] = duplicates(capsys, db)
    assert found["grantee"] == "ОО «Альфа»" and found["file"] == "b.csv"
    assert "a.csv" in found["message"] and found["message"].endswith("в базе оставлен отчёт из b.csv")
    with duckdb.connect(db, read_only=True) as con:
        # the later file's figures are the ones stored; the earlier version can be restored from history
        assert con.execute("SELECT fact FROM indicators i JOIN reports r USING (report_id) WHERE r.contract_no = '72'"
                           " AND i.indicator = 'direct_beneficiaries'").fetchall() == [(65.0,)]
        assert con.execute("SELECT count(*), min(file_name), min(replaced_by_file) FROM report_history"
                           ).fetchone() == (1, "a.csv", "b.csv")
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
        assert dict(con.execute("SELECT name, reports FROM files").fetchall()) == {"a.csv": 2, "b.csv": 1}


def test_same_grantee_title_and_year_under_another_contract_number_is_a_duplicate(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    run(capsys, "ingest", write(tmp_path / "a.csv", ["ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60;60"],
                                DUP_HEADER), "--db", db, "--workers", "0")
    run(capsys, "ingest", write(tmp_path / "b.csv", ["Общественное объединение «Альфа»;Школа лидеров!;72-ГГ;г. Шымкент;2023;"
                                                     "5 000 000;4;60;60"], DUP_HEADER), "--db", db, "--workers", "0")
    found = duplicates(capsys, db)
    assert sorted(f["file"] for f in found) == ["a.csv", "b.csv"]
    assert "под другим номером договора" in found[0]["message"]


@pytest.mark.parametrize("one_ingest", [False, True])
def test_same_contract_and_year_with_and_without_its_date_is_a_duplicate(tmp_path, capsys, one_ingest):
    """A consolidated sheet's row giving the contract's number only (no title) and the NGO's own file giving its
    number and date are one report: before, their identities differed and every total counted it twice."""
    db = str(tmp_path / "g.duckdb")
    header = "Грантополучатель;Номер договора;Дата договора;Регион;Год;Сумма гранта;Прямые бенефициары (факт)"
    own = write(tmp_path / "own.csv", ["ОО «Альфа»;72;21.04.2023;г. Шымкент;2023;5 000 000;60"], header)
    summary = write(tmp_path / "svod.csv", ["ОО «Альфа»;72;;г. Шымкент;2023;5 000 000;60",
                                            "ОО «Бета»;73;;г. Алматы;2023;2 000 000;10"], header)
    if one_ingest:
        run(capsys, "ingest", own, summary, "--db", db, "--workers", "0")
    else:
        run(capsys, "ingest", own, "--db", db, "--workers", "0")
        run(capsys, "ingest", summary, "--db", db, "--workers", "0")
    found = duplicates(capsys, db)
    assert sorted((f["grantee"], f["file"]) for f in found) == [("ОО «Альфа»", "own.csv"), ("ОО «Альфа»", "svod.csv")]
    assert {f["message"] for f in found} == {"Тот же отчёт (договор № 72 от 2023-04-21) повторяется: svod.csv, svod, A2",
                                             "Тот же отчёт (договор № 72) повторяется: own.csv, own, A2"}


def test_same_contract_number_in_another_year_is_no_duplicate(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    header = "Грантополучатель;Номер договора;Дата договора;Регион;Год;Сумма гранта;Прямые бенефициары (факт)"
    rows = ["ОО «Альфа»;72;21.04.2023;г. Шымкент;2023;5 000 000;60", "ОО «Гамма»;72;;г. Шымкент;2024;1 000 000;6"]
    run(capsys, "ingest", write(tmp_path / "a.csv", rows, header), "--db", db, "--workers", "0")
    assert duplicates(capsys, db) == []


def test_two_grants_of_one_ngo_with_one_title_and_different_amounts_are_not_duplicates(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    rows = ["ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60;60",
            "ОО «Альфа»;Школа лидеров;95;Павлодарская область;2023;3 000 000;4;40;40"]
    run(capsys, "ingest", write(tmp_path / "a.csv", rows, DUP_HEADER), "--db", db, "--workers", "0")
    assert duplicates(capsys, db) == []


def test_different_reports_and_a_corrected_file_are_not_duplicates(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    rows = ["ОО «Альфа»;Школа лидеров;72;г. Шымкент;2023;5 000 000;4;60;60",
            "ОО «Альфа»;Школа лидеров;15;г. Шымкент;2024;5 000 000;4;60;60"]  # next year's grant
    path = tmp_path / "a.csv"
    run(capsys, "ingest", write(path, rows, DUP_HEADER), "--db", db, "--workers", "0")
    rows[0] = rows[0].replace(";60;60", ";61;61")  # corrected and loaded again from the same path
    run(capsys, "ingest", write(path, rows, DUP_HEADER), "--db", db, "--workers", "0")
    assert duplicates(capsys, db) == []


# ------------------------------------------------------------------------------------------ the example report


def write_example_report(path) -> str:
    """The figures of /work/shared/examples/final-report-2023.txt as staff copy them into a form workbook."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Отчет"
    rows = [
        ["Заключительный отчет по итогам реализации социального проекта и (или) социальной программы"],
        ["1. Полное наименование неправительственной организации:", "Общественное Объединение «Корган-М»"],
        ["4. Наименование социального проекта, социальной программы в рамках реализации гранта (направление):",
         "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО"],
        ["Договор", "№ 72 от 21 апреля 2023 года"],
        ["5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:",
         "25 сентября 2023 года – 31 октября 2024 года"],
        ["6. Общая сумма средств, выделенная на реализацию гранта:",
         "- на 2023 год - 34 495 376 (тридцать четыре миллиона …) тенге\n- на 2024 год - 36 045 560 (…) тенге"],
        [],
        *EXAMPLE_INDICATOR_TABLE,
        [],
        ["Количество участников проекта всего", "Мужчин", "Женщин"],
        [70, "30%", "70%"],
        [],
        ["Количество участников проекта всего", "Дети (в том числе дети с инвалидностью)", "Молодежь",
         "Государственные служащие", "Работники бюджетных организаций", "Лица с инвалидностью",
         "Люди старшего возраста (от 50 лет и старше), в т.ч.", "Безработные",
         "Представители общественных организаций", "Представители бизнес-сектора", "Другие категории"],
        [70, "- ", "95%", "10%", "3%", "-", "95%", "-", "-", "-", None],
        [],
        ["Количество участников проекта всего", "от 13-16 лет", "17-22 года", "23-27 лет", "28-32 года",
         "33-45 лет", "46-58 лет", "59 лет и выше"],
        [70, "-", "25%", "30%", "30%", "10%", "-", "-"],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return str(path)


def test_the_example_report_shows_its_two_real_mistakes(tmp_path, capsys):
    db = str(tmp_path / "g.duckdb")
    code, _ = run(capsys, "ingest", write_example_report(tmp_path / "korgan.xlsx"), "--db", db, "--workers", "0")
    assert code == 0
    _, out = run(capsys, "check", "--db", db, "--format", "json")
    records = json.loads(out)
    assert sorted((f["rule"], f["severity"], f["cell"]) for f in records) == [
        ("approximate_value", "info", "E10"),  # «около 1 млн» indirect beneficiaries
        ("category_age_conflict", "warning", "G23"),  # elderly 95 % of 70 = 67, but nobody aged 46+
        ("derived_from_percent", "info", "A20"),  # gender 30 % / 70 % of 70 (the total in A20)
        ("derived_from_percent", "info", "A23"),  # categories, against their own total in A23
        ("derived_from_percent", "info", "A26"),  # ages, against their own total in A26
        ("missing_field", "warning", "A2"),  # the form states no direction of its own
        ("sum_mismatch", "warning", "A26"),  # ages 25 + 30 + 30 + 10 = 95 % (the age table, by its total)
    ]
    age = next(f for f in records if f["rule"] == "sum_mismatch")
    assert age["message"].endswith("= 95%") and age["file"] == "korgan.xlsx"
    # the budget fits: 2 160 000 + 245 376 + 4 090 000 = 6 495 376 ≤ 34 495 376 + 36 045 560
    assert not any(f["rule"] == "budget_exceeds_grant" for f in records)


def _duplicate_findings(con) -> list[tuple]:
    return sorted(con.execute("SELECT report_id, severity, message_ru, sheet, cell FROM findings"
                              " WHERE rule = 'duplicate_report'").fetchall())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duplicates_refreshed_after_each_load_equal_a_recomputation_over_the_whole_database(tmp_path, capsys, seed):
    """Each load looks only at the reports it can have changed; after every load of a random sequence (the same
    contracts, NGOs and titles again and again; files changed in place; several files in one run) the findings
    are those a recomputation over every report gives."""
    import random

    rng = random.Random(seed)
    db = str(tmp_path / "g.duckdb")
    ngos = ["ОО «Альфа»", "Общественное объединение «Альфа»", "ОФ «Бета»", "ОО «Гамма»"]
    titles = ["Школа лидеров", "Школа лидеров!", "Экология"]

    def row() -> str:
        amount = rng.choice(["5 000 000", "3 000 000"])
        contract = rng.choice(["72", "72-ГГ", "95", "", "101"])
        return (f"{rng.choice(ngos)};{rng.choice(titles)};{contract};г. Шымкент;{rng.choice([2022, 2023])};"
                f"{amount};4;60;60")

    seen_any = False
    for step in range(10):
        folder = tmp_path / f"run{step}"
        folder.mkdir()
        targets = rng.sample(["a.csv", "b.csv", "c.csv", "d.csv"], rng.randint(1, 3))
        for name in targets:  # the same names in other folders: other files; in this one: a changed file
            write(folder / name, [row() for _ in range(rng.randint(1, 4))], DUP_HEADER)
        source = folder if rng.random() < 0.5 else tmp_path / "same"
        if source != folder:
            source.mkdir(exist_ok=True)
            for name in targets:
                (source / name).write_bytes((folder / name).read_bytes())
        run(capsys, "ingest", str(source), "--db", db, "--workers", "0")
        with duckdb.connect(db) as con:
            after_load = _duplicate_findings(con)
            con.execute("BEGIN TRANSACTION")
            refresh_cross_report_findings(con)
            recomputed = _duplicate_findings(con)
            con.execute("ROLLBACK")
        assert after_load == recomputed, f"seed {seed}, load {step + 1}"
        seen_any = seen_any or bool(after_load)
    assert seen_any  # the sequence did make duplicates
