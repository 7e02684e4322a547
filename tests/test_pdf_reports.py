"""PDFs exported from Word (here by LibreOffice, from the Word documents of tests/word_report.py): the same
report comes out as from the Word file; tables running over page breaks are joined (with or without their
header repeated, rows broken by the page made whole again); words broken by a narrow column are mended;
running headers and footers are left out; a scan, a locked or damaged PDF and one over the limits are refused
in one line naming the file."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from grantstats import catalog
from grantstats.model import ReadError
from grantstats.readers import read_reports
from grantstats.readers.pdf import load_pdf_grid
from grantstats.readers.pdf_page import Line, Word
from grantstats.readers.pdf_text import Joiner
from grantstats.safety import Limits, check_file
from grantstats.worker import parse_file
from tests import word_report
from tests.test_word_reports import check_example, ingest_and_show


@pytest.mark.parametrize("variant", ["example", "passport_table", "across_pages", "header_repeated"])
def test_the_example_pdf_comes_out_as_the_word_file_does(pdf_reports, tmp_path, capsys, variant):
    out, [d] = ingest_and_show(tmp_path, capsys, pdf_reports[variant])
    assert f"loaded    {variant}.pdf: 1 report" in out
    check_example(d)
    assert d["source"]["layout"] == "pdf"
    indirect = d["indicators"]["indirect_beneficiaries"]
    table = "T4" if variant == "passport_table" else "T3"  # the passport's table comes first there
    assert re.fullmatch(table + r" p\d+", indirect["sheet"]) and (indirect["plan_cell"], indirect["fact_cell"]) == (
        "D3", "E3")


def test_participant_tables_in_people_read_from_the_pdf(pdf_reports, tmp_path, capsys):
    _, [d] = ingest_and_show(tmp_path, capsys, pdf_reports["people"])
    assert d["gender"] == {"male": 21, "female": 49}
    assert d["age"] == {"17-22": 18, "23-27": 21, "28-32": 21, "33-45": 7, "46-58": 3}
    assert d["derived_from_percent"] == {}


def _rows_of_table(grid, table: str) -> list[tuple[str, list[str]]]:
    """(the place's sheet, the row) of every row of table `table` («T3»)."""
    return [(place.sheet, row) for row, place in zip(grid.rows, grid.places)
            if place.in_table and place.sheet.split()[0] == table]


@pytest.mark.parametrize("variant", ["across_pages", "header_repeated"])
def test_a_table_running_over_a_page_break_is_one_table_with_its_header_once(pdf_reports, variant):
    grid = load_pdf_grid(pdf_reports[variant])
    rows = _rows_of_table(grid, "T3")
    assert len({sheet for sheet, _ in rows}) == 2  # its rows stand on two pages
    assert [row[1] for _, row in rows] == ["Индикатор"] + [
        "Количество прямых бенефициаров", "Количество косвенных бенефициаров (за счет освещения в СМИ)",
        "Количество штатных работников", "Количество привлеченных специалистов", "Количество охваченных НПО",
        "Фонд оплаты труда от общей суммы гранта", "Налоги (СН, СО, ОСМС только штатных сотрудников)",
        "Вклад в экономику (покупка товаров и услуг)",
        "Количество партнеров социального проекта (юридические и/или физические лица)"]


def test_rows_broken_by_a_page_are_whole_again(pdf_reports, word_reports):
    """The activities table runs over eight pages, most of its rows broken by a page: it has the Word table's
    twelve rows, and each activity's texts are whole."""
    from grantstats.readers.word import load_word_grid

    pdf_rows = [row for _, row in _rows_of_table(load_pdf_grid(pdf_reports["example"]), "T2")]
    word_rows = [row for _, row in _rows_of_table(load_word_grid(word_reports["example"]), "T2")]
    assert len(pdf_rows) == len(word_rows) == 12
    assert [row[1].split(" ")[:2] for row in pdf_rows[2:]] == [row[1].split(" ")[:2] for row in word_rows[2:]]
    for pdf_row, word_row in zip(pdf_rows, word_rows):
        assert pdf_row[2] == word_row[2]  # the date, e.g. «сентябрь-октябрь 2023 г» (broken at its hyphen)
    assert pdf_rows[2][1].endswith("(подготовка методической базы, консультативных мест)")


def test_headers_broken_inside_words_by_narrow_columns_still_match(pdf_reports):
    """In the PDF «Количество» stands as «Количес|тво» in its narrow column, «Мероприятия» as «Мероп|риятия»."""
    grid = load_pdf_grid(pdf_reports["example"])
    firsts = [row[0] for row in grid.rows if row]
    assert firsts.count("Количество участников проекта всего") == 3
    header = next(row for row in grid.rows if row and row[0] == "Задача")
    assert header[:5] == ["Задача", "Мероприятия в рамках задачи", "Дата проведения", "Место проведения",
                          "Кол-во участников"]


def test_label_matching_joins_pieces_of_a_word_the_layout_broke():
    assert catalog.match_field("Количес тво участников проекта всего") == "participants_total"
    assert catalog.is_participants_total("Количес тво участни ков проекта всего")
    assert catalog.match_indicator("Количество прямых бенефициа ров") == "direct_beneficiaries"
    assert catalog.match_indicator("Коли чес тво косвенных бенефициаров (за счет освещения в СМИ)") == (
        "indirect_beneficiaries")
    assert catalog.match_category("Государст венные служащие") == "civil_servants"
    # pieces are joined only into a word of the catalog, and never two words that both match already
    assert catalog.match_field("Команда проекта – 8 человек") is None
    assert catalog.match_category("Представители бизнес сектора") == "business"


def _line(text: str, x0: float, x1: float, base: float, trailing_space: bool | None = False) -> Line:
    words, x, width = [], x0, (x1 - x0) / max(len(text), 1)
    for piece in text.split(" "):
        words.append(Word(piece, x, x + width * len(piece), width))
        x += width * (len(piece) + 1)
    return Line(words, x0, x1, base - 9, base, base, trailing_space=trailing_space)


def test_lines_join_back_into_what_was_typed():
    joiner = Joiner(frozenset({"количество", "участников", "для", "сообщества"}), pitch=12.0)
    left, right = 0.0, 60.0
    # a word too wide for the column, broken flush with its edge: joined without a space
    assert joiner.join([_line("Количес", 0, 59.5, 12), _line("тво", 0, 25, 24)], left, right) == "Количество"
    # two whole words, the first flush with the edge by chance: a space
    assert joiner.join([_line("участников", 0, 59.5, 12), _line("для", 0, 20, 24)], left, right) == (
        "участников для")
    # a line wrapped at a space the text layer kept: a space
    assert joiner.join([_line("в рамках", 0, 45, 12, True), _line("задачи", 0, 40, 24)], left, right) == (
        "в рамках задачи")
    # the next word would have fitted: the line ended a paragraph; an empty line between: an empty line
    assert joiner.join([_line("1", 0, 6, 12), _line("20", 0, 12, 24)], left, right) == "1\n20"
    assert joiner.join([_line("1", 0, 6, 12), _line("20", 0, 12, 36)], left, right) == "1\n\n20"
    # broken after a hyphen: joined, the hyphen kept
    assert joiner.join([_line("сентябрь-", 0, 58, 12), _line("октябрь 2023 г", 0, 55, 24)], left, right) == (
        "сентябрь-октябрь 2023 г")


def test_running_headers_and_footers_are_left_out(pdf_reports):
    grid = load_pdf_grid(pdf_reports["contacts"])
    text = "\n".join(cell for row in grid.rows for cell in row)
    assert "korgan-m" not in text and "Страница" not in text and "53-12-34" not in text
    assert text.startswith("Заключительный отчет по итогам реализации")


def test_a_scan_without_a_text_layer_is_refused_in_one_line(tmp_path):
    scan = word_report.scanned_pdf(tmp_path / "скан отчета.pdf")
    assert check_file(scan) == "pdf"
    outcome = parse_file(None, scan, Limits())
    assert str(outcome) == ("скан отчета.pdf: the PDF has no text layer (a scan or images of pages), so its figures "
                            "cannot be read; load the Word file, or a PDF saved from Word (File → Save as PDF)")


def test_a_pdf_without_a_report_form_is_refused_naming_what_is_missing(pdf_reports, tmp_path):
    import docx

    letter = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Уважаемые коллеги! Направляем вам письмо о проведении семинара.")
    document.save(letter)
    [pdf] = word_report.to_pdf([letter], tmp_path)
    with pytest.raises(ReadError) as refused:
        read_reports(pdf)
    assert str(refused.value).startswith("letter.pdf: no final-report form found in the PDF (no passport labels")


def test_a_pdf_under_another_name_is_read_as_a_pdf(pdf_reports, tmp_path):
    renamed = tmp_path / "report.xlsx"
    renamed.write_bytes(pdf_reports["example"].read_bytes())
    layout, [report] = parse_file(None, renamed, Limits())
    assert layout == "pdf" and report.grantee == "Общественное Объединение «Корган-М»"


def test_pdf_pages_and_size_are_limited(pdf_reports, tmp_path, monkeypatch):
    pdf = pdf_reports["example"]
    outcome = str(parse_file(None, pdf, Limits(max_pdf_pages=5)))
    assert re.fullmatch(r"example\.pdf: the PDF has \d+ pages, over the 5 page limit \(GRANTSTATS_MAX_PDF_PAGES\)",
                        outcome)
    outcome = str(parse_file(None, pdf, Limits(max_pdf_mb=0.01)))
    assert outcome.startswith("example.pdf: the PDF is 0.") and "over the 0.01 MB limit for a PDF" in outcome
    monkeypatch.setenv("GRANTSTATS_MAX_PDF_PAGES", "3")
    assert Limits.from_env().max_pdf_pages == 3


def test_a_damaged_or_locked_pdf_is_refused_as_such(pdf_reports, word_reports, tmp_path):
    whole = pdf_reports["example"].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    assert str(parse_file(None, cut, Limits())).startswith("cut.pdf: the PDF is damaged or incomplete")
    locked = _locked_pdf(word_reports["people"], tmp_path)
    assert str(parse_file(None, locked, Limits())) == (
        "people.pdf: the file is password-protected (encrypted); save it without a password and load it again")


def _locked_pdf(docx_path: Path, out: Path) -> Path:
    """A PDF that needs a password to open (LibreOffice's export with «EncryptFile»)."""
    options = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
               '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    with tempfile.TemporaryDirectory(prefix="gs-soffice-") as profile:
        subprocess.run([word_report.soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", options, "--outdir", str(out), str(docx_path)],
                       check=True, capture_output=True, timeout=300)
    return out / (docx_path.stem + ".pdf")


@pytest.mark.parametrize("kind", ["word", "pdf"])
def test_a_shifted_indicator_table_is_realigned_in_word_and_pdf(word_reports, pdf_reports, tmp_path, capsys, kind):
    """«Количество прямых бенефициаров» merged over two rows: every later label stands one row below its values
    (row 4 reads «косвенные» beside the staff's «человек 3 3», row 7 «НПО» beside «тенге»); the unit column
    shows where each label's values are (realign.py), and a warning says so."""
    path = (word_reports if kind == "word" else pdf_reports)["shifted"]
    _, [d] = ingest_and_show(tmp_path, capsys, path)
    assert {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()} == {
        "direct_beneficiaries": (50, 70), "indirect_beneficiaries": (140_000, 1_000_000), "staff": (3, 3),
        "specialists": (9, 9), "ngos_covered": (5, 5), "payroll": (2_160_000, 2_160_000),
        "taxes": (245_376, 245_376), "economy_contribution": (4_090_000, 4_090_000), "partners": (5, 5)}
    assert d["indicators"]["staff"]["fact_cell"] == "E4"  # its values' row, not its label's (row 5)
    [shifted] = [f for f in d["findings"] if f["rule"] == "unit_mismatch"]
    assert shifted["severity"] == "warning" and re.fullmatch(r"T3( p\d+)?", shifted["sheet"])


EXAMPLE_INDICATORS = {
    "direct_beneficiaries": (50, 70), "indirect_beneficiaries": (140_000, 1_000_000), "staff": (3, 3),
    "specialists": (9, 9), "ngos_covered": (5, 5), "payroll": (2_160_000, 2_160_000), "taxes": (245_376, 245_376),
    "economy_contribution": (4_090_000, 4_090_000), "partners": (5, 5)}


@pytest.mark.parametrize("variant", ["indicators_borderless", "indicators_rules"])
def test_an_indicator_table_without_borders_or_with_rules_only_is_read_as_a_table(pdf_reports, tmp_path, capsys,
                                                                                   variant):
    """Word keeps a borderless table's cells in columns: the indicator table drawn with no border, or with
    horizontal rules only, gives the nine indicators as the bordered one does; the participant tables after it
    stay the report's (not an invented second report's). The table runs over a page break (pages 11-12)."""
    out, [d] = ingest_and_show(tmp_path, capsys, pdf_reports[variant])
    assert f"loaded    {variant}.pdf: 1 report\n" in out
    assert d["grantee"] == "Общественное Объединение «Корган-М»" and d["year"] == 2023
    assert d["title"] == "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО"
    assert d["grant_amount"] == 34_495_376 + 36_045_560
    assert {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()} == EXAMPLE_INDICATORS
    assert d["participants_total"] == 70
    assert d["gender"] == {"male": 21, "female": 49}
    assert d["age"] == {"17-22": 18, "23-27": 21, "28-32": 21, "33-45": 7, "46-58": 3}
    assert d["categories"] == {"youth": 66, "civil_servants": 7, "public_sector": 2, "elderly": 66}
    assert [f["message_en"] for f in d["findings"] if f["rule"] == "missing_field"] == [
        "Missing field: direction — not given"]  # as from the Word file: the form gives no direction
    grid = load_pdf_grid(pdf_reports[variant])
    rows = [row for _, row in _rows_of_table(grid, "T3")]
    assert [row[1] for row in rows] == [
        "Индикатор", "Количество прямых бенефициаров", "Количество косвенных бенефициаров (за счет освещения в СМИ)",
        "Количество штатных работников", "Количество привлеченных специалистов", "Количество охваченных НПО",
        "Фонд оплаты труда от общей суммы гранта", "Налоги (СН, СО, ОСМС только штатных сотрудников)",
        "Вклад в экономику (покупка товаров и услуг)",
        "Количество партнеров социального проекта (юридические и/или физические лица)"]
    assert rows[3][2:] == ["человек", "3", "3"]  # the row the page broke («штатных | работников») made whole


def test_lines_that_do_not_line_up_in_columns_stay_text():
    """Two lines with a wide gap on the first only, and a label<tab>value line alone: no table is made."""
    from grantstats.readers.pdf_page import Page, add_borderless_tables

    label = Line([Word("Регион:", 57, 95, 5), Word("Туркестанская", 200, 270, 5)], 57, 270, 91, 100, 100)
    prose = _line("Проект реализован в двух областях при поддержке акиматов и партнеров проекта", 57, 520, 114)
    page = Page(1, 842.0, [label, prose], [], 0, 0)
    add_borderless_tables(page)
    assert page.fragments == [] and page.lines == [label, prose]


def test_a_landscape_page_keeps_its_own_text_column():
    """A landscape page among portrait ones has its own right edge: the portrait pages' wrapped lines still reach
    theirs (one wide page had widened every page's column, so a wrapped passport line no longer looked full and
    «ОО «Жастар Альянсы»» was cut to «ОО»)."""
    from grantstats.readers.pdf import _text_columns
    from grantstats.readers.pdf_page import Page

    portrait = [Page(n, 842.0, [_line("Полное наименование организации", 57, 538, 100)], [], 0, 0, width=595.0)
                for n in (1, 3)]
    landscape = Page(2, 595.0, [_line("Таблица мероприятий", 57, 785, 100)], [], 0, 0, width=842.0)
    columns = _text_columns([portrait[0], landscape, portrait[1]])
    assert columns == {1: (57, 538), 2: (57, 785), 3: (57, 538)}
