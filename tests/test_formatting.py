"""The dashboard's formatters, the translation table and the tile map."""

from __future__ import annotations

import math

import pytest

from grantstats import catalog, formatting as fmt, i18n, tilemap

S = fmt.NBSP  # the thousands separator and the space before units


def test_numbers_are_grouped_by_thousands_with_a_space():
    assert fmt.number(1234567) == f"1{S}234{S}567"
    assert fmt.number(999) == "999"
    assert fmt.number(0) == "0"
    assert fmt.number(-4500) == f"-4{S}500"


def test_decimals_use_a_comma():
    assert fmt.number(2.5, 1) == "2,5"
    assert fmt.number(1234.567, 2) == f"1{S}234,57"


def test_english_groups_thousands_with_commas_and_uses_a_decimal_point():
    assert fmt.number(1234567.25, 2, lang="en") == "1,234,567.25"
    assert fmt.count(208_365, lang="en") == "208,365"
    assert fmt.share(0.963, lang="en") == f"96.3{S}%"
    assert fmt.value_with_qualifier(2.5, "approx", lang="en") == f"≈{S}2.50"
    assert fmt.number(-4500, lang="en") == "-4,500"


def test_dates_and_times_are_written_as_in_the_language():
    from datetime import date, datetime

    assert fmt.date_text("2022-03-01") == "01.03.2022"
    assert fmt.date_text(date(2022, 3, 1), "kk") == "01.03.2022"
    assert fmt.date_text("2022-03-01", "en") == f"1{S}Mar{S}2022"
    assert fmt.datetime_text("2026-12-06T12:14:51.993672") == "06.12.2026 12:14"
    assert fmt.datetime_text(datetime(2026, 12, 6, 9, 5), "en") == f"6{S}Dec{S}2026, 09:05"
    assert fmt.date_text(None) == "—" and fmt.date_text("весна 2022") == "весна 2022"


def test_missing_values_are_a_dash_but_zero_is_not():
    for missing in (None, float("nan"), math.nan):
        assert fmt.number(missing) == "—"
        assert fmt.share(missing) == "—"
        assert fmt.money(missing) == "—"
    assert fmt.count(0) == "0"


def test_shares_are_percent_with_one_decimal():
    assert fmt.share(0.875) == f"87,5{S}%"
    assert fmt.share(1.2) == f"120,0{S}%"
    assert fmt.share(0.98666) == f"98,7{S}%"
    assert fmt.share(0.5, approximate=True) == f"≈{S}50,0{S}%"


def test_money_is_short_in_millions_and_billions_with_the_tenge_sign():
    assert fmt.money(850_000) == f"850{S}000{S}₸"
    assert fmt.money(34_495_376) == f"34,5{S}млн{S}₸"
    assert fmt.money(1_250_000_000) == f"1,25{S}млрд{S}₸"
    assert fmt.money(34_495_376, "en") == f"34.5{S}mln{S}₸"
    assert fmt.money(9_950_000_000, "en") == f"9.95{S}bn{S}₸"
    assert fmt.money(9_950_000_000, "kk") == f"9,95{S}млрд{S}₸"
    assert fmt.money(4_000_000, short=False) == f"4{S}000{S}000{S}₸"


def test_approximate_figures_are_marked():
    assert fmt.count(1200, approximate=True) == f"≈{S}1{S}200"
    assert fmt.number(50, qualifier="at_least") == f"≥{S}50"
    assert fmt.number(500_000, qualifier="at_most") == f"≤{S}500{S}000"
    assert fmt.value_with_qualifier(1_000_000, "approx", "около 1 млн") == f"≈{S}1{S}000{S}000"
    assert fmt.value_with_qualifier(None, None, "нет данных") == "нет данных"
    assert fmt.value_with_qualifier(2.5, None) == "2,50"


def test_changes_against_the_previous_year():
    assert fmt.change(120, 100) == f"+20,0{S}%"
    assert fmt.change(90, 100) == f"-10,0{S}%"
    assert fmt.change(100, 100) == f"±0,0{S}%"
    assert fmt.change(100, 0) is None
    assert fmt.change(100, None) is None
    assert fmt.points_change(0.9, 0.85) == f"+5,0{S}п.п."
    assert fmt.points_change(0.8, 0.85, "en") == f"-5.0{S}pp"
    assert fmt.change(120, 100, lang="en") == f"+20.0{S}%"


def test_compact_counts_for_tiles():
    assert fmt.compact(9_999) == f"9{S}999"
    assert fmt.compact(12_345) == f"12,3{S}тыс."
    assert fmt.compact(2_500_000, "en") == f"2.5{S}mln"
    assert fmt.compact(12_345, "kk") == f"12,3{S}мың"


def test_every_label_has_russian_and_english():
    assert i18n.missing_keys("ru") == []
    assert i18n.missing_keys("en") == []


def test_translation_fills_placeholders_and_falls_back_to_russian():
    assert i18n.t("basis", "en", reports="5", ngos="4") == "Based on reports: 5 (NGOs: 4)"  # (1 report reads right too)
    assert i18n.t("basis", "xx", reports="5", ngos="4") == i18n.t("basis", "ru", reports="5", ngos="4")
    assert i18n.t("no_such_key", "ru") == "no_such_key"


def test_the_tile_map_places_every_region_once():
    regions = catalog.codes("region")
    assert set(tilemap.TILES) == set(regions)
    assert len(set(tilemap.TILES.values())) == len(tilemap.TILES), "two regions on one tile"
    # West to east and north to south, roughly: ЗКО west of Астана, Шымкент south of Караганда.
    assert tilemap.TILES["KZ-27"][0] < tilemap.TILES["KZ-71"][0] < tilemap.TILES["KZ-63"][0]
    assert tilemap.TILES["KZ-35"][1] < tilemap.TILES["KZ-79"][1]


def test_the_tile_map_colours_regions_by_value_and_greys_the_rest():
    fig = tilemap.tile_figure({"KZ-75": 10, "KZ-71": 5.0}, lang="en", value_text=lambda v: f"{v:g}")
    coloured = fig.data[1]
    col, row = tilemap.TILES["KZ-75"]
    assert coloured.z[row][col] == 10
    col, row = tilemap.TILES["KZ-10"]
    assert coloured.z[row][col] is None and fig.data[0].z[row][col] == 0
    labels = fig.data[2].text
    assert any(label.startswith("<b>Almaty</b>") and label.endswith("10") for label in labels)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_tile_has_a_short_name(lang):
    assert all(tilemap.short_name(code, lang) != code for code in tilemap.TILES)


def test_absent_is_none_nan_or_pandas_na_and_missing_is_also_any_non_number():
    import pandas as pd

    for absent in (None, float("nan"), pd.NA, pd.NaT):
        assert fmt.is_absent(absent) and fmt.is_missing(absent)
    for there in ("", "—", 0, 0.0, "текст"):
        assert not fmt.is_absent(there)
    assert fmt.is_missing("текст") and not fmt.is_missing(0)
