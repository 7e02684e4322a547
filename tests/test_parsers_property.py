"""Random cells, strings and bytes thrown at the parsers, the layout readers and the file check: the only
error that may come out is the project's own one-line ReadError."""

from __future__ import annotations

import math
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grantstats import catalog, numbers, text
from grantstats.model import Number, ReadError, Report
from grantstats.readers import form, registry, tidy
from grantstats.readers.grid import Grid, cell_text, decode_csv_bytes
from grantstats.safety import Limits, check_file, decode_text
from grantstats.worker import ParsePool, parse_file

# Words people type in these spreadsheets: labels of every part of the form and of registries, figures
# written every way seen in real reports, dates, regions; hypothesis mixes them with anything at all.
VOCABULARY = [
    "Грантополучатель", "Полное наименование неправительственной организации", "Регион", "Сумма гранта",
    "Сумма гранта, тенге", "Прямые бенефициары (план)", "Прямые бенефициары (факт)", "Номер договора",
    "Номер и дата договора", "Тема гранта", "Наименование социального проекта", "Срок реализации",
    "Направление гранта", "Количество прямых бенефициаров", "Количество косвенных бенефициаров",
    "в том числе из социально уязвимых категорий населения", "Количество штатных работников",
    "Фонд оплаты труда от общей суммы гранта", "Налоги", "Вклад в экономику", "план", "факт", "План", "Факт",
    "Количество участников проекта всего", "Мужчин", "Женщин", "Дети", "Молодежь", "Лица с инвалидностью",
    "13-16", "17-22 лет", "59 лет и выше", "Задача 1", "Мероприятие 1.1", "Социально-экономический эффект",
    "Статистическая информация в разрезе участников", "человек", "тенге", "организация", "%",
    "4 000 000", "4\u00a0000\u00a0000", "2,5", "140 тыс.", "около 1 млн", "Более 500 000", "не менее 50",
    "100%", "30%", "4 000 000 (Четыре миллиона).", "-", "—", "–", "нет", "", " ",
    "- на 2023 год - 34 495 376 (тридцать четыре миллиона) тенге\n- на 2024 год - 36 045 560 тенге",
    "№ 72 от 21 апреля 2022 года", "25 сентября 2023 года – 31 октября 2024 года", "01.03.2023 - 30.11.2023",
    "21.04.22", "2023", "45000", "г. Шымкент и ЗКО", "Алматы", "Туркестанская область", "ОО «Корган-М»",
    "Итого", "Всего", "1e308", "-0", "NaN", "inf", "٣", "１２３", "12\n34", "=SUM(A1:A3)", "<script>",
]

cells = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(max_size=40),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(VOCABULARY), st.sampled_from(VOCABULARY)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**20, max_value=10**20),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)


@st.composite
def grids(draw) -> list[Grid]:
    out = []
    for index in range(draw(st.integers(1, 3))):
        width = draw(st.integers(0, 12))
        ragged = draw(st.booleans())  # CSV rows may differ in length; calamine's never do
        rows = draw(st.lists(st.lists(cells, min_size=0 if ragged else width, max_size=width),
                             max_size=30))
        height = len(rows)
        merged = []
        if height and width:
            for _ in range(draw(st.integers(0, 3))):
                r0, c0 = draw(st.integers(0, height - 1)), draw(st.integers(0, width - 1))
                r1, c1 = draw(st.integers(r0, height - 1)), draw(st.integers(c0, width - 1))
                merged.append(((r0, c0), (r1, c1)))
        out.append(Grid(name=draw(st.sampled_from(["Лист1", "Свод", "Отчет", f"S{index}"])), rows=rows,
                        merged=merged))
    return out


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_read_errors(call, *args):
    try:
        return call(*args)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
        return exc


@SETTINGS
@given(cells)
def test_cell_parsers_take_anything(value):
    number = numbers.parse_number(value)
    assert isinstance(number, Number)
    assert number.value is None or isinstance(number.value, float)
    assert isinstance(numbers.parse_date(value), (date, type(None)))
    start, end = numbers.parse_period(value)
    assert isinstance(start, (date, type(None))) and isinstance(end, (date, type(None)))
    contract_no, contract_date = numbers.parse_contract(value)
    assert isinstance(contract_no, (str, type(None)))
    assert isinstance(numbers.parse_amount_by_year(value), dict)
    assert isinstance(numbers.parse_year(value), (int, type(None)))
    assert isinstance(cell_text(value), str)


@SETTINGS
@given(cells)
def test_label_matchers_take_anything(value):
    assert isinstance(text.normalize(value), str)
    assert isinstance(text.tokens(value), list)
    assert isinstance(catalog.regions_in_text(value), list)
    for match in (catalog.match_region, catalog.match_direction, catalog.match_indicator, catalog.match_category,
                  catalog.match_age, catalog.match_gender, catalog.match_field):
        assert isinstance(match(value), (str, type(None)))
    label = cell_text(value)
    assert isinstance(registry.classify_label(label), (registry.Column, type(None)))
    form.field_of_label(label)
    form.indicator_of_label(label)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_layout_readers_take_any_grid(sheets):
    reports = _only_read_errors(registry.read_registry, sheets, "x.xlsx")
    assert isinstance(reports, (list, ReadError))
    found = _only_read_errors(tidy.read_tidy, sheets, "x.xlsx")
    assert found is None or isinstance(found, (list, ReadError))
    outcome = _only_read_errors(form.read_form, sheets, "x.xlsx")
    if not isinstance(outcome, ReadError):
        reports, missing = outcome
        assert isinstance(missing, str)
        assert all(isinstance(r, Report) for r in reports)


@st.composite
def registry_sheets(draw) -> list[Grid]:
    """A registry header (some of its columns) over rows of anything: the registry reader's real input."""
    header = draw(st.lists(st.sampled_from(VOCABULARY[:20]), min_size=2, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), min_size=1, max_size=10))
    return [Grid(name="Свод", rows=[list(header), *rows])]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_sheets())
def test_registry_reader_takes_any_rows_under_a_header(sheets):
    reports = _only_read_errors(registry.read_registry, sheets, "x.xlsx")
    if isinstance(reports, list):
        for report in reports:
            assert isinstance(report, Report)
            for number in (report.grant_amount, report.participants_total):
                assert number.value is None or not math.isnan(number.value)


@SETTINGS
@given(st.binary(max_size=2000))
def test_csv_decoding_gives_text_or_a_read_error(data):
    outcome = _only_read_errors(decode_csv_bytes, data, "x.csv")
    assert isinstance(outcome, (str, ReadError))
    if isinstance(outcome, str):
        assert "\ufffd" not in outcome and "\x00" not in outcome


@SETTINGS
@given(st.text(st.characters(exclude_characters="\x00"), max_size=300),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251"]))
def test_text_in_a_supported_encoding_decodes_back_or_is_refused_as_a_whole(value, encoding):
    try:
        data = value.encode(encoding)
    except UnicodeEncodeError:
        return
    outcome = _only_read_errors(decode_text, data, "x.csv")
    if isinstance(outcome, str):
        # what comes back is what was written (a single-byte file may be read as KZ-1048 only if it reads better)
        assert outcome == value.rstrip("\x1a") or encoding == "cp1251"


MAGIC = [b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
         b"<html>", b"<?xml ", b"%PDF-1.4", b"\x1f\x8b"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.sampled_from(MAGIC), st.binary(max_size=3000), st.sampled_from([".xlsx", ".xls", ".ods", ".csv", ".txt"]))
def test_the_file_check_takes_any_bytes(tmp_path, magic, body, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(magic + body)
    outcome = _only_read_errors(check_file, path, Limits())
    assert outcome in ("xlsx", "xls", "ods", "csv") or isinstance(outcome, ReadError)
    if isinstance(outcome, ReadError):
        assert str(outcome).startswith(path.name + ": ")


@st.composite
def mangled_xlsx(draw, source: bytes) -> bytes:
    """A real workbook with bytes flipped, cut or inserted: what a bad download or disk makes."""
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at: at + draw(st.integers(1, 200))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=50))
        if not data:
            break
    return bytes(data)


def _registry_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Грантополучатель", "Регион", "Сумма гранта", "Прямые бенефициары (план)",
               "Прямые бенефициары (факт)"])
    ws.append(["ОО «Альфа»", "г. Алматы", 1000000, 10, 12])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


WORKBOOK = _registry_workbook()


@pytest.fixture(scope="module")
def pool():
    """Damaged workbooks go to a worker: should one make a reader abort, it ends the worker, not the tests."""
    with ParsePool(Limits(parse_timeout_s=10), workers=1) as guarded:
        yield guarded


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(mangled_xlsx(WORKBOOK))
def test_a_damaged_workbook_reads_or_is_refused_in_one_line(tmp_path, pool, data):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(data)
    [(_, outcome)] = pool.parse_many([path])
    if isinstance(outcome, ReadError):
        assert str(outcome).startswith("damaged.xlsx: ") and "\n" not in str(outcome)
    else:
        layout, reports = outcome
        assert layout in ("registry", "tidy", "form")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8), st.booleans())
def test_any_cells_written_to_a_file_read_or_are_refused_in_one_line(tmp_path, rows, as_csv):
    header = [["Грантополучатель", "Регион", "Сумма гранта", "Прямые бенефициары (план)",
               "Прямые бенефициары (факт)", "Номер договора"]]
    path = tmp_path / ("cells.csv" if as_csv else "cells.xlsx")
    if as_csv:
        import csv
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=";").writerows([[cell_text(v) for v in row] for row in header + rows])
    else:
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        wb = Workbook()
        ws = wb.active
        for row in header + rows:
            clean = []
            for v in row:
                if isinstance(v, str):
                    v = ILLEGAL_CHARACTERS_RE.sub("", v)
                elif isinstance(v, float) and not math.isfinite(v):
                    v = str(v)
                elif isinstance(v, int) and abs(v) > 2**53:
                    v = str(v)
                clean.append(v)
            ws.append(clean)
        wb.save(path)
    outcome = parse_file(None, path, Limits())
    if isinstance(outcome, ReadError):
        assert str(outcome).startswith(path.name + ": ") and "\n" not in str(outcome)
    else:
        assert outcome[0] in ("registry", "tidy", "form")


def test_a_zip_of_random_parts_is_refused_in_one_line(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "not xml at all <<<")
    outcome = parse_file(None, path, Limits())
    assert isinstance(outcome, ReadError) and str(outcome).startswith("parts.xlsx: ")

