"""A consolidated table laid on its side — fields down column A, a report a column — is read as a registry, each
figure from the cell it stands in. Before, the first column of values was read as one form without a grantee and
the other reports were lost without a word.

By hand: ОО «Болашак» (B) contract 11, 4 000 000 ₸, direct beneficiaries 100 / 110, 50 men and 60 women;
ОФ «Мейірім» (C) 12, 2 500 000 ₸, 200 / 210, 100 / 110; ОО «Жігер» (D) 13, 3 000 000 ₸, 300 / 310, 150 / 160.
"""

from __future__ import annotations

from tests.sheet_files import write_xlsx
from tests.test_registry_ingest import ingest_by_grantee

SIDEWAYS = [["Показатель", "ОО «Болашак»", "ОФ «Мейірім»", "ОО «Жігер»"],
            ["№ договора", "11", "12", "13"],
            ["Год", 2023, 2023, 2023],
            ["Регион", "ВКО", "СКО", "г. Шымкент"],
            ["Сумма гранта", 4_000_000, 2_500_000, 3_000_000],
            ["Прямые бенефициары (план)", 100, 200, 300],
            ["Прямые бенефициары (факт)", 110, 210, 310],
            ["Мужчин", 50, 100, 150],
            ["Женщин", 60, 110, 160]]


def test_a_registry_on_its_side_gives_a_report_a_column(tmp_path, capsys):
    reports = ingest_by_grantee(tmp_path, capsys, write_xlsx(tmp_path / "svod.xlsx", {"Свод": SIDEWAYS}))
    assert sorted(reports) == ["ОО «Болашак»", "ОО «Жігер»", "ОФ «Мейірім»"]
    figures = {name: (r["contract_no"], r["grant_amount"], r["indicators"]["direct_beneficiaries"]["plan"],
                      r["indicators"]["direct_beneficiaries"]["fact"], r["gender"]["male"], r["gender"]["female"])
               for name, r in reports.items()}
    assert figures == {"ОО «Болашак»": ("11", 4_000_000, 100, 110, 50, 60),
                       "ОФ «Мейірім»": ("12", 2_500_000, 200, 210, 100, 110),
                       "ОО «Жігер»": ("13", 3_000_000, 300, 310, 150, 160)}
    zhiger = reports["ОО «Жігер»"]
    assert zhiger["source"]["field_cells"]["grantee"] == "D1"
    assert zhiger["source"]["field_cells"]["grant_amount"] == "D5"
    assert (zhiger["indicators"]["direct_beneficiaries"]["plan_cell"],
            zhiger["indicators"]["direct_beneficiaries"]["fact_cell"]) == ("D6", "D7")


def test_one_column_of_values_stays_a_form(tmp_path, capsys):
    rows = [["Наименование организации", "ОО «Болашак»"], ["№ договора", "11"], ["Год", 2023],
            ["Регион", "ВКО"], ["Сумма гранта", 4_000_000]]
    reports = ingest_by_grantee(tmp_path, capsys, write_xlsx(tmp_path / "f.xlsx", {"Отчет": rows}))
    assert list(reports) == ["ОО «Болашак»"]
    assert reports["ОО «Болашак»"]["source"]["layout"] == "form"
