"""The label table in Kazakh: every key has a kk text, with the ru text's placeholders, in Kazakh (not a copy of
the Russian); and the dashboard, opened in Kazakh, shows Kazakh titles, labels and catalog names."""

from __future__ import annotations

import string
import urllib.parse
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grantstats import catalog, formatting as fmt, i18n, tilemap
from ui import state
from grantstats.i18n import t

APP = str(Path(__file__).resolve().parent.parent / "app.py")
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# ------------------------------------------------------------------------------------------ the table

def test_kazakh_is_a_dashboard_language_with_a_name():
    assert "kk" in i18n.LANGS and i18n.DEFAULT_LANG == i18n.LANGS[0] == "ru"
    assert i18n.LANG_NAMES["kk"] == "Қазақша"
    assert set(i18n.LANGS) <= set(i18n.LANG_NAMES)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_key_has_a_text_in_every_language(lang):
    assert i18n.missing_keys(lang) == []


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGS if lang != "ru"])
def test_every_text_keeps_the_russian_placeholders(lang):
    differ = {key: (placeholders(texts["ru"]), placeholders(texts[lang]))
              for key, texts in i18n.TEXTS.items() if placeholders(texts["ru"]) != placeholders(texts[lang])}
    assert differ == {}


def test_kazakh_texts_are_kazakh_not_a_copy_of_the_russian():
    kk = {key: texts["kk"] for key, texts in i18n.TEXTS.items()}
    same = [key for key in kk if kk[key] == i18n.TEXTS[key]["ru"]]
    assert len(same) <= 0.2 * len(kk), same  # only names such as CSV, Excel, ₸, Файл, Индикатор, Паспорт
    with_letters = [key for key, text in kk.items() if KAZAKH_LETTERS & set(text)]
    assert len(with_letters) >= 0.5 * len(kk)
    # The ministries' terms, not Russian words left in: ҮЕҰ (not НПО), есеп (not отчет), өңір (not регион).
    russian_left = {key: text for key, text in kk.items()
                    if any(word in text.lower() for word in ("нпо", "отчет", "отчёт", "регион", "направлени"))}
    assert russian_left == {}


def test_kazakh_texts_fill_their_placeholders():
    assert t("basis", "kk", reports="5", ngos="4") == "5 есеп негізінде (4 ҮЕҰ)"
    assert t("ngo_reports", "kk", ngo="Жастар") == "«Жастар» ҮЕҰ есептері"
    for key, texts in i18n.TEXTS.items():  # every text formats with its own placeholders
        t(key, "kk", **{name: "1" for name in placeholders(texts["ru"])})


def test_a_text_missing_in_a_language_falls_back_to_russian(monkeypatch):
    monkeypatch.setitem(i18n.TEXTS, "only_russian", {"ru": "Только {what}", "en": "Only {what}"})
    assert t("only_russian", "kk", what="по-русски") == "Только по-русски"
    assert "only_russian" in i18n.missing_keys("kk")
    assert t("basis", "xx", reports="5", ngos="4") == t("basis", "ru", reports="5", ngos="4")


def test_the_catalog_names_regions_ages_and_genders_in_kazakh():
    assert catalog.name("region", "KZ-75", "kk") == "Алматы қаласы"
    assert catalog.name("region", "KZ-27", "kk") == "Батыс Қазақстан облысы"
    assert catalog.name("gender", "female", "kk") == "Әйелдер"
    assert catalog.name("region", None, "kk") == "көрсетілмеген"


def test_every_map_tile_has_a_kazakh_short_label():
    assert [code for code in tilemap.TILES if not tilemap.SHORT[code].get("kk")] == []
    assert tilemap.short_name("KZ-27", "kk") == "БҚО" and tilemap.short_name("KZ-35", "kk") == "Қарағанды"


# ------------------------------------------------------------------------------- the dashboard in kk

def open_app(db: Path, monkeypatch, **params: str) -> AppTest:
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_every_page_renders_in_kazakh_with_a_kazakh_title(sample_db, monkeypatch):
    import duckdb

    from grantstats import metrics

    with duckdb.connect(str(sample_db)) as con:
        head = metrics.headline(con, metrics.Filter()).iloc[0]
    basis = t("basis", "kk", reports=fmt.count(head["reports"]), ngos=fmt.count(head["ngos"]))
    at = open_app(sample_db, monkeypatch, lang="kk")
    for page in state.PAGES:
        if page is not state.PAGES[0]:
            at.switch_page(page.path).run()
        assert_clean(at)
        assert at.title[0].value == t(page.key, "kk"), page.path
        assert at.title[0].value != t(page.key, "ru"), page.path
        if page.path not in ("pages/upload.py", "pages/ngo.py"):  # a profile states its own NGO's basis
            assert basis in [c.value for c in at.caption], (page.path, [c.value for c in at.caption])


def test_overview_in_kazakh_shows_kazakh_cards_and_the_language_switch(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, lang="kk")
    assert_clean(at)
    assert at.title[0].value == "Шолу"
    labels = [m.label.rsplit(", ", 1)[0] for m in at.metric]  # «Тікелей бенефициарлар, 2025»
    assert "Тікелей бенефициарлар" in labels and "Гранттар сомасы" in labels, labels
    switch = at.segmented_control(key="lang")
    assert switch.value == "kk"
    assert list(switch.options) == ["Русский", "Қазақша", "English"]
    assert at.query_params["lang"] in ("kk", ["kk"])


def test_the_language_switch_turns_the_page_kazakh(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch)
    assert at.title[0].value == "Обзор"
    at.segmented_control(key="lang").set_value("kk").run()
    assert_clean(at)
    assert at.title[0].value == "Шолу"
    assert "Тікелей бенефициарлар" in [m.label.rsplit(", ", 1)[0] for m in at.metric]


def test_regions_page_in_kazakh_names_the_regions_in_kazakh(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, lang="kk")
    at.switch_page("pages/regions.py").run()
    assert_clean(at)
    assert at.title[0].value == "Өңірлер"
    table = at.dataframe[0].value
    assert "Өңір" in table.columns, list(table.columns)
    names = {urllib.parse.unquote_plus(link.rsplit("name=", 1)[1]) for link in table["Өңір"]}  # names that link
    assert {"Шымкент қаласы", "Алматы қаласы", "Батыс Қазақстан облысы"} <= names, names


def test_the_quality_chart_in_kazakh_names_the_rules_in_kazakh(sample_db, monkeypatch):
    import json

    from grantstats.findings import rules

    at = open_app(sample_db, monkeypatch, lang="kk")
    at.switch_page("pages/quality.py").run()
    assert_clean(at)
    spec = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec), ensure_ascii=False)
    missing = rules.RULES_BY_CODE["missing_field"]
    assert missing.title_kk == "Міндетті өріс көрсетілмеген" and missing.title_kk in spec
    assert not [r.title_ru for r in rules.RULES if r.title_ru in spec]  # the sample has findings of six rules


def test_rule_codes_are_named_in_each_language():
    from grantstats.findings.rules import rule_titles

    codes = ["missing_field", "sum_mismatch", "no_such_rule"]
    assert rule_titles(codes, "ru") == ["Не указано обязательное поле", "Не сходятся суммы", "no_such_rule"]
    assert rule_titles(codes, "en") == ["Missing field", "Parts do not add up", "no_such_rule"]
    assert rule_titles(codes, "kk") == ["Міндетті өріс көрсетілмеген", "Сомалар сәйкес келмейді", "no_such_rule"]


def test_the_findings_table_names_rules_not_codes(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, lang="kk")
    at.switch_page("pages/quality.py").run()
    assert_clean(at)
    table = at.dataframe[-1].value
    rules = set(table[t("col_rule", "kk")])
    assert "Міндетті өріс көрсетілмеген" in rules and "missing_field" not in rules, rules


# ------------------------------------------------------------------------------------- refusal reasons

def test_every_refusal_reason_has_a_line_in_every_language_with_the_english_placeholders():
    from grantstats.refusals import CONTENTS, REFUSALS

    for reason, texts in REFUSALS.items():
        assert set(texts) == {"ru", "kk", "en"}, reason
        for lang in ("ru", "kk"):
            assert placeholders(texts[lang]) <= placeholders(texts["en"]) | {"expected"}, (reason, lang)
            assert texts[lang] != texts["en"], reason
    assert all(set(names) == {"ru", "kk", "en"} for names in CONTENTS.values())


def test_a_refusal_is_the_english_line_and_says_the_same_in_kazakh_and_russian():
    from grantstats.refusals import refusal, refusal_text

    error = refusal("too_large", "svod.xlsx", size_mb=51.25, limit_mb=50.0)
    assert str(error) == "svod.xlsx: the file is 51.2 MB, over the 50 MB limit for one file (GRANTSTATS_MAX_FILE_MB)"
    assert refusal_text(error, lang="ru").startswith("файл весит 51,2 МБ — больше предела 50 МБ")
    assert refusal_text(error, lang="kk").startswith("файлдың көлемі 51,2 МБ")
    big = refusal("zip_parts", "x.xlsx", count=12345, limit=10000)
    assert "12\u00a0345" in refusal_text(big, lang="ru") and "12,345" in str(big)
    png = refusal("not_report", "photo.xlsx", what="png")
    assert refusal_text(png, lang="kk").startswith("бұл есеп файлы емес: ішінде PNG суреті;")
    assert refusal_text(None, lang="kk", fallback="as it was") == "as it was"


def test_a_refusal_crosses_from_a_parsing_worker_with_its_reason(tmp_path):
    import pickle

    from grantstats.refusals import refusal

    error = pickle.loads(pickle.dumps(refusal("pdf_pages", "big.pdf", pages=400, limit=300)))
    assert (error.reason, error.params, str(error)) == (
        "pdf_pages", {"pages": 400, "limit": 300},
        "big.pdf: the PDF has 400 pages, over the 300 page limit (GRANTSTATS_MAX_PDF_PAGES)")


def test_no_reader_or_check_raises_a_refusal_without_a_reason():
    import re

    root = Path(__file__).resolve().parent.parent / "grantstats"
    bare = [f"{path.name}:{n}" for path in root.rglob("*.py") if path.name not in ("refusals.py", "model.py")
            for n, line in enumerate(path.read_text().splitlines(), 1) if re.search(r"\bReadError\(", line)]
    assert bare == []  # every one is made by refusals.refusal, with a reason that has ru/kk/en text
