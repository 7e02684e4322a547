"""Reporting completeness: a contracts list loaded beside real reports, each contract matched to its report,
its status on a date worked out by hand; the CLI, the reload rules and the «Сдача отчетов» page agree.

The two reports are final-report forms as a clerk fills them (tests/test_form_reader.py's official sheet):
  R72   ОО «Жастар Альянсы», «Школа волонтеров «Умит»», contract № 72 of 21.04.2022, Актюбинская область,
        period 25.05.2022 – 30.11.2022
  RBOL  ОФ «Болашак», «Медиашкола для молодежи», no contract number, г. Шымкент, period 01.03.2023 – 30.09.2023
The contracts list (three rows):
  72     Жастар Альянсы   2022  KZ-15  no due date      -> due 30.11.2022 + 30 days = 30.12.2022; received (number)
  14-ГГ  Болашак          2023  KZ-79  due 15.11.2023   -> received (grantee, title and year: the report gives no number)
  5-ГГ   ОО «Сана»        2023  KZ-75 and KZ-79, period ending 31.10.2023, no due date -> due 30.11.2023; never came
On 2024-03-01: 5-ГГ is overdue by 30.11.2023 -> 01.03.2024 = 1 (Nov 30) + 31 + 31 + 29 (2024 is leap) + 1 = 92 days.
On 2023-11-30: 5-ГГ is due that very day: not yet due.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from grantstats import audit, completeness, contracts, snapshots, store
from grantstats.cli import main
from grantstats.metrics import Filter
from tests.test_form_reader import PASSPORT_CURRENT, official_sheet, write_book

BOLASHAK_PASSPORT = [
    ["1. Полное наименование неправительственной организации:", "ОФ «Болашак»"],
    ["2. Фамилия, имя, отчество (при наличии) руководителя неправительственной организации:", "Сеитова Г."],
    ["3. Юридический адрес, контактный телефон:", "г. Шымкент, ул. Байтурсынова 5"],
    ["4. Наименование социального проекта, социальной программы в рамках реализации гранта (направление):",
     "Медиашкола для молодежи"],
    ["Направление гранта:", "поддержка молодежной политики и детских инициатив"],
    ["Регион реализации:", "г. Шымкент"],
    ["5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:",
     "1 марта 2023 года – 30 сентября 2023 года"],
    ["6. Общая сумма средств, выделенная на реализацию гранта:", "6 000 000 (Шесть миллионов) тенге"],
]

LIST_HEADER = ["№ договора", "Дата договора", "Грантополучатель", "Наименование проекта", "Регион", "Направление",
               "Сумма гранта, тенге", "Период реализации", "Срок сдачи отчета"]
LIST_ROWS = [
    ["72", "21.04.2022", "ОО «Жастар Альянсы»", "Школа волонтеров «Умит»", "Актюбинская область", "16", "4 000 000",
     "25.05.2022 – 30.11.2022", None],
    ["14-ГГ", "20.02.2023", "Общественный фонд «Болашак»", "Медиашкола для молодежи", "г. Шымкент", "4", "6 000 000",
     "01.03.2023 – 30.09.2023", "15.11.2023"],
    ["5-ГГ", "10.03.2023", "ОО «Сана»", "Правовая помощь", "г. Алматы, г. Шымкент", "10", "3 000 000",
     "01.04.2023 – 31.10.2023", None],
]


def bolashak_sheet() -> list[list]:
    sheet = official_sheet()
    start = sheet.index(PASSPORT_CURRENT[0])
    return sheet[:start] + BOLASHAK_PASSPORT + sheet[start + len(PASSPORT_CURRENT):]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("completeness")
    return {
        "r72": write_book(folder / "report-72.xlsx", {"Отчет": official_sheet()}),
        "rbol": write_book(folder / "report-bolashak.xlsx", {"Отчет": bolashak_sheet()}),
        "list": write_book(folder / "contracts-2022-2023.xlsx",
                           {"Реестр": [["Реестр договоров о предоставлении государственных грантов"], [], LIST_HEADER]
                            + LIST_ROWS + [["Итого", None, None, None, None, None, "13 000 000"]]}),
    }


@pytest.fixture(scope="module")
def db(files, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("completeness-db") / "grants.duckdb"
    assert main(["ingest", str(files["r72"]), str(files["rbol"]), "--contracts", str(files["list"]), "--db", str(path),
                 "--workers", "0"]) == 0
    return path


def status_rows(path: Path, **kw) -> dict[str, dict]:
    with duckdb.connect(str(path)) as con:
        return status_rows_con(con, **kw)


def status_rows_con(con, **kw) -> dict[str, dict]:
    """contract_status's rows by contract number, missing values as None."""
    df = completeness.contract_status(con, **kw)
    return {r["contract_no"]: {k: None if v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else v
                               for k, v in r.items()} for r in df.to_dict("records")}


def test_each_contract_is_matched_to_its_report_or_counted_overdue(db):
    rows = status_rows(db, as_of=date(2024, 3, 1))
    with duckdb.connect(str(db)) as con:
        ids = dict(con.execute("SELECT grantee, report_id FROM reports").fetchall())
    assert (rows["72"]["status"], rows["72"]["report_id"], rows["72"]["matched_by"]) == (
        "received", ids["ОО «Жастар Альянсы»"], "contract")
    assert (rows["14-ГГ"]["status"], rows["14-ГГ"]["report_id"], rows["14-ГГ"]["matched_by"]) == (
        "received", ids["ОФ «Болашак»"], "grantee_title")
    sana = rows["5-ГГ"]
    assert (sana["status"], sana["report_id"], sana["days_overdue"]) == ("overdue", None, 92)
    assert sana["due_date"].date() == date(2023, 11, 30) and not sana["due_date_stated"]
    assert rows["72"]["due_date"].date() == date(2022, 12, 30)  # the period's end + 30 days
    assert rows["14-ГГ"]["due_date"].date() == date(2023, 11, 15) and rows["14-ГГ"]["due_date_stated"]
    assert sana["regions"] == "KZ-75,KZ-79"


def test_a_contract_due_on_the_day_is_not_yet_overdue_and_the_due_days_move_it(db):
    assert status_rows(db, as_of=date(2023, 11, 30))["5-ГГ"]["status"] == "not_due"
    assert status_rows(db, as_of=date(2023, 12, 1))["5-ГГ"]["days_overdue"] == 1
    # due 10 days after 31.10.2023 = 10.11.2023: on 01.12.2023 it is 21 days late
    assert status_rows(db, as_of=date(2023, 12, 1), due_days=10)["5-ГГ"]["days_overdue"] == 21


def test_counts_by_region_count_a_two_region_contract_in_each(db):
    with duckdb.connect(str(db)) as con:
        total = completeness.completeness_by(con, as_of="2024-03-01").iloc[0]
        by_region = completeness.completeness_by(con, by="region", as_of="2024-03-01").set_index("region")
        shymkent = completeness.completeness_by(con, Filter(regions=("KZ-79",)), as_of="2024-03-01").iloc[0]
    assert (total.contracts, total.received, total.overdue, total.not_due) == (3, 2, 1, 0)
    assert total.received_share == pytest.approx(2 / 3)
    assert total.overdue_amount == 3_000_000 and total.days_overdue_max == 92
    # KZ-79: Болашак (received) and half of Сана (overdue); KZ-75: the other half of Сана
    assert (by_region.loc["KZ-79", "contracts"], by_region.loc["KZ-79", "received"], by_region.loc["KZ-79", "overdue"]) == (2, 1, 1)
    assert by_region.loc["KZ-79", "overdue_amount"] == 1_500_000 and by_region.loc["KZ-75", "overdue_amount"] == 1_500_000
    assert by_region.loc["KZ-15", "received"] == 1
    assert (shymkent.contracts, shymkent.overdue) == (2, 1)


def test_filters_select_contracts_by_year_direction_and_text(db):
    assert set(status_rows(db, flt=Filter(year_from=2023))) == {"14-ГГ", "5-ГГ"}
    assert set(status_rows(db, flt=Filter(directions=("16",)))) == {"72"}
    assert set(status_rows(db, flt=Filter(text="сана"))) == {"5-ГГ"}
    assert set(status_rows(db, status="overdue", as_of=date(2024, 3, 1))) == {"5-ГГ"}


def test_a_report_no_contract_claims_is_listed_as_without_contract(db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    con = store.connect(copy)
    con.execute("DELETE FROM contracts WHERE contract_no = '14-ГГ'")
    unmatched = completeness.reports_without_contract(con)
    assert unmatched["grantee"].tolist() == ["ОФ «Болашак»"]
    assert status_rows_con(con)["5-ГГ"]["report_id"] is None
    con.close()


def test_completeness_cli_lists_the_missing_report_as_overdue_and_the_others_received(db, capsys):
    assert main(["completeness", "--as-of", "2024-03-01", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["contract_no", "grantee", "region", "year", "due_date", "status", "days_overdue", "report_id"]
    sana = next(line for line in out if line.startswith("5-ГГ"))
    assert "overdue" in sana and " 92 " in sana and "2023-11-30" in sana
    assert sum("received" in line for line in out[1:4]) == 2
    assert out[-1].startswith("3 contracts on 2024-03-01: 2 received, 1 overdue, 0 not_due")
    assert main(["completeness", "--as-of", "2024-03-01", "--format", "json", "--db", str(db)]) == 0
    rows = {r["contract_no"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["5-ГГ"]["due_date"] == "2023-11-30"
    assert (rows["5-ГГ"]["status"], rows["5-ГГ"]["days_overdue"], rows["5-ГГ"]["report_id"]) == ("overdue", 92, None)
    assert rows["72"]["status"] == "received" and rows["72"]["report_id"].startswith("R")
    assert main(["completeness", "--as-of", "2023-12-01", "--due-days", "10", "--format", "csv", "--status", "overdue",
                 "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("5-ГГ,ОО «Сана»,\"KZ-75,KZ-79\",2023,2023-11-10,overdue,21,")


def test_due_days_come_from_the_environment_when_not_given(monkeypatch):
    assert contracts.due_days() == 30
    monkeypatch.setenv("GRANTSTATS_DUE_DAYS", "45")
    assert contracts.due_days() == 45 and contracts.due_days(7) == 7
    monkeypatch.setenv("GRANTSTATS_DUE_DAYS", "месяц")
    with pytest.raises(ValueError, match="whole number of days"):
        contracts.due_days()


def test_completeness_cli_lists_the_reports_no_contract_claims(db, tmp_path, capsys):
    copy = tmp_path / "unmatched.duckdb"
    copy.write_bytes(db.read_bytes())
    con = store.connect(copy)
    con.execute("DELETE FROM contracts WHERE contract_no = '14-ГГ'")
    con.close()
    assert main(["completeness", "--as-of", "2024-03-01", "--db", str(copy)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == ("1 report of the years the list covers matches no contract in it:"
                                                        " completeness --unmatched lists them")
    assert main(["completeness", "--unmatched", "--format", "csv", "--db", str(copy)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "report_id,grantee,title,contract_no,year,region,file_name"
    assert len(lines) == 2 and ",ОФ «Болашак»,Медиашкола для молодежи,,2023,KZ-79,report-bolashak.xlsx" in lines[1]


def test_completeness_cli_says_what_to_load_without_a_list_and_refuses_a_bad_date(files, tmp_path, capsys):
    path = tmp_path / "no-list.duckdb"
    assert main(["ingest", str(files["r72"]), "--db", str(path), "--workers", "0"]) == 0
    capsys.readouterr()
    assert main(["completeness", "--db", str(path)]) == 1
    assert "ingest --contracts FILE" in capsys.readouterr().err
    assert main(["completeness", "--as-of", "31.02.2024", "--db", str(path)]) == 2
    assert capsys.readouterr().err.strip() == "error: not a date: '31.02.2024' (give it as YYYY-MM-DD)"


def test_reloading_replaces_contracts_by_key_and_the_same_file_changes_nothing(files, tmp_path, capsys):
    path = tmp_path / "reload.duckdb"
    assert main(["ingest", "--contracts", str(files["list"]), "--db", str(path), "--workers", "0"]) == 0
    assert main(["ingest", "--contracts", str(files["list"]), "--db", str(path), "--workers", "0"]) == 0
    assert "unchanged contracts-2022-2023.xlsx" in capsys.readouterr().out
    # a later list of 2023 only, moving 5-ГГ's due date and adding a contract: 72 (2022) stays
    update = write_book(tmp_path / "contracts-2023-update.xlsx", {"2023": [LIST_HEADER, LIST_ROWS[2][:8] + ["15.01.2024"],
                        ["31-ГГ", "01.06.2023", "ОО «Умит»", "Клуб чтения", "Жамбылская область", "11", "2 000 000",
                         "01.07.2023 – 31.12.2023", None]]})
    assert main(["ingest", "--contracts", str(update), "--db", str(path), "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert "loaded    contracts-2023-update.xlsx: 2 contracts (1 replacing the stored one)" in out
    rows = status_rows(path, as_of=date(2024, 3, 1))
    assert set(rows) == {"72", "14-ГГ", "5-ГГ", "31-ГГ"}
    assert rows["5-ГГ"]["due_date"].date() == date(2024, 1, 15) and rows["5-ГГ"]["days_overdue"] == 46  # 16 + 29 + 1
    assert main(["ingest", "--contracts", str(update), "--replace-contracts", "--db", str(path), "--workers", "0"]) == 0
    assert set(status_rows(path)) == {"5-ГГ", "31-ГГ"}


def test_a_list_saved_as_csv_with_kazakh_headers_loads(tmp_path, capsys):
    text = ("Шарт №;Шарт күні;Грант алушы;Жоба атауы;Өңір;Грант сомасы;Басталу күні;Аяқталу күні;Есепті тапсыру мерзімі\n"
            "7;01.02.2024;ҚБ «Ақниет»;Жастар орталығы;Түркістан облысы;1 500 000;01.03.2024;30.11.2024;31.12.2024\n"
            "8;01.02.2024;ҚБ «Сарыарқа»;Кітапхана;Қарағанды облысы;2 000 000;01.03.2024;30.11.2024;не указан\n"
            ";;;;;;;;\n")
    path = tmp_path / "шарттар.csv"
    path.write_bytes(text.encode("utf-8-sig"))  # as Excel saves «CSV UTF-8»
    db = tmp_path / "kk.duckdb"
    assert main(["ingest", "--contracts", str(path), "--db", str(db), "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert "loaded    шарттар.csv: 2 contracts; 1 note: шарттар!A3: the due date «не указан» is not a date" in out
    rows = status_rows(db, as_of=date(2025, 1, 10))
    assert rows["7"]["due_date"].date() == date(2024, 12, 31) and rows["7"]["days_overdue"] == 10
    assert rows["8"]["due_date"].date() == date(2024, 12, 30) and rows["8"]["regions"] == "KZ-35"


def test_a_file_without_a_contracts_header_is_refused_in_one_line(tmp_path, capsys):
    path = write_book(tmp_path / "notes.xlsx", {"Лист1": [["просто текст"], ["ещё текст"]]})
    db = tmp_path / "refused.duckdb"
    assert main(["ingest", "--contracts", str(path), "--db", str(db), "--workers", "0"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("refused   notes.xlsx: no contracts list found — no header row naming contract fields "
                                   "(contract number, grantee, project, region, period, report due date…)")
    with duckdb.connect(str(db)) as con:
        assert con.execute("SELECT count(*) FROM contracts").fetchone()[0] == 0


CONTRACTS_HEADER = ["№ договора", "Дата договора", "Грантополучатель", "Наименование проекта", "Регион",
                    "Сумма гранта", "Срок сдачи отчета"]
CONTRACT_ROWS = [["72", "01.02.2024", "ОО «Ақниет»", "Жастар орталығы", "Туркестанская область", "1 500 000",
                  "31.12.2024"],
                 ["73", "02.02.2024", "ОФ «Сарыарқа»", "Кітапхана", "Карагандинская область", "2 000 000", "31.12.2024"]]


def test_a_contracts_list_loaded_as_reports_is_refused_and_says_to_load_it_as_contracts(tmp_path, capsys):
    path = write_book(tmp_path / "договоры.xlsx", {"Договоры": [CONTRACTS_HEADER, *CONTRACT_ROWS]})
    db = tmp_path / "mistake.duckdb"
    assert main(["ingest", str(path), "--db", str(db), "--workers", "0"]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("refused   договоры.xlsx: no report found — sheet «Договоры»: a contracts list (a report "
                           "due-date column, no figures): load it as a contracts list (ingest --contracts, or the "
                           "contracts list on the Upload page)")
    with duckdb.connect(str(db)) as con:  # not two reports invented from the two grants
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
    assert main(["ingest", "--contracts", str(path), "--db", str(db), "--workers", "0"]) == 0
    assert "loaded    договоры.xlsx: 2 contracts" in capsys.readouterr().out


def test_a_report_registry_beside_a_contracts_sheet_loads_and_names_the_sheet_it_left(tmp_path):
    from grantstats.readers import read_reports

    registry = [["Грантополучатель", "Регион", "Сумма гранта", "Срок сдачи отчета", "Прямые бенефициары (план)",
                 "Прямые бенефициары (факт)"],
                ["ОО «Ақниет»", "Туркестанская область", "1 500 000", "31.12.2024", "40", "44"]]
    path = write_book(tmp_path / "both.xlsx", {"Отчеты": registry, "Договоры": [CONTRACTS_HEADER, *CONTRACT_ROWS]})
    layout, reports = read_reports(path)
    assert layout == "registry" and len(reports) == 1  # a due-date column beside figures: reports, as before
    assert reports[0].indicators["direct_beneficiaries"].fact.value == 44
    unread = [f for f in reports[0].findings if f.rule == "unread_part"]
    assert [(f.sheet, f.params["reason"]) for f in unread] == [("Договоры", {"phrase": "contracts_list"})]


# ------------------------------------------------------------------------------------------------- pages

from streamlit.testing.v1 import AppTest  # noqa: E402

from grantstats.i18n import t  # noqa: E402

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(db: Path, monkeypatch, page: str, lang: str = "ru") -> AppTest:
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_page_agrees_with_the_cli_on_the_overdue_report(db, monkeypatch, lang):
    at = open_page(db, monkeypatch, "pages/completeness.py", lang)
    at.date_input(key="cp_as_of").set_value(date(2024, 3, 1)).run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    assert at.title[0].value == t("page_completeness", lang)
    cards = {m.label: m.value for m in at.metric}
    assert (cards[t("cp_contracts", lang)], cards[t("cp_received", lang)], cards[t("cp_overdue", lang)],
            cards[t("cp_not_due", lang)]) == ("3", "2", "1", "0")
    by_region = at.dataframe[0].value.set_index(t("col_region", lang))
    shymkent = dashboard_region("KZ-79", lang)
    assert by_region.loc[shymkent, t("cp_overdue", lang)] == 1 and by_region.loc[shymkent, t("cp_received", lang)] == 1
    days = by_region[t("col_days_overdue", lang)]
    assert days.loc[shymkent].strip() == "92" and "—" in set(days) and None not in set(days), days  # a dash, not «None»
    overdue = at.dataframe[2].value
    assert overdue[t("col_contract_no", lang)].tolist() == ["5-ГГ"]
    assert overdue[t("col_days_overdue", lang)].tolist() == [92]
    assert overdue[t("col_due_date", lang)].tolist() == ["30.11.2023"]
    assert at.get("plotly_chart")
    at.segmented_control(key="cp_status").set_value("received").run()
    received = at.dataframe[2].value
    assert sorted(received[t("col_contract_no", lang)]) == ["14-ГГ", "72"]
    assert all("report=R" in link for link in received[t("col_report", lang)])


def dashboard_region(code: str, lang: str) -> str:
    from grantstats import catalog

    return catalog.name("region", code, lang)


def test_the_page_without_a_list_says_what_to_load(files, tmp_path, monkeypatch):
    path = tmp_path / "only-reports.duckdb"
    assert main(["ingest", str(files["r72"]), "--db", str(path), "--workers", "0"]) == 0
    at = open_page(path, monkeypatch, "pages/completeness.py")
    assert [i.value for i in at.info] == [f"**{t('cp_no_contracts_title')}**\n\n" + t("cp_no_contracts_body", db=str(path))]
    assert "ingest --contracts" in at.info[0].value and not at.dataframe


def test_the_upload_page_loads_a_contracts_list(files, tmp_path, monkeypatch):
    path = tmp_path / "upload.duckdb"
    assert main(["ingest", str(files["r72"]), "--db", str(path), "--workers", "0"]) == 0
    monkeypatch.setenv("GRANTSTATS_ARCHIVE", str(tmp_path / "archive"))
    at = open_page(path, monkeypatch, "pages/upload.py")
    at.segmented_control(key="upload_kind").set_value("contracts").run()
    at.file_uploader[0].set_value([("реестр.xlsx", files["list"].read_bytes(), "application/octet-stream")])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert t("upload_contracts_counts", contracts=3, replacing=0) in [m.value for m in at.markdown]
    assert at.dataframe[0].value[t("col_contract_no")].tolist() == ["72", "14-ГГ", "5-ГГ"]
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*) FROM contracts").fetchone()[0] == 0  # the dry run wrote nothing
    assert list((tmp_path / "archive").iterdir()) == [tmp_path / "archive" / ".pending"]  # waiting, not archived
    at.button(key="contracts_load").click().run()
    assert t("upload_contracts_done", contracts=3) in [s.value for s in at.success]
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*), count(DISTINCT file_name) FROM contracts").fetchone() == (3, 1)
    # through the one writer: published for every reader, the list archived, the load in the audit log
    assert snapshots.current(path).generation == 2
    assert [p.name for p in (tmp_path / "archive").glob("*.xlsx")] == [f"{contracts.file_sha256(files['list'])}.xlsx"]
    assert not list((tmp_path / "archive" / ".pending").iterdir())
    event = audit.events(path, action="contracts").iloc[0]
    assert (event["file_name"], event["via"], json.loads(event["detail"])["contracts"]) == ("реестр.xlsx", "local", 3)


def test_directions_come_in_the_law_s_order(sample_db):
    import duckdb

    from grantstats.metrics import Filter

    with duckdb.connect(str(sample_db), read_only=True) as con:
        listed = [d for d in completeness.completeness_by(con, Filter(), by="direction")["direction"] if d]
    numbered = [tuple(int(part) for part in d.split("-")) for d in listed]
    assert len(listed) > 5 and numbered == sorted(numbered)  # 2 before 10, 13-1 right after 13
