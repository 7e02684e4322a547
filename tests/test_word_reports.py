"""Word reports (.docx) read directly: the example report built as a real Word document (tests/word_report.py)
comes out with every field as worked out by hand from the report's text, its places named after the document,
and no personal data stored; the Word file's own shapes (merged cells, nested tables, frames, text boxes,
tracked changes, headers) are read as their docstring says; hostile .docx files are refused in one line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from grantstats.cli import main
from grantstats.model import ReadError
from grantstats.readers import read_reports
from grantstats.numbers import parse_number
from grantstats.readers.word import load_word_grid
from grantstats.safety import Limits, check_file
from grantstats.worker import parse_file
from tests import word_report

ROOT = Path(__file__).resolve().parent.parent


def ingest_and_show(tmp_path: Path, capsys, *files: Path) -> tuple[str, list[dict]]:
    """`ingest` then `show --json` through the CLI (in this process): the ingest lines and the reports."""
    db = tmp_path / "grants.duckdb"
    code = main(["ingest", *map(str, files), "--db", str(db), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert main(["show", "--json", "--db", str(db)]) == 0
    return out, json.loads(capsys.readouterr().out)


def check_example(d: dict) -> None:
    """Every field of the example report, worked out by hand from tests/data/final-report-2023.txt."""
    assert d["grantee"] == "Общественное Объединение «Корган-М»"
    assert d["title"] == "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО"
    assert (d["period_start"], d["period_end"]) == ("2023-09-25", "2024-10-31")
    assert d["year"] == 2023  # no contract: the year the period starts
    assert (d["contract_no"], d["contract_date"], d["direction"]) == (None, None, None)
    assert d["regions"] == ["KZ-79", "KZ-27"] and d["region_shares"] == {"KZ-79": 0.5, "KZ-27": 0.5}
    assert d["amount_by_year"] == {"2023": 34_495_376, "2024": 36_045_560}
    assert d["grant_amount"] == 34_495_376 + 36_045_560
    ind = d["indicators"]
    assert {k: (v["plan"], v["fact"]) for k, v in ind.items()} == {
        "direct_beneficiaries": (50, 70), "indirect_beneficiaries": (140_000, 1_000_000), "staff": (3, 3),
        "specialists": (9, 9), "ngos_covered": (5, 5), "payroll": (2_160_000, 2_160_000),
        "taxes": (245_376, 245_376), "economy_contribution": (4_090_000, 4_090_000), "partners": (5, 5)}
    indirect = ind["indirect_beneficiaries"]
    assert (indirect["plan_text"], indirect["plan_qualifier"]) == ("140 тыс.", None)
    assert (indirect["fact_text"], indirect["fact_qualifier"]) == ("около 1 млн", "approx")
    assert ind["payroll"]["unit"] == "тенге" and ind["ngos_covered"]["unit"] == "организация"
    # 70 participants; percent of 70, halves up: 30 % -> 21, 70 % -> 49; 95 % -> 66.5 -> 67; 10 % -> 7;
    # 3 % -> 2.1 -> 2; 25 % -> 17.5 -> 18; 30 % -> 21
    assert d["participants_total"] == 70
    assert d["gender"] == {"male": 21, "female": 49}
    assert d["categories"] == {"youth": 67, "civil_servants": 7, "public_sector": 2, "elderly": 67}
    assert d["age"] == {"17-22": 18, "23-27": 21, "28-32": 21, "33-45": 7}
    assert set(d["derived_from_percent"]) == {"gender", "categories", "age"}
    acts = d["activities"]
    assert [a["activity"].split()[1] for a in acts] == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "3.3", "4.1",
                                                        "4.2", "4.3"]
    assert [a["task"].split()[1] for a in acts] == ["1.", "1.", "1.", "2.", "3.", "3.", "3.", "4.", "4.", "4."]
    assert acts[0]["activity"].endswith("(подготовка методической базы, консультативных мест)")
    assert (acts[0]["date_text"], acts[0]["place"]) == ("сентябрь-октябрь 2023 г", "г. Шымкент, улица Диваева 37/6")
    assert (acts[1]["plan_text"], acts[1]["fact_text"]) == ("1\n\n20", "1\n\n20")  # one value a line, as typed
    assert acts[6]["plan_text"] is None and acts[7]["fact_text"].endswith("Более 500 000")


def test_the_example_word_report_comes_out_with_every_field_right(word_reports, tmp_path, capsys):
    out, [d] = ingest_and_show(tmp_path, capsys, word_reports["example"])
    assert "loaded    example.docx: 1 report" in out
    check_example(d)
    assert d["source"]["layout"] == "word"
    # places as a person finds them in Word: table 3 (the indicators), row 3, columns D and E; the passport's
    # paragraphs by number (1: the title, 2: its second line, 3: empty, 4: «1. Полное наименование …»)
    indirect = d["indicators"]["indirect_beneficiaries"]
    assert (indirect["sheet"], indirect["plan_cell"], indirect["fact_cell"]) == ("T3", "D3", "E3")
    assert (d["source"]["sheet"], d["source"]["cell"]) == ("¶", "4")
    assert d["source"]["field_cells"]["grant_amount"] == "10"  # «- на 2023 год - …», the paragraph under the label
    approximate = next(f for f in d["findings"] if f["rule"] == "approximate_value")
    assert approximate["where"] == "example.docx, T3, E3"


def test_a_passport_in_a_two_column_table_reads_the_same(word_reports, tmp_path, capsys):
    _, [d] = ingest_and_show(tmp_path, capsys, word_reports["passport_table"])
    check_example(d)
    assert (d["source"]["sheet"], d["source"]["cell"]) == ("T1", "A1")  # the first label, table 1
    assert d["source"]["field_cells"]["grantee"] == "B1"


def test_participant_tables_in_people_are_read_as_people_not_derived(word_reports, tmp_path, capsys):
    _, [d] = ingest_and_show(tmp_path, capsys, word_reports["people"])
    assert d["gender"] == {"male": 21, "female": 49}
    assert d["categories"] == {"youth": 66, "civil_servants": 7, "public_sector": 2, "elderly": 66}
    assert d["age"] == {"17-22": 18, "23-27": 21, "28-32": 21, "33-45": 7, "46-58": 3}
    assert d["derived_from_percent"] == {}


def _every_text_in(db: Path) -> str:
    """Every text value of every table of the database, one after the other."""
    con = duckdb.connect(str(db), read_only=True)
    texts = []
    for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                     "WHERE data_type = 'VARCHAR'").fetchall():
        texts += [v for (v,) in con.execute(f'SELECT "{column}" FROM "{table}"').fetchall() if v]
    con.close()
    return "\n".join(texts)


PERSONAL = (word_report.HEAD, "Сейткалиева", *word_report.PARTNER_PEOPLE, *word_report.PARTNER_PHONES,
            "555 12 34", "555 98 76", "53-12-34", "234 56 78", "korgan-m@mail.kz", "@", "850101", "300123")


def test_no_personal_data_is_stored_from_word_or_pdf_reports(word_reports, pdf_reports, tmp_path):
    db = tmp_path / "g.duckdb"
    files = [word_reports["example"], word_reports["contacts"], pdf_reports["example"], pdf_reports["contacts"]]
    code = main(["ingest", *map(str, files), "--db", str(db), "--workers", "0"])
    assert code == 0
    stored = _every_text_in(db)
    assert "Корган-М" in stored and "Диваева 37/6" in stored  # the organisation and the places stay
    for personal in PERSONAL:
        assert personal not in stored, personal
    assert "БИН 120540012345" in stored  # the organisation's BIN may stay
    con = duckdb.connect(str(db), read_only=True)
    places = {p for (p,) in con.execute("SELECT place FROM activities").fetchall()}
    con.close()
    assert "г. Шымкент, улица Диваева 37/6; ***, ***; ИИН руководителя ***; БИН 120540012345" in places


# ----------------------------------------------------------------------------------------------------------
# The shapes of a Word file


def _docx_with_body(path: Path, body_xml: str, header_xml: str | None = None) -> Path:
    """A .docx written by hand around this body XML (w: namespace), optionally with a page header."""
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
          'wordprocessingShape" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                       'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                       '</Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body_xml}'
                             f'</w:body></w:document>',
    }
    if header_xml:
        parts["word/header1.xml"] = f'<?xml version="1.0"?><w:hdr {ns}>{header_xml}</w:hdr>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(inner: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{inner}</w:tc>"


def tbl(*rows: str) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"


def test_merged_cells_become_merged_ranges_with_the_text_in_the_first(tmp_path):
    body = tbl(tc(p("Индикаторы"), '<w:gridSpan w:val="2"/>') + tc(p("Эффект"), '<w:vMerge w:val="restart"/>'),
               tc(p("план")) + tc(p("факт")) + tc("<w:p/>", "<w:vMerge/>"),
               tc(p("1") + p("") + p("20")) + tc(p("1")) + tc(p("описание")))
    grid = load_word_grid(_docx_with_body(tmp_path / "merged.docx", body))
    assert grid.rows == [["Индикаторы", "", "Эффект"], ["план", "факт", ""], ["1\n\n20", "1", "описание"]]
    assert sorted(grid.merged) == [((0, 0), (0, 1)), ((0, 2), (1, 2))]
    assert [grid.where(c) for c in ("A3", "C1")] == [word_report_where("T1", "A3"), word_report_where("T1", "C1")]


def word_report_where(sheet: str, cell: str):
    from grantstats.model import Where

    return Where(sheet, cell)


def test_what_word_shows_is_read_and_what_it_hides_is_not(tmp_path):
    """Tracked deletions, field codes and a drawing's fallback copy are not text; insertions, content controls,
    tabs, a frame table of one cell, a nested table (its cell's lines, and a table of its own) and a text box are;
    the page header is not read."""
    text_box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
                + p("Текст в рамке") + '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>'
                '<v:textbox><w:txbxContent>' + p("Текст в рамке") + '</w:txbxContent></v:textbox></w:pict>'
                '</mc:Fallback></mc:AlternateContent></w:r>')
    body = (
        '<w:p><w:r><w:t>Грантополучатель:</w:t></w:r><w:r><w:tab/></w:r><w:ins><w:r><w:t>ОО «Нур»</w:t></w:r>'
        '</w:ins><w:del><w:r><w:delText>ОО «Старое имя»</w:delText></w:r></w:del></w:p>'
        '<w:sdt><w:sdtContent>' + p("Тема гранта: Чистый город") + '</w:sdtContent></w:sdt>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        + tbl(tc(p("Сумма гранта: 4 000 000") + p("Регион: г. Алматы")))
        + tbl(tc(p("Задача 1")) + tc(p("Мероприятие") + tbl(tc(p("а")) + tc(p("б")), tc(p("в")) + tc(p("г")))),
              tc(p("x")) + tc(p("y")))
        + f"<w:p>{text_box}</w:p>")
    path = _docx_with_body(tmp_path / "shapes.docx", body, header_xml=p("Телефон: +7 701 111 22 33"))
    grid = load_word_grid(path)
    assert grid.rows == [
        ["Грантополучатель:", "ОО «Нур»"],  # the tab splits label and value; the deletion is gone
        ["Тема гранта: Чистый город"],  # a content control's text
        ["7"],  # a field's result, not its code
        ["Сумма гранта: 4 000 000"], ["Регион: г. Алматы"],  # a one-cell frame: its paragraphs as the body's
        ["Задача 1", "Мероприятие\nа | б\nв | г"], ["x", "y"],  # a nested table: lines of its cell
        [],  # after a table
        ["а", "б"], ["в", "г"],  # and the nested table as a table of its own, after the one holding it
        [],  # after a table (and the empty paragraph holding the text box: empty rows count once)
        ["Текст в рамке"],  # the text box once (not its fallback copy), after the paragraph holding it
    ]
    assert [p.sheet for p in grid.places[:5]] == ["¶", "¶", "¶", "¶", "¶"] and grid.places[5].sheet == "T1"


def test_hidden_text_is_not_read_and_a_superscript_mark_is_no_digit_of_the_figure(tmp_path):
    """Text formatted hidden (Word neither shows nor prints it) is not read: «999» hidden before «245 376» made
    999 245; a footnote mark set as a superscript «1» after «2 160 000» made 2 160; «м2» with a superscript 2
    reads «м²»; a hidden toggle turned off is shown text."""
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t>999</w:t></w:r>'
    shown = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>77</w:t></w:r>'
    mark = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r>'
    body = (f'<w:p>{hidden}<w:r><w:t xml:space="preserve">245 376</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t xml:space="preserve">2 160 000</w:t></w:r>{mark}</w:p>'
            f'<w:p><w:r><w:t>100 м</w:t></w:r>{mark.replace(">1<", ">2<")}</w:p>'
            f'<w:p>{shown}</w:p>')
    grid = load_word_grid(_docx_with_body(tmp_path / "hidden.docx", body))
    assert grid.rows == [["245 376"], ["2 160 000¹"], ["100 м²"], ["77"]]
    assert [parse_number(row[0]).value for row in grid.rows] == [245376.0, 2160000.0, 100.0, 77.0]


def test_a_word_file_without_a_report_form_is_refused_in_one_line(tmp_path):
    path = _docx_with_body(tmp_path / "letter.docx", p("Уважаемые коллеги!") + p("Направляем вам письмо."))
    with pytest.raises(ReadError) as refused:
        read_reports(path)
    message = str(refused.value)
    assert message.startswith("letter.docx: no final-report form found in the Word document (no passport labels")
    assert "\n" not in message


def test_a_word_file_is_told_by_its_bytes_under_any_name(word_reports, tmp_path):
    renamed = tmp_path / "report.xlsx"
    renamed.write_bytes(word_reports["example"].read_bytes())
    assert check_file(renamed) == "docx"
    layout, [report] = parse_file(None, renamed, Limits())
    assert layout == "word" and report.grantee == "Общественное Объединение «Корган-М»"
    from tests.test_safety import workbook_bytes

    as_word = tmp_path / "book.docx"
    as_word.write_bytes(workbook_bytes())  # a registry workbook saved under a Word name
    assert check_file(as_word) == "xlsx"
    layout, reports = parse_file(None, as_word, Limits())
    assert layout == "registry" and [r.grantee for r in reports] == ["ОО «Алға»"]


def test_an_entity_bomb_in_a_word_file_is_refused_before_and_by_the_parser(tmp_path):
    laughs = ('<!DOCTYPE w:document [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + "]>")
    path = _docx_with_body(tmp_path / "laughs.docx", p("&lol9;"))
    data = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(data, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:document", laughs.encode() + b"<w:document", 1)
            target.writestr(info, content)
    path.write_bytes(data.getvalue())
    outcome = parse_file(None, path, Limits())
    assert isinstance(outcome, ReadError)
    assert str(outcome).startswith("laughs.docx: part 'word/document.xml' holds an XML document type declaration")
    with pytest.raises(ReadError, match="DTD or entities"):  # and the reader refuses it on its own too
        load_word_grid(path)


def test_a_zip_bomb_named_docx_is_refused_as_one(tmp_path):
    from tests.test_hostile_files import zip_bomb

    bomb = zip_bomb(tmp_path / "bomb.xlsx").rename(tmp_path / "bomb.docx")
    outcome = parse_file(None, bomb, Limits())
    assert isinstance(outcome, ReadError) and "zip bomb" in str(outcome) and str(outcome).startswith("bomb.docx: ")


def test_word_documents_that_are_not_read_say_what_to_do(tmp_path):
    from tests.test_hostile_files import compound_file

    old = compound_file(tmp_path / "report.doc", {"WordDocument": b"x" * 10})
    assert str(parse_file(None, old, Limits())) == (
        "report.doc: a Word 97–2003 document (.doc) is not read; open it in Word and save it as a Word document "
        "(.docx)")
    locked = compound_file(tmp_path / "locked.docx", {"EncryptionInfo": b"x", "EncryptedPackage": b"y"})
    assert "password-protected" in str(parse_file(None, locked, Limits()))


def test_word_and_pdf_reports_load_through_the_real_command_line(word_reports, pdf_reports, tmp_path):
    db = tmp_path / "cli.duckdb"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grantstats", *args, "--db", str(db)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    loaded = run("ingest", str(word_reports["people"]), str(pdf_reports["example"]))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert loaded.stdout.splitlines() == [
        "loaded    people.docx: 1 report",
        "loaded    example.pdf: 1 report; replaced 1: R8f21462b5e (from people.docx)",
        f"2 files: 2 loaded (2 reports), 0 unchanged, 0 refused; database {db}"]
    shown = run("show")
    assert "Общественное Объединение «Корган-М»" in shown.stdout
    assert "Источник:    example.pdf, p1, L3" in shown.stdout  # a document's place, not a sheet
    checked = run("check", "--format", "json")
    assert checked.returncode == 0 and "Traceback" not in checked.stderr
    rules = {f["rule"] for f in json.loads(checked.stdout)}
    assert {"derived_from_percent", "duplicate_report"} <= rules


def test_word_and_pdf_reports_load_through_the_upload_page(word_reports, pdf_reports, tmp_path, monkeypatch):
    from grantstats import store
    from tests.test_upload import open_upload_page, page_text

    db = tmp_path / "g.duckdb"
    at = open_upload_page(db, tmp_path, monkeypatch)
    assert {".docx", ".pdf"} <= set(at.file_uploader[0].allowed_type)
    scan = word_report.scanned_pdf(tmp_path / "скан.pdf")
    at.file_uploader[0].set_value([
        ("people.docx", word_reports["people"].read_bytes(), "application/octet-stream"),
        ("example.pdf", pdf_reports["example"].read_bytes(), "application/pdf"),
        ("скан.pdf", scan.read_bytes(), "application/pdf")])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at)
    assert "отчетов к загрузке: 2" in text and "не приняты: 1" in text
    assert "Файл «скан.pdf» не принят: у PDF нет текстового слоя (скан или изображения страниц)" in text
    plan = at.dataframe[0].value
    assert list(plan["Грантополучатель"]) == ["Общественное Объединение «Корган-М»"] * 2
    at.button(key="upload_load").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "«example.pdf»: загружено отчетов — 1" in page_text(at)
    con = store.connect(db)
    assert con.execute("SELECT layout, count(*) FROM files GROUP BY layout ORDER BY layout").fetchall() == [
        ("pdf", 1), ("word", 1)]
    assert con.execute("SELECT sum(people) FROM participants JOIN reports USING (report_id) "
                       "WHERE dimension = 'gender'").fetchone()[0] == 70  # one report left: the PDF replaced it
    con.close()


def test_a_folder_gives_its_word_and_pdf_files_to_ingest(tmp_path):
    from grantstats.ingest import collect_paths

    for name in ("a.docx", "b.PDF", "c.xlsx", "d.png", "~$a.docx", "notes.odt"):
        (tmp_path / name).write_bytes(b"x")
    found, lines = collect_paths([tmp_path])
    assert [p.name for p in found] == ["a.docx", "b.PDF", "c.xlsx"]
    assert sorted((r.name, r.status) for r in lines) == [("d.png", "skipped"), ("notes.odt", "skipped"),
                                                         ("~$a.docx", "skipped")]
