"""A workbook's own summary of its reports — a registry sheet with a row per report of the form sheets, or a sheet
laid out as the form holding their totals — is not read as reports; an unread_part finding names it and says why.

The form sheets, worked out by hand: ОО «Альфа» (contract № 12 of 01.03.2023, 5 000 000 ₸, direct beneficiaries 100
planned, 120 reached; 50 men, 70 women) and ОФ «Бета» (№ 13 of 02.03.2023, 3 000 000 ₸, 200 / 180; 80 men, 100
women): 2 reports, 8 000 000 ₸, 300 planned and 300 reached, 130 men and 170 women in all. A summary read as
reports would make that 4 reports, 16 000 000 ₸ and 600 reached. A registry row naming neither (ОО «Гамма», № 14,
2 000 000 ₸, 50 / 60, 20 men, 40 women) is another grant and loads: 3 reports, 10 000 000 ₸, 360 reached, 150 men,
210 women."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sheet_files import write_xlsx
from tests.test_registry_rows_not_reports import load as ingest_with_totals

INDICATOR_HEADER = ["№", "Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"]
REGISTRY_HEADER = ["№", "Наименование НПО", "№ договора", "Сумма гранта", "Прямые бенефициары (план)",
                   "Прямые бенефициары (факт)", "Мужчин", "Женщин"]
ALFA = dict(grantee="ОО «Альфа»", title="Школа волонтеров", contract="№ 12 от 1 марта 2023 года",
            amount=5_000_000, plan=100, fact=120, men=50, women=70)
BETA = dict(grantee="ОФ «Бета»", title="Забота о пожилых", contract="№ 13 от 2 марта 2023 года",
            amount=3_000_000, plan=200, fact=180, men=80, women=100)
TOTALS = dict(grantee="", title="Итого по всем проектам", contract="", amount=8_000_000, plan=300, fact=300, men=130,
              women=170)
ALFA_ROW = [1, "ОО «Альфа»", "12", 5_000_000, 100, 120, 50, 70]
BETA_ROW = [2, "ОФ «Бета»", "13", 3_000_000, 200, 180, 80, 100]
GAMMA_ROW = [3, "ОО «Гамма»", "14", 2_000_000, 50, 60, 20, 40]
TOTAL_ROW = ["", "Итого", "", 8_000_000, 300, 300, 130, 170]
SUMMARY_EN = ("Part of the file was not read — sheet «Свод»: a summary of the reports of the other sheets («Альфа», "
              "«Бета»): not read as reports")


def form(grantee: str, title: str, contract: str, amount: int, plan: int, fact: int, men: int, women: int) -> list[list]:
    """One report laid out as the form: passport, indicator table, participants by gender."""
    passport = [["Полное наименование неправительственной организации:", grantee],
                ["Наименование социального проекта:", title],
                ["Номер и дата договора:", contract],
                ["Регион реализации:", "Актюбинская область"],
                ["Период реализации:", "1 апреля 2023 года – 30 ноября 2023 года"],
                ["Общая сумма средств, выделенная на реализацию гранта:", amount]]
    indicators = [INDICATOR_HEADER, ["1.", "Количество прямых бенефициаров", "человек", plan, fact]]
    gender = [["Гендерный показатель:"], ["Количество участников проекта всего", "Мужчин", "Женщин"],
              [men + women, men, women]]
    return [*passport, [], *indicators, [], *gender]


def load(tmp_path: Path, capsys, sheets: dict[str, list[list]]) -> tuple[list[dict], dict]:
    """Ingest a workbook of these sheets; its reports as `show --json` gives them, and the `summary` totals."""
    out, reports, totals = ingest_with_totals(tmp_path, capsys, write_xlsx(tmp_path / "book.xlsx", sheets))
    assert reports, out
    return reports, totals


def figures(totals: dict) -> tuple:
    return (totals["reports"], totals["grant_amount"], totals["direct_plan"], totals["direct_beneficiaries"],
            totals["male"], totals["female"])


def summary_findings(reports: list[dict]) -> list[tuple[str, str]]:
    """The file's findings about a summary (each report of the file carries them): severity and English text."""
    found = {(f["severity"], f["message_en"]) for r in reports for f in r["findings"]
             if f["rule"] == "unread_part" and "summary" in json.dumps(f.get("params") or {})}
    for r in reports:  # the file's findings are every report's
        assert {(f["severity"], f["message_en"]) for f in r["findings"] if (f["severity"], f["message_en"]) in found} == found
    return sorted(found)


@pytest.mark.parametrize("registry", [
    [REGISTRY_HEADER, ALFA_ROW, BETA_ROW, TOTAL_ROW],
    # no contract column, the grantee without its legal form: the NGO alone tells the report
    [[c for k, c in enumerate(row) if k != 2] for row in
     [REGISTRY_HEADER, [1, "Альфа", "", *ALFA_ROW[3:]], [2, "Бета", "", *BETA_ROW[3:]], TOTAL_ROW]],
], ids=["contract", "grantee_only"])
def test_a_registry_of_the_form_sheets_is_not_counted_again(tmp_path, capsys, registry):
    reports, totals = load(tmp_path, capsys, {"Свод": registry, "Альфа": form(**ALFA), "Бета": form(**BETA)})
    assert sorted((r["grantee"], r["source"]["layout"], r["source"]["sheet"]) for r in reports) == [
        ("ОО «Альфа»", "form", "Альфа"), ("ОФ «Бета»", "form", "Бета")]
    assert figures(totals) == (2, 8_000_000, 300, 300, 130, 170)
    assert summary_findings(reports) == [("info", SUMMARY_EN)]


def test_a_summary_row_naming_no_form_still_loads_as_a_report(tmp_path, capsys):
    reports, totals = load(tmp_path, capsys, {"Свод": [REGISTRY_HEADER, ALFA_ROW, BETA_ROW, GAMMA_ROW],
                                              "Альфа": form(**ALFA), "Бета": form(**BETA)})
    assert sorted((r["grantee"], r["source"]["sheet"]) for r in reports) == [
        ("ОО «Альфа»", "Альфа"), ("ОО «Гамма»", "Свод"), ("ОФ «Бета»", "Бета")]
    assert {r["source"]["layout"] for r in reports} == {"form+registry"}
    assert figures(totals) == (3, 10_000_000, 350, 360, 150, 210)
    assert summary_findings(reports) == [(
        "info", "Part of the file was not read — sheet «Свод»: rows 2, 3 list the reports of the other sheets "
                "(«Альфа», «Бета»): not read as reports (the other rows are)")]


def test_a_summary_row_disagreeing_with_its_report_is_named_and_the_report_kept(tmp_path, capsys):
    """The summary says Бета reached 190; its form says 180: the form's figure counts, the difference is a warning."""
    beta_190 = [*BETA_ROW[:5], 190, *BETA_ROW[6:]]
    reports, totals = load(tmp_path, capsys, {"Свод": [REGISTRY_HEADER, ALFA_ROW, beta_190],
                                              "Альфа": form(**ALFA), "Бета": form(**BETA)})
    assert figures(totals) == (2, 8_000_000, 300, 300, 130, 170)
    assert summary_findings(reports) == [(
        "warning", SUMMARY_EN + "; figures differing from their reports', whose figures are kept — row 3: "
                                "Direct beneficiaries, actual 190 ≠ 180")]


@pytest.mark.parametrize("title", ["Итого по всем проектам", "Проекты 2023 года"], ids=["totals_label", "sums_only"])
def test_a_form_laid_out_summary_of_the_other_sheets_is_not_a_report(tmp_path, capsys, title):
    """No grantee, no contract, figures that are Альфа's and Бета's sums: told by its title, or by its sums alone."""
    reports, totals = load(tmp_path, capsys, {"Итого": form(**{**TOTALS, "title": title}), "Альфа": form(**ALFA),
                                              "Бета": form(**BETA)})
    assert sorted(r["grantee"] for r in reports) == ["ОО «Альфа»", "ОФ «Бета»"]
    assert figures(totals) == (2, 8_000_000, 300, 300, 130, 170)
    assert summary_findings(reports) == [(
        "info", "Part of the file was not read — sheet «Итого»: the totals of the reports of the other sheets "
                "(«Альфа», «Бета»): not read as a report")]


def test_a_totals_titled_form_whose_figures_are_not_the_sums_is_set_aside_with_a_warning(tmp_path, capsys):
    reports, totals = load(tmp_path, capsys, {"Итого": form(**{**TOTALS, "fact": 310}), "Альфа": form(**ALFA),
                                              "Бета": form(**BETA)})
    assert figures(totals) == (2, 8_000_000, 300, 300, 130, 170)
    assert summary_findings(reports) == [(
        "warning", "Part of the file was not read — sheet «Итого»: titled as the totals («Итого по всем проектам») of "
                   "the reports of the other sheets («Альфа», «Бета»): not read as a report, though not all its "
                   "figures equal their sums — Direct beneficiaries, actual 310 ≠ 300")]


def test_two_form_sheets_and_no_summary_are_unchanged(tmp_path, capsys):
    reports, totals = load(tmp_path, capsys, {"Альфа": form(**ALFA), "Бета": form(**BETA)})
    assert sorted(r["grantee"] for r in reports) == ["ОО «Альфа»", "ОФ «Бета»"]
    assert figures(totals) == (2, 8_000_000, 300, 300, 130, 170)
    assert not [f for r in reports for f in r["findings"] if f["rule"] == "unread_part"]


def test_a_form_without_grantee_whose_figures_are_not_the_sums_still_loads(tmp_path, capsys):
    """A report missing its grantee and contract is no summary unless its title or its sums say so (Гамма's
    figures under a plain title): 3 reports."""
    gamma = dict(grantee="", title="Школа НПО", contract="", amount=2_000_000, plan=50, fact=60, men=20, women=40)
    reports, totals = load(tmp_path, capsys, {"Альфа": form(**ALFA), "Бета": form(**BETA), "Гамма": form(**gamma)})
    assert figures(totals) == (3, 10_000_000, 350, 360, 150, 210)
    assert summary_findings(reports) == []
