"""The label table in Kazakh: every key has a kk text, with the ru text's placeholders, in Kazakh (not a copy of
the Russian); and the dashboard, opened in Kazakh, shows Kazakh titles, labels and catalog names."""

from __future__ import annotations

import string
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
        if page.path != "pages/upload.py":
            assert basis in [c.value for c in at.caption], (page.path, [c.value for c in at.caption])


def test_overview_in_kazakh_shows_kazakh_cards_and_the_language_switch(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, lang="kk")
    assert_clean(at)
    assert at.title[0].value == "Шолу"
    labels = [m.label for m in at.metric]
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
    assert "Тікелей бенефициарлар" in [m.label for m in at.metric]


def test_regions_page_in_kazakh_names_the_regions_in_kazakh(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, lang="kk")
    at.switch_page("pages/regions.py").run()
    assert_clean(at)
    assert at.title[0].value == "Өңірлер"
    table = at.dataframe[0].value
    assert "Өңір" in table.columns, list(table.columns)
    assert {"Шымкент қаласы", "Алматы қаласы", "Батыс Қазақстан облысы"} <= set(table["Өңір"]), list(table["Өңір"])


def test_the_quality_chart_in_kazakh_names_the_rules_in_kazakh(sample_db, monkeypatch):
    import json

    from grantstats import quality

    at = open_app(sample_db, monkeypatch, lang="kk")
    at.switch_page("pages/quality.py").run()
    assert_clean(at)
    spec = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec), ensure_ascii=False)
    missing = quality.RULES_BY_CODE["missing_field"]
    assert missing.title_kk == "Міндетті өріс көрсетілмеген" and missing.title_kk in spec
    assert not [r.title_ru for r in quality.RULES if r.title_ru in spec]  # the sample has findings of six rules


def test_rule_codes_are_named_in_each_language():
    from grantstats.quality import rule_titles

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
