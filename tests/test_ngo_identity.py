"""Which reports are one NGO (the metrics cache's ngo_key): one organisation by its BIN when the reports give one,
else by legal form and normalised name, so «КФ «Достык Центр»» and «ОО «Достык Центр»» stay two unless a BIN
joins them. The BIN is the one the reader keeps (reports.bin; an older database without the column counts NGOs by
form and name)."""

from __future__ import annotations

import pytest

from grantstats import catalog, metrics, store
from grantstats.metrics import Filter, cache
from grantstats.model import Number, Report


def build(tmp_path, rows: list[tuple[str, str | None]], with_bin: bool = True):
    """A database of one report per (grantee, BIN) row, 1 000 000 ₸ and 10 direct beneficiaries each."""
    con = store.connect(tmp_path / "ngo.duckdb")
    reports = [Report(grantee=grantee, title=f"Проект {i}", contract_no=str(i), year=2023,
                      grant_amount=Number(1_000_000.0), bin=bin_) for i, (grantee, bin_) in enumerate(rows)]
    store.save_files(con, [store.ParsedFile("/n.xlsx", "n.xlsx", "sha-ngo", 1, "registry", reports)])
    if not with_bin:
        con.execute("ALTER TABLE reports DROP COLUMN bin")  # a database from before the reader kept BINs
    cache.clear_cache()
    return con


def ngos(con) -> dict[str, int]:
    df = metrics.totals(con, Filter(), by="ngo")
    return dict(zip(df["ngo"], df["reports"]))


def test_two_legal_forms_of_one_name_are_two_ngos_without_a_bin(tmp_path):
    con = build(tmp_path, [("КФ «Достык Центр»", None), ("ОО «Достык Центр»", None)])
    assert ngos(con) == {"corporate_foundation:достык центр": 1, "public_association:достык центр": 1}
    assert metrics.headline(con, Filter()).iloc[0]["ngos"] == 2


def test_a_bin_both_reports_give_joins_the_two_forms(tmp_path):
    con = build(tmp_path, [("КФ «Достык Центр»", "180 340 012 345"), ("ОО «Достык Центр»", "180340012345")])
    assert ngos(con) == {"bin:180340012345": 2}  # the BIN's spaces do not matter
    assert metrics.headline(con, Filter()).iloc[0]["ngos"] == 1


def test_a_report_without_a_bin_joins_the_one_bin_its_form_and_name_have(tmp_path):
    con = build(tmp_path, [("Общественное объединение «Достык Центр»", "180340012345"),
                           ("ОО «Достык Центр»", None), ("КФ «Достык Центр»", None)])
    assert ngos(con) == {"bin:180340012345": 2, "corporate_foundation:достык центр": 1}


def test_a_name_with_two_bins_stays_two_ngos_and_a_report_without_one_stays_apart(tmp_path):
    con = build(tmp_path, [("ОО «Жастар»", "111111111111"), ("ОО «Жастар»", "222222222222"), ("ОО «Жастар»", None)])
    assert ngos(con) == {"bin:111111111111": 1, "bin:222222222222": 1, "public_association:жастар": 1}


def test_a_name_written_without_its_form_takes_the_one_form_its_other_reports_give(tmp_path):
    con = build(tmp_path, [("«Сана»", None), ("ЧУ «Сана»", None), ("Частное учреждение «Сана»", None)])
    assert ngos(con) == {"private_institution:сана": 3}


def test_without_a_bin_column_ngos_are_told_apart_by_form_and_name(tmp_path):
    con = build(tmp_path, [("КФ «Достык Центр»", None), ("Корпоративный фонд «Достык центр»", None),
                           ("ОО «Достык Центр»", None)], with_bin=False)
    assert ngos(con) == {"corporate_foundation:достык центр": 2, "public_association:достык центр": 1}
    key = "corporate_foundation:достык центр"
    assert metrics.headline(con, Filter(ngos=(key,))).iloc[0]["grant_amount"] == 2_000_000


@pytest.mark.parametrize("grantee, form", [
    ("ОО «Жастар»", "public_association"), ("РОО «Жастар»", "public_association"),
    ("Қоғамдық бірлестік «Жастар»", "public_association"), ("ОФ «Болашак»", "public_foundation"),
    ("Общественный фонд «Болашак»", "public_foundation"), ("КФ «Нур»", "corporate_foundation"),
    ("ЧУ «Сана»", "private_institution"), ("Объединение юридических лиц «Ассоциация НПО»", "association"),
])
def test_the_catalog_knows_the_legal_forms_grantee_names_begin_with(grantee, form):
    import re

    found = [code for code, pattern in catalog.legal_form_patterns() if re.search(pattern, grantee.lower())]
    assert found[:1] == [form]
    assert catalog.name("legal_form", form, "kk") and catalog.name("legal_form", form, "en")


def test_a_name_typed_without_its_legal_form_selects_every_ngo_of_that_name(tmp_path):
    con = build(tmp_path, [("КФ «Достык Центр»", None), ("ОО «Достык Центр»", None), ("ОО «Жастар»", None)],
                with_bin=False)
    assert metrics.headline(con, Filter(ngos=("достык центр",))).iloc[0]["reports"] == 2
    assert metrics.headline(con, Filter(ngos=("public_association:достык центр",))).iloc[0]["reports"] == 1
