"""Personal data taken out of every text a report carries, and a BIN told from an IIN."""

from __future__ import annotations

import pytest

from grantstats import privacy
from grantstats.model import Activity, IndicatorValue, Number, Report


@pytest.mark.parametrize("text, cleaned", [
    ("ТОО Альфа, тел. 8 701 123 45 67", "ТОО Альфа, ***"),
    ("+7 (701) 123-45-67", "***"), ("87011234567", "***"), ("8\xa0701\xa0123\xa045\xa067", "***"),
    ("Телефон: 53 45 12", "***"), ("пишите на nur@mail.kz", "пишите на ***"),
    ("ИИН 850415300123", "ИИН ***"),
    ("спикер Иванова А.Б.", "спикер ***"), ("А.Б. Иванова провела тренинг", "*** провела тренинг"),
    ("руководитель Киргизбаева Диана Уткирбековна", "руководитель ***"),
    ("координатор Серіков Нұрлан Асқарұлы", "координатор ***"),
])
def test_scrub_takes_out_phones_emails_iins_and_names(text, cleaned):
    assert privacy.scrub(text) == cleaned


@pytest.mark.parametrize("text", ["4 000 000", "Команда проекта – 8 человек", "г. Шымкент, улица Диваева 37/6",
                                  "деятельности 2 235 530", "БИН 210440012345", "сотрудников 5", "21.04.2022",
                                  "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО", "2 235 530 000"])
def test_scrub_leaves_figures_addresses_and_bins(text):
    assert privacy.scrub(text) == text


def test_clean_report_reads_a_figure_again_without_the_phone_typed_beside_it():
    report = Report(grantee="ОО «Нур»", title="Клуб, рук. Петров П.П.")
    report.indicators["partners"] = IndicatorValue("partners", fact=Number(87011234567.0, raw="87011234567"))
    report.activities = [Activity(task="Задача 1", place="г. Актау, тел. 8 (7292) 12-34-56",
                                  participants_text="спикер Сейткали Б.М.")]
    privacy.clean_report(report)
    assert report.title == "Клуб, рук. ***"
    assert report.indicators["partners"].fact == Number(None, raw="***")
    assert (report.activities[0].place, report.activities[0].participants_text) == ("г. Актау, ***", "спикер ***")


@pytest.mark.parametrize("raw, bin_", [("210440012345", "210440012345"), ("БИН 210540012345", "210540012345"),
                                       (210640012345.0, "210640012345"), ("2104 4001 2345", "210440012345"),
                                       ("850415300123", None), ("12345", None), (None, None), ("", None)])
def test_a_bin_is_twelve_digits_with_a_legal_entity_s_fifth_digit(raw, bin_):
    assert privacy.bin_of(raw) == bin_
