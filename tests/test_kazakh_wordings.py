"""Kazakh wordings a filled-in form uses, read like their Russian ones.

Before, an indicator table headed «Жоспар | Орындалды» or «Жоспар | Іс жүзінде» lost all its rows («Орындалды»
was taken for a place column by its stem «орын»), and the report said only that the direct beneficiaries' fact
was not given; an age table under «Барлығы / Всего» and a gender table of «Ұлдар / Қыздар» were dropped without a
word. Figures by hand: direct beneficiaries 100 planned, 120 reached; indirect 1 000 / 2 000; 120 participants,
50 men (boys) and 70 women (girls); ages 10 + 40 + 30 + 20 + 10 + 6 + 4 = 120.
"""

from __future__ import annotations

import pytest

from grantstats import catalog
from tests.test_plan_fact_columns import PASSPORT, form_rows, load, write_book


@pytest.mark.parametrize("fact", ["Орындалды", "Іс жүзінде", "Іс жүзіндегі деңгей"])
def test_kazakh_fact_columns_are_the_fact(tmp_path, capsys, fact):
    book = write_book(tmp_path / "f.xlsx", form_rows(["Жоспар", fact], [100, 120], [1000, 2000]))
    _, (report,) = load(tmp_path, capsys, book)
    direct, indirect = report["indicators"]["direct_beneficiaries"], report["indicators"]["indirect_beneficiaries"]
    assert (direct["plan"], direct["fact"], indirect["plan"], indirect["fact"]) == (100, 120, 1000, 2000)


def test_a_completion_column_in_kazakh_is_still_no_fact():
    assert catalog.plan_or_fact("Орындалуы, %")[0] == "comparison"


def test_bilingual_totals_and_brackets_and_boys_and_girls(tmp_path, capsys):
    rows = PASSPORT + [[], ["Жобаға қатысушылар саны, барлығы", "Ұлдар", "Қыздар"], [120, 50, 70], [],
                       ["Барлығы / Всего", "13-16 жас / лет", "17-22 жас / лет", "23-27 жас / лет", "28-32 жас / лет",
                        "33-45 жас / лет", "46-58 жас / лет", "59 жас және одан жоғары / 59 лет и выше"],
                       [120, 10, 40, 30, 20, 10, 6, 4]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert report["gender"] == {"male": 50, "female": 70}
    assert report["age"] == {"13-16": 10, "17-22": 40, "23-27": 30, "28-32": 20, "33-45": 10, "46-58": 6, "59+": 4}
    assert [f for f in report["findings"] if f["rule"] == "sum_mismatch"] == []


def test_a_kazakh_volunteering_direction_is_known():
    assert catalog.match_direction("Еріктілер бастамаларын дамыту және қолдау") == "16"


def test_an_age_table_with_percent_in_its_headers_is_read_in_percent(tmp_path, capsys):
    """«13-16 лет, %» names the bracket's share (the age table had been dropped without a word): 10 % of 120 = 12."""
    rows = PASSPORT + [[], ["Количество участников проекта всего", "13-16 лет, %", "17-22 года (%)", "23-27 лет, %",
                            "28-32 года, %", "33-45 лет, %", "46-58 лет, %", "59 лет и выше, %"],
                       [120, 10, 30, 25, 15, 10, 6, 4]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert report["age"] == {"13-16": 12, "17-22": 36, "23-27": 30, "28-32": 18, "33-45": 12, "46-58": 7, "59+": 5}
    assert catalog.match_age("59%") is None  # a bare figure in percent is no bracket
