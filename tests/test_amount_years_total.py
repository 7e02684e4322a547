"""A grant amount typed as a total with its years («6 000 000, в т.ч. 2023 год – 2 000 000; 2024 год – 3 000 000»)
keeps the total as typed, the years beside it, and a sum_mismatch finding when the years do not add up to it.
Before, the total was replaced by the years' sum without a word (5 000 000 stored for 6 000 000)."""

from __future__ import annotations

from tests.test_plan_fact_columns import PASSPORT, load, write_book

LABEL = "Общая сумма средств, выделенная на реализацию гранта:"


def with_amount(text: str) -> list[list]:
    return [row if "сумма" not in row[0].lower() else [LABEL, text] for row in PASSPORT]


def test_a_total_the_years_do_not_add_up_to_is_kept_and_named(tmp_path, capsys):
    rows = with_amount("6 000 000, в т.ч. 2023 год – 2 000 000; 2024 год – 3 000 000")
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert report["grant_amount"] == 6_000_000
    assert report["amount_by_year"] == {"2023": 2_000_000, "2024": 3_000_000}
    [finding] = [f for f in report["findings"] if f["rule"] == "sum_mismatch"]
    assert finding["severity"] == "error"  # off by 1 000 000, a sixth of the total
    assert finding["message_en"] == ("The amounts by year (grant amount for 2023 2\u00a0000\u00a0000 + grant amount for "
                                     "2024 3\u00a0000\u00a0000 = 5\u00a0000\u00a0000) do not add up to the grant amount "
                                     "6\u00a0000\u00a0000: off by 1\u00a0000\u00a0000")


def test_a_total_that_adds_up_or_no_total_says_nothing(tmp_path, capsys):
    for i, text in enumerate(("5 000 000, в т.ч. 2023 год – 2 000 000; 2024 год – 3 000 000",
                              "2023 год – 2 000 000; 2024 год – 3 000 000")):
        folder = tmp_path / str(i)
        folder.mkdir()
        _, (report,) = load(folder, capsys, write_book(folder / "f.xlsx", with_amount(text)))
        assert report["grant_amount"] == 5_000_000
        assert [f for f in report["findings"] if f["rule"] == "sum_mismatch"] == []
