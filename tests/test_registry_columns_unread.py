"""A consolidated sheet's columns that are not read are named, never dropped without a word; and a header that is
only alike as a whole to a catalog phrase, but holds a word the phrase lacks, is not taken for it.

The sheet holds two reports worked out by hand: ОО «Альфа» (5 000 000 ₸, 7 NGOs covered, 120 direct beneficiaries)
and ОФ «Бета» (3 000 000 ₸, 3 NGOs, 150). «Количество обученных» (120 and 80 trained people) was once taken for
«Количество охваченных НПО», and the real NGO column beside it was then dropped: 200 NGOs instead of 10.
"""

from __future__ import annotations

from grantstats.readers.registry import classify_label
from tests.sheet_files import write_xlsx
from tests.test_registry_ingest import ingest_by_grantee
from tests.test_registry_rows_not_reports import unread

HEADER = ["№ п/п", "Грантополучатель", "Регион", "Год", "Сумма гранта", "Количество обученных",
          "Количество охваченных НПО", "Количество прямых бенефициаров", "Телефон", "Дата отчета"]
ALFA = [1, "ОО «Альфа»", "г. Астана", 2023, 5_000_000, 120, 7, 120, "87011234567", "20.12.2023"]
BETA = [2, "ОФ «Бета»", "Карагандинская область", 2023, 3_000_000, 80, 3, 150, "87017654321", "21.12.2023"]


def fact(report: dict, code: str):
    return report["indicators"].get(code, {}).get("fact")


def test_a_word_the_phrase_lacks_is_not_matched_by_likeness():
    assert classify_label("Количество обученных") is None
    assert classify_label("Количество охваченных НПО").code == "ngos_covered"
    # what likeness is for stays: glued words, typos of a letter or two
    assert classify_label("Количествопрямых бенефициаров").code == "direct_beneficiaries"
    assert classify_label("Колличество прямых бенифициаров").code == "direct_beneficiaries"
    assert classify_label("Количество прмых бенефициаров").code == "direct_beneficiaries"


def test_a_column_the_catalog_does_not_know_is_named_and_the_known_ones_read(tmp_path, capsys):
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, BETA]})
    reports = ingest_by_grantee(tmp_path, capsys, book)
    alfa, beta = reports["ОО «Альфа»"], reports["ОФ «Бета»"]
    assert (fact(alfa, "ngos_covered"), fact(beta, "ngos_covered")) == (7, 3)
    assert (fact(alfa, "direct_beneficiaries"), fact(beta, "direct_beneficiaries")) == (120, 150)
    # the numbering, phone and date columns are no figures to name; the trained people are
    assert unread([alfa]) == [("info", "F1", "Part of the file was not read — sheet «Свод»: columns of figures not "
                                             "read — their header names nothing in the catalog: F «Количество обученных»")]
    assert unread([beta]) == unread([alfa])


def test_a_second_column_naming_the_same_is_named_with_the_one_read(tmp_path, capsys):
    header = HEADER[:8] + ["Охват НПО"]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [header, ALFA[:8] + [9], BETA[:8] + [None]]})
    reports = ingest_by_grantee(tmp_path, capsys, book)
    alfa = reports["ОО «Альфа»"]
    assert fact(alfa, "ngos_covered") == 7  # the first column's, as before; the other is named beside it
    assert ("warning", "I1", "Part of the file was not read — sheet «Свод»: columns not read — a column to their "
            "left (in brackets) names the same, and its figures were taken; check which is right: I «Охват НПО» (G)"
            ) in unread([alfa])


def test_an_empty_column_naming_the_same_says_nothing(tmp_path, capsys):
    header = HEADER[:8] + ["Охват НПО"]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [header, ALFA[:8] + [None], BETA[:8] + ["-"]]})
    reports = ingest_by_grantee(tmp_path, capsys, book)
    assert [f for f in unread(list(reports.values())) if f[0] == "warning"] == []


def test_a_hidden_column_before_its_visible_twin_leaves_the_visible_one_read(tmp_path, capsys):
    # C, hidden, is an old copy of D: D's 120 and 150 are read (the hidden one had been kept and D dropped)
    header = ["Грантополучатель", "Год", "Прямые бенефициары (факт)", "Прямые бенефициары (факт)"]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [header, ["ОО «Альфа»", 2023, 100, 120],
                                                        ["ОФ «Бета»", 2023, 140, 150]]}, hidden_columns={"Свод": ["C"]})
    reports = ingest_by_grantee(tmp_path, capsys, book)
    assert (fact(reports["ОО «Альфа»"], "direct_beneficiaries"), fact(reports["ОФ «Бета»"], "direct_beneficiaries")) \
        == (120, 150)
    assert reports["ОО «Альфа»"]["indicators"]["direct_beneficiaries"]["fact_cell"] == "D2"
    assert unread([reports["ОО «Альфа»"]]) == []
