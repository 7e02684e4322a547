"""A period given as two cells beside its label — the start, then the end — is read whole: before, the end was
left out without a word. By hand: 25.05.2022 to 30.11.2022, from B4 and C4."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.test_plan_fact_columns import PASSPORT, load, write_book

LABEL = "5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:"


@pytest.mark.parametrize("start, end", [(datetime(2022, 5, 25), datetime(2022, 11, 30)), ("25.05.2022", "30.11.2022")])
def test_a_period_in_two_cells(tmp_path, capsys, start, end):
    rows = PASSPORT[:2] + [[LABEL, start, end]] + PASSPORT[2:]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert (report["period_start"], report["period_end"]) == ("2022-05-25", "2022-11-30")
    cells = report["source"]["field_cells"]
    assert (cells["period_start"], cells["period_end"]) == ("B3", "C3")


def test_a_period_in_one_cell_is_as_before(tmp_path, capsys):
    rows = PASSPORT[:2] + [[LABEL, "25.05.2022 – 30.11.2022"]] + PASSPORT[2:]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert (report["period_start"], report["period_end"]) == ("2022-05-25", "2022-11-30")
