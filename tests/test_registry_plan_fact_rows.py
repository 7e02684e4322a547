"""A consolidated sheet where each report stands on two rows, a column without a header saying «план» on one and
«факт» on the next: the plan row's figures are the plan, the next row's the fact. Before, the plan was stored as
the fact and the fact rows were taken for totals rows.

By hand: ОО «Болашак» direct beneficiaries 100 planned / 110 reached, indirect 5 000 / 5 500; ОФ «Мейірім» 200 / 210
and 6 000 / 6 500; a totals row «Итого» (300 / 320) is no report and its «факт» row joins nothing.
"""

from __future__ import annotations

import pytest

from tests.sheet_files import write_xlsx
from tests.test_registry_ingest import ingest_by_grantee

HEADER = ["№", "Наименование НПО", "№ договора", "Год", "Регион", "Сумма гранта", None, "Прямые бенефициары",
          "Косвенные бенефициары"]
ROWS = [[1, "ОО «Болашак»", "11", 2023, "ВКО", 4_000_000, "план", 100, 5000],
        [None, None, None, None, None, None, "факт", 110, 5500],
        [2, "ОФ «Мейірім»", "12", 2023, "СКО", 2_500_000, "план", 200, 6000],
        [None, None, None, None, None, None, "факт", 210, 6500]]
TOTALS = [[None, "Итого", None, None, None, 6_500_000, "план", 300, 11000],
          [None, None, None, None, None, None, "факт", 320, 12000]]


def figures(report: dict) -> dict[str, tuple]:
    return {code: (v["plan"], v["fact"]) for code, v in report["indicators"].items()}


@pytest.mark.parametrize("merged", [False, True])
def test_plan_and_fact_rows_make_one_report(tmp_path, capsys, merged):
    merges = {"Свод": [f"{c}{r}:{c}{r + 1}" for r in (2, 4) for c in "ABCDEF"]} if merged else None
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, *ROWS, *TOTALS]}, merges=merges)
    reports = ingest_by_grantee(tmp_path, capsys, book)
    assert sorted(reports) == ["ОО «Болашак»", "ОФ «Мейірім»"]
    assert figures(reports["ОО «Болашак»"]) == {"direct_beneficiaries": (100, 110), "indirect_beneficiaries": (5000, 5500)}
    assert figures(reports["ОФ «Мейірім»"]) == {"direct_beneficiaries": (200, 210), "indirect_beneficiaries": (6000, 6500)}
    direct = reports["ОО «Болашак»"]["indicators"]["direct_beneficiaries"]
    assert (direct["plan_cell"], direct["fact_cell"]) == ("H2", "H3")


def test_fact_row_first_then_plan(tmp_path, capsys):
    rows = [[1, "ОО «Болашак»", "11", 2023, "ВКО", 4_000_000, "факт", 110, 5500],
            [None, None, None, None, None, None, "план", 100, 5000]]
    reports = ingest_by_grantee(tmp_path, capsys, write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, *rows]}))
    assert figures(reports["ОО «Болашак»"]) == {"direct_beneficiaries": (100, 110), "indirect_beneficiaries": (5000, 5500)}
