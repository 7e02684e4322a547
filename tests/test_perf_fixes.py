"""The performance shortcuts give the same answers as the full matching they skip."""

from __future__ import annotations

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
