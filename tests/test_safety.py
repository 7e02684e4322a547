"""The check before parsing (grantstats.safety) and the parsing pool (grantstats.worker), piece by piece."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import timeit
import zipfile
from pathlib import Path

import pytest

from grantstats.model import ReadError
from grantstats.readers.grid import load_grids
from grantstats.safety import Limits, check_file, decode_text
from grantstats.worker import ParsePool, parse_file

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Грантополучатель", "Регион", "Сумма гранта", "Прямые бенефициары (план)", "Прямые бенефициары (факт)"]
ROW = ["ОО «Алға»", "г. Алматы", "4 000 000", "100", "120"]


def workbook_bytes(rows: list[list] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows or [HEADER, ROW]:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def refusal(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(ReadError) as refused:
        check_file(path, limits or Limits())
    message = str(refused.value)
    assert message.startswith(path.name + ": ") and "\n" not in message
    return message


def zip_of(path: Path, parts: dict[str, bytes | str], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


# ----------------------------------------------------------------------------------------------------------
# Limits


def test_limits_have_defaults_a_real_report_never_reaches():
    limits = Limits()
    assert limits.max_file_mb == 50 and limits.worker_memory_mb == 1536 and limits.parse_timeout_s == 30
    assert limits.max_sheet_cells == 5_000_000 and limits.max_unzipped_mb == 300
    assert limits.max_compression_ratio == 200 and limits.max_zip_entries == 4000


def test_limits_come_from_the_environment_and_arguments_win():
    env = {"GRANTSTATS_MAX_FILE_MB": "80", "GRANTSTATS_WORKER_MEMORY_MB": "1024",
           "GRANTSTATS_PARSE_TIMEOUT_S": " 12.5 "}
    limits = Limits.from_env(env)
    assert (limits.max_file_mb, limits.worker_memory_mb, limits.parse_timeout_s) == (80.0, 1024, 12.5)
    assert isinstance(limits.worker_memory_mb, int)
    assert Limits.from_env(env, max_file_mb=5).max_file_mb == 5
    assert Limits.from_env(env, max_file_mb=None).max_file_mb == 80  # an unset CLI flag leaves the variable


@pytest.mark.parametrize("raw", ["lots", "-1", "0"])
def test_a_bad_limit_in_the_environment_is_named(raw):
    with pytest.raises(ValueError, match="GRANTSTATS_MAX_FILE_MB"):
        Limits.from_env({"GRANTSTATS_MAX_FILE_MB": raw})


def test_openpyxl_parses_through_defusedxml_and_start_up_stops_if_not():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    script = "from grantstats.safety import ensure_defused_xml; ensure_defused_xml()"
    ok = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    off = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "OPENPYXL_DEFUSEDXML": "False"})
    assert off.returncode != 0 and "defusedxml" in off.stderr


def test_the_upload_limit_matches_the_file_limit():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Limits().max_file_mb


# ----------------------------------------------------------------------------------------------------------
# The real kind, by content


def test_kinds_by_content_not_name(tmp_path):
    from tests.test_hostile_files import compound_file, ods, ods_cell

    assert check_file(write(tmp_path / "a.xlsx", workbook_bytes())) == "xlsx"
    assert check_file(write(tmp_path / "a.xlsm", workbook_bytes())) == "xlsx"
    assert check_file(write(tmp_path / "really-a-workbook.csv", workbook_bytes())) == "xlsx"
    assert check_file(ods(tmp_path / "a.ods", f"<table:table-row>{ods_cell('Регион')}</table:table-row>")) == "ods"
    assert check_file(compound_file(tmp_path / "a.xls", {"Workbook": b"\x09\x08" + bytes(30)})) == "xls"
    assert check_file(write(tmp_path / "a.csv", "Регион;Сумма\nАлматы;1\n".encode())) == "csv"
    assert check_file(write(tmp_path / "a.txt", "Регион\tСумма\r\n".encode("utf-16"))) == "csv"


def test_a_workbook_under_another_suffix_is_read_as_what_it_is(tmp_path):
    path = write(tmp_path / "отчет.xls", workbook_bytes())  # an xlsx saved with an .xls name
    layout, reports = parse_file(None, path, Limits())
    assert layout == "registry" and [r.grantee for r in reports] == ["ОО «Алға»"]
    broken = write(tmp_path / "пусто.csv", workbook_bytes([["a", "b"]]))
    message = str(parse_file(None, broken, Limits()))
    assert message.startswith("пусто.csv: ") and "пусто.xlsx" not in message


@pytest.mark.parametrize("name, data, words", [
    ("photo.xls", b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"),
    ("export.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page (HTML)"),
    ("export2.xls", "\ufeff<!DOCTYPE html><html></html>".encode(), "web page (HTML)"),
    ("old.xml", b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
     "Excel 2003 XML"),
    ("archive.xlsx", b"\x1f\x8b\x08\x00" + bytes(50), "a gzip archive"),
    ("empty.csv", b"", "empty (0 bytes)"),
    ("blob.csv", bytes(range(256)) * 4, "binary data"),
])
def test_what_is_not_a_spreadsheet_is_named(tmp_path, name, data, words):
    assert words in refusal(write(tmp_path / name, data))


def test_office_files_that_are_not_reports_are_named(tmp_path):
    from tests.test_hostile_files import compound_file

    docx = zip_of(tmp_path / "letter.xlsx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
    assert check_file(docx) == "docx"  # a Word document under a workbook's name: read as what it is
    doc = compound_file(tmp_path / "letter.xls", {"WordDocument": b"x" * 10})
    assert "a Word 97–2003 document (.doc) is not read; open it in Word and save it as a Word document (.docx)" in (
        refusal(doc))
    odt = zip_of(tmp_path / "letter.ods", {"mimetype": "application/vnd.oasis.opendocument.text"}, zipfile.ZIP_STORED)
    assert "OpenDocument text" in refusal(odt)
    xlsb = zip_of(tmp_path / "binary.xlsx", {"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\0"})
    assert check_file(xlsb) == "xlsb"  # Excel's binary workbook is read (python-calamine), as its bytes say
    other = zip_of(tmp_path / "photos.xlsx", {"a.jpg": b"\xff\xd8\xff"})
    assert "zip archive of other files" in refusal(other)


# ----------------------------------------------------------------------------------------------------------
# Zip limits


def test_the_size_of_one_file_is_limited(tmp_path):
    path = write(tmp_path / "big.csv", ("Регион;Сумма\n" + "Алматы;1\n" * 300_000).encode())
    assert "over the 2 MB limit for one file (GRANTSTATS_MAX_FILE_MB)" in refusal(path, Limits(max_file_mb=2))
    assert check_file(path, Limits(max_file_mb=5)) == "csv"


def test_too_many_parts_too_much_unpacked_and_too_high_a_ratio_are_refused(tmp_path):
    many = zip_of(tmp_path / "many.xlsx", {f"xl/media/{i}.png": b"x" for i in range(60)} | {"xl/workbook.xml": ""})
    assert "61 parts, over the 50 limit" in refusal(many, Limits(max_zip_entries=50))
    spaces = b"<worksheet>" + b" " * (3 << 20) + b"</worksheet>"  # 3 MB of blanks: ratio near 1000:1
    dense = zip_of(tmp_path / "dense.xlsx", {"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": spaces})
    assert "compressed" in refusal(dense) and "to 1" in refusal(dense)
    text = b"<sst>" + os.urandom(1 << 20).hex().encode() + b"</sst>"  # 2 MB that barely compresses
    wide = zip_of(tmp_path / "wide.xlsx", {"xl/workbook.xml": "<workbook/>", "xl/sharedStrings.xml": text})
    assert "unpacks to 2 MB, over the 1 MB limit" in refusal(wide, Limits(max_unzipped_mb=1))
    assert check_file(wide) == "xlsx"


def test_a_workbook_with_a_sane_dimension_passes_and_whole_rows_or_columns_do_not(tmp_path):
    from tests.test_hostile_files import sheet_xml, write_xlsx

    assert check_file(write_xlsx(tmp_path / "ok.xlsx", sheet_xml([["a"]], dimension="A1:Z1000"))) == "xlsx"
    assert check_file(write_xlsx(tmp_path / "one.xlsx", sheet_xml([["a"]], dimension="A1"))) == "xlsx"
    assert "(A:XFD)" in refusal(write_xlsx(tmp_path / "cols.xlsx", sheet_xml([["a"]], dimension="A:XFD")))
    assert "(1:1048576)" in refusal(write_xlsx(tmp_path / "rows.xlsx", sheet_xml([["a"]], dimension="1:1048576")))
    limits = Limits(max_sheet_cells=1000)
    assert "26,000 cells (A1:Z1000), over the 1,000 limit" in refusal(tmp_path / "ok.xlsx", limits)


def test_ods_sizes_count_repeated_content_but_not_trailing_blank_repeats(tmp_path):
    from tests.test_hostile_files import ods, ods_cell

    libreoffice = ods(tmp_path / "lo.ods", f'<table:table-column table:number-columns-repeated="1024"/>'
                      f'<table:table-row>{ods_cell("Регион")}<table:table-cell table:number-columns-repeated="1023"/>'
                      f'</table:table-row><table:table-row table:number-rows-repeated="1048575">'
                      f'<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    assert check_file(libreoffice) == "ods"  # how LibreOffice saves every sheet: blank repeats to the edge
    filled = ods(tmp_path / "filled.ods", '<table:table-row table:number-rows-repeated="5000">'
                 '<table:table-cell table:number-columns-repeated="2000" office:value-type="float" office:value="1"/>'
                 '</table:table-row>')
    assert "10,000,000 cells" in refusal(filled)
    locked = ods(tmp_path / "locked.ods", ods_cell("x"), manifest_extra="<manifest:encryption-data/>")
    assert "password-protected" in refusal(locked)


def test_a_truncated_or_damaged_zip_is_refused_as_such(tmp_path):
    whole = workbook_bytes()
    assert "damaged or incomplete" in refusal(write(tmp_path / "cut.xlsx", whole[:-30]))
    damaged = bytearray(whole)
    start = damaged.index(b"xl/worksheets/sheet1.xml") + 40  # inside the first part's compressed data
    damaged[start:start + 40] = bytes(40)
    result = parse_file(None, write(tmp_path / "damaged.xlsx", bytes(damaged)), Limits())
    assert isinstance(result, ReadError) and str(result).startswith("damaged.xlsx: ")


def test_check_reads_only_the_directory_and_a_few_kilobytes(tmp_path):
    path = write(tmp_path / "r.xlsx", workbook_bytes([HEADER] + [ROW] * 50))
    check_file(path)
    per_file = min(timeit.Timer(lambda: check_file(path), timer=time.process_time).repeat(repeat=5, number=50)) / 50
    assert per_file < 0.003, f"{per_file * 1000:.2f} ms"  # measured ≈0.25 ms


# ----------------------------------------------------------------------------------------------------------
# CSV text: every encoding Excel and 1C write, and nothing garbled


CSV_TEXT = "Грантополучатель;Регион;Сумма гранта\r\nОО «Заря»;г. Алматы;4 000 000\r\n"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", CSV_TEXT.encode("utf-8")),
    ("utf-8 with BOM", CSV_TEXT.encode("utf-8-sig")),
    ("cp1251", CSV_TEXT.encode("cp1251")),
    ("Excel «Unicode text»: UTF-16LE with BOM, tabs", b"\xff\xfe" + CSV_TEXT.replace(";", "\t").encode("utf-16-le")),
    ("UTF-16BE with BOM", b"\xfe\xff" + CSV_TEXT.encode("utf-16-be")),
    ("UTF-16LE without BOM", CSV_TEXT.encode("utf-16-le")),
])
def test_csv_in_each_encoding_reads_to_the_same_table(tmp_path, encoding, data):
    path = write(tmp_path / "registry.csv", data)
    assert check_file(path) == "csv"
    [grid] = load_grids(path)
    assert grid.rows == [["Грантополучатель", "Регион", "Сумма гранта"], ["ОО «Заря»", "г. Алматы", "4 000 000"]]


def test_kazakh_in_kz1048_reads_as_kazakh():
    text = "Грантополучатель;Өңір\r\nҚоғамдық бірлестік «Әділет»;Ұлытау облысы\r\n"
    assert decode_text(text.encode("kz1048"), "kz.csv") == text


@pytest.mark.parametrize("label, data, words", [
    ("replacement characters", CSV_TEXT.replace("Заря", "За\ufffd\ufffdя").encode(), "replacement characters"),
    ("UTF-8 read as cp1251 and saved", CSV_TEXT.encode("utf-8").decode("cp1251", "replace").encode(), None),
    ("UTF-8 read as Latin-1 and saved", CSV_TEXT.encode("utf-8").decode("latin-1").encode(), None),
    ("cp866 (DOS)", CSV_TEXT.replace("«", "\"").replace("»", "\"").encode("cp866"), "another code page"),
    ("KOI8-R", (CSV_TEXT.replace("«", "\"").replace("»", "\"") * 3).encode("koi8-r"), "KOI8-R"),
    ("invalid UTF-8 after a BOM", b"\xef\xbb\xbf" + CSV_TEXT.encode("cp1251"), "not valid UTF-8"),
    ("UTF-16 cut in the middle of a letter", b"\xff\xfe" + CSV_TEXT.encode("utf-16-le")[:-1], "cut short"),
    ("binary", os.urandom(4000).replace(b"\0", b"\1"), None),
])
def test_text_that_decodes_to_nonsense_is_refused_not_stored_garbled(label, data, words):
    with pytest.raises(ReadError) as refused:
        decode_text(data, "garbled.csv")
    message = str(refused.value)
    assert message.startswith("garbled.csv: ") and "\n" not in message, label
    if words:
        assert words in message, (label, message)


def test_a_stray_control_character_in_real_text_is_kept():
    text = CSV_TEXT + "ОФ «Бета»;ЗКО;1\x07\r\n"
    assert decode_text(text.encode(), "x.csv") == text


# ----------------------------------------------------------------------------------------------------------
# The pool (worker functions must live at module level so workers can import them)


def name_of(path):
    return "test", Path(path).name


def crash_on_boom(path):
    if "boom" in Path(path).name:
        os.abort()
    return name_of(path)


def hog_on_boom(path):
    if "boom" in Path(path).name:
        return len(bytearray(4 << 30))
    return name_of(path)


def sleep_on_boom(path):
    if "boom" in Path(path).name:
        time.sleep(60)
    return name_of(path)


def bug_on_boom(path):
    if "boom" in Path(path).name:
        raise KeyError("a reader's bug")
    return name_of(path)


def worker_facts(path):
    return "facts", (resource.getrlimit(resource.RLIMIT_AS)[0], os.nice(0), os.getpid())


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pool")
    return [write(folder / f"f{i:03d}.csv", f"Регион;Сумма\nАлматы;{i}\n".encode()) for i in range(40)]


def test_in_process_mode_reads_in_order(csv_files):
    with ParsePool(workers=0, fn=name_of) as pool:
        assert [o for _, o in pool.parse_many(csv_files)] == [("test", p.name) for p in csv_files]


def test_workers_read_in_input_order_in_chunks_and_are_reused(csv_files):
    with ParsePool(fn=worker_facts, chunk_size=5) as pool:
        outcomes = list(pool.parse_many(csv_files))
        assert [p for p, _ in outcomes] == csv_files
        pids = {o[1][2] for _, o in outcomes}
        assert 1 <= len(pids) <= 2 and os.getpid() not in pids  # two workers by default, no process per file
        address_space, nice, _ = outcomes[0][1][1]
        assert 1536 << 20 < address_space < (1536 + 1024) << 20  # the cap: what it holds at start + 1.5 GB
        assert nice >= 10
        assert pool.restarts == 0


@pytest.mark.parametrize("fn, words", [
    (crash_on_boom, "within the memory/time limits (it may be damaged or hostile)"),
    (hog_on_boom, "within the memory limit of 512 MB"),
    (sleep_on_boom, "within the time limit of 1 s"),
    (bug_on_boom, "the reader failed on this file (KeyError: \"a reader's bug\")"),
])
def test_a_file_that_breaks_a_worker_is_refused_alone(tmp_path, csv_files, fn, words):
    boom = write(tmp_path / "boom.csv", b"a;b\n1;2\n")
    paths = [*csv_files[:7], boom, *csv_files[7:12]]
    started = time.perf_counter()
    with ParsePool(Limits(worker_memory_mb=512, parse_timeout_s=1), fn=fn, chunk_size=4) as pool:
        outcomes = list(pool.parse_many(paths))
    assert time.perf_counter() - started < 20
    assert [p for p, _ in outcomes] == paths
    refused = outcomes[7][1]
    assert isinstance(refused, ReadError) and str(refused).startswith("boom.csv: ")
    assert words in str(refused)
    assert [o for i, (_, o) in enumerate(outcomes) if i != 7] == [("test", p.name) for p in paths if p != boom]


def test_parse_one_raises_the_refusal(tmp_path):
    with ParsePool(workers=1) as pool:
        with pytest.raises(ReadError, match=r"^empty\.xlsx: the file is empty"):
            pool.parse_one(write(tmp_path / "empty.xlsx", b""))
        layout, reports = pool.parse_one(write(tmp_path / "r.xlsx", workbook_bytes()))
        assert layout == "registry" and reports[0].grantee == "ОО «Алға»"


def test_a_reading_function_workers_cannot_import_is_refused_at_once():
    with pytest.raises(TypeError, match="module-level function"):
        ParsePool(fn=lambda path: path)
