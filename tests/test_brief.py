"""The brief for the minister: `brief --out` writes a PDF of at most two pages whose text holds the figures the
overview shows for the same filters, in ru, kk and en; rendered to PNG (pdftoppm) to be looked at."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grantstats.cli import main
from grantstats.i18n import t
from tests.test_pages import APP

TOOLS = ("pdftotext", "pdfinfo", "pdftoppm", "pdffonts")
pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in TOOLS) or not (shutil.which("chromium") or shutil.which("google-chrome")),
    reason="the brief needs chromium, and its test poppler-utils (CI installs both)")


def pdf_text(pdf: Path) -> str:
    """The PDF's text with every run of white space (no-break spaces too) as one space."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def overview_cards(db: Path, monkeypatch, **params: str) -> dict[str, str]:
    """The overview's cards (label: value) and, under them, the totals of the selected years (text: text)."""
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    totals = {c.value: c.value for c in at.caption if re.match(r"^(За )?\d{4}–\d{4}( жылдары)?: ", c.value)}
    return {m.label: m.value for m in at.metric} | totals


@pytest.fixture()
def handmade_copy(handmade_db, tmp_path) -> Path:
    """A copy of the hand-made database: the pages' tests in this process hold the original open for writing."""
    copy = tmp_path / "handmade-copy.duckdb"
    shutil.copy(handmade_db, copy)
    return copy


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.mark.parametrize("lang, filters", [("ru", {}), ("en", {"region": "KZ-79", "year_from": "2023"}),
                                           ("kk", {"direction": "4"})])
def test_the_brief_holds_the_overviews_figures_on_at_most_two_pages(handmade_db, monkeypatch, tmp_path, lang, filters):
    copy = tmp_path / "copy.duckdb"  # the dashboard holds its database open for writing; the CLI reads a copy
    shutil.copy(handmade_db, copy)
    cards = overview_cards(handmade_db, monkeypatch, lang=lang, **filters)
    out = tmp_path / f"brief-{lang}.pdf"
    args = ["brief", "--out", str(out), "--lang", lang, "--db", str(copy)]
    for key, value in filters.items():
        args += [f"--{key.replace('_', '-')}", value]
    assert main(args) == 0
    assert 1 <= pages(out) <= 2
    text = pdf_text(out)
    assert normal(t("brief_title", lang)) in text
    for label, value in cards.items():
        assert normal(label) in text, label
        assert normal(value) in text, (label, value)
    # rendered to PNG, one image a page, for a person to look at (build/brief/)
    shots = Path(__file__).resolve().parent.parent / "build" / "brief"
    shots.mkdir(parents=True, exist_ok=True)
    prefix = shots / f"brief-{lang}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(prefix)], check=True)
    images = sorted(shots.glob(f"brief-{lang}-*.png"))
    assert len(images) == pages(out) and all(i.stat().st_size > 10_000 for i in images)


def test_the_hand_made_figures_are_in_the_brief(handmade_copy, tmp_path):
    out = tmp_path / "brief.pdf"
    assert main(["brief", "--out", str(out), "--db", str(handmade_copy)]) == 0
    text = pdf_text(out)
    # 5 reports, 4 NGOs, 27 000 000 ₸; direct 740 (≈, one «около») of plan 750 = 98,7 %; 27 000 000 / 740 = 36 486 ₸
    # the cards: 2023 (C, D, E: 3 reports, 17 000 000 ₸, ≈ 470 people) against 2022, then 2022–2023's totals
    for figure in ("Отчеты, 2023", "Сумма грантов, 2023", "Прямые бенефициары, 2023", "17,0 млн ₸", "≈ 470",
                   "+50,0 %", "+70,0 %", "36 170 ₸", "2023 к 2022", "За 2022–2023: 5", "За 2022–2023: 27,0 млн ₸",
                   "За 2022–2023: ≈ 740", "За 2022–2023: 5 500", "За 2022–2023: ≈ 98,7 %", "За 2022–2023: 36 486 ₸"):
        assert figure in text, figure
    # the largest shortfalls: B (200 -> 150, 50) and C (100 -> 90, 10); no contracts list is loaded
    assert "ОФ «Болашак» 2022 200 150 50" in text and "ОО «Жастар» 2023 100 90 10" in text
    assert t("cp_no_contracts_title") in text


def test_kazakh_letters_are_set_in_an_embedded_font(handmade_copy, tmp_path):
    out = tmp_path / "brief-kk.pdf"
    assert main(["brief", "--out", str(out), "--lang", "kk", "--db", str(handmade_copy)]) == 0
    assert "Мемлекеттік әлеуметтік гранттар: анықтама" in pdf_text(out)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())


def test_the_sample_archive_brief_with_overdue_reports_fits_two_pages(sample_db, tmp_path, capsys):
    copy = tmp_path / "sample-copy.duckdb"
    shutil.copy(sample_db, copy)
    out = tmp_path / "sample.pdf"
    assert main(["brief", "--out", str(out), "--as-of", "2030-01-01", "--db", str(copy)]) == 0
    assert capsys.readouterr().out.startswith("wrote the brief of ")
    assert pages(out) <= 2
    text = pdf_text(out)
    assert t("brief_overdue_title") in text and "На 01.01.2030: договоров" in text


def test_without_chromium_the_brief_says_so_in_one_line(handmade_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("GRANTSTATS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert main(["brief", "--out", str(tmp_path / "x.pdf"), "--db", str(handmade_copy)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == ("error: the brief needs Chromium to typeset the PDF: install Debian's chromium "
                   "(apt-get install chromium) or name it in $GRANTSTATS_CHROMIUM")
    assert not (tmp_path / "x.pdf").exists()
    assert main(["brief", "--out", str(tmp_path / "x.docx"), "--db", str(handmade_copy)]) == 2
