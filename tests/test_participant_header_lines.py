"""A participant table whose header runs over two lines, or whose figure stands a column off its header, is read;
one under whose header nothing is a figure is named in an unread_part finding, never dropped without a word.

Each form holds the gender table worked out by hand: 120 participants, 50 men, 70 women. Before, a wrapped header
line («проекта всего», as a PDF breaks a narrow column) was taken for the figures' row, and the table was lost:
no men, no women, and not a word.
"""

from __future__ import annotations

from tests.test_plan_fact_columns import PASSPORT, load, write_book

HEADER = ["Количество участников", "Мужчин", "Женщин"]


def form(*table_rows: list) -> list[list]:
    return PASSPORT + [[], ["Гендерный показатель:"], *table_rows]


def gender(report: dict) -> dict[str, float]:
    return report["gender"]


def unread_messages(report: dict) -> list[str]:
    return [f["message"] for f in report["findings"] if f["rule"] == "unread_part"]


def test_a_wrapped_header_line_is_not_the_figures(tmp_path, capsys):
    book = write_book(tmp_path / "f.xlsx", form(HEADER, ["проекта всего", None, None], [120, 50, 70]))
    _, (report,) = load(tmp_path, capsys, book)
    assert gender(report) == {"male": 50, "female": 70}
    assert report["participants_total"] == 120
    assert unread_messages(report) == []


def test_a_figure_a_column_off_its_header_is_its_own(tmp_path, capsys):
    # «Женщин» in C, its 70 in D: no header names D, and C is empty
    book = write_book(tmp_path / "f.xlsx", form(HEADER, [120, 50, None, 70]))
    _, (report,) = load(tmp_path, capsys, book)
    assert gender(report) == {"male": 50, "female": 70}


def test_a_figure_beside_a_filled_column_is_not_moved(tmp_path, capsys):
    book = write_book(tmp_path / "f.xlsx", form(HEADER, [120, 50, 70, 999]))
    _, (report,) = load(tmp_path, capsys, book)
    assert gender(report) == {"male": 50, "female": 70}


def test_words_in_place_of_figures_are_named(tmp_path, capsys):
    book = write_book(tmp_path / "f.xlsx", form(HEADER + ["Примечание"], ["см. приложение", "см. приложение",
                                                                          "см. приложение"]))
    _, (report,) = load(tmp_path, capsys, book)
    assert not gender(report)
    assert unread_messages(report) == [
        "Часть файла не прочитана — лист «Отчет»: таблица участников по полу (A8): под заголовком нет ни одного "
        "числа, которое можно прочитать"]


def test_other_age_brackets_are_named_not_dropped(tmp_path, capsys):
    # «до 18 / 18-29 / 30-59 / 60 и старше» are not the form's brackets: none can be read as one of them
    rows = PASSPORT + [[], ["Возрастной показатель:"],
                       ["Количество участников проекта всего", "до 18 лет", "18-29 лет", "30-59 лет", "60 лет и старше"],
                       [120, 30, 50, 30, 10]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert not report["age"]
    assert unread_messages(report) == [
        "Часть файла не прочитана — лист «Отчет»: таблица участников (A8): столбцы, которых нет в справочнике (другие "
        "группы?), не прочитаны: B8 «до 18 лет», C8 «18-29 лет», D8 «30-59 лет», E8 «60 лет и старше»"]


def test_a_known_table_with_one_strange_column_names_it(tmp_path, capsys):
    rows = PASSPORT + [[], ["Гендерный показатель:"], HEADER + ["Не указали пол"], [120, 50, 60, 10]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert gender(report) == {"male": 50, "female": 60}
    assert unread_messages(report) == [
        "Часть файла не прочитана — лист «Отчет»: таблица участников (A8): столбцы, которых нет в справочнике (другие "
        "группы?), не прочитаны: D8 «Не указали пол»"]


def test_a_total_of_100_percent_makes_its_table_percent(tmp_path, capsys):
    # the age total cell says «100%» and the gender table gives 120 people: 10 % of 120 = 12, 30 % = 36 …
    rows = PASSPORT + [[], HEADER, [120, 50, 70], [],
                       ["Количество участников проекта всего", "13-16 лет", "17-22 года", "23-27 лет", "28-32 года",
                        "33-45 лет", "46-58 лет", "59 лет и выше"], ["100%", 10, 30, 25, 15, 10, 6, 4]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert report["age"] == {"13-16": 12, "17-22": 36, "23-27": 30, "28-32": 18, "33-45": 12, "46-58": 7, "59+": 5}
    assert report["participants_total"] == 120
