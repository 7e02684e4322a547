"""The pages of issue #17 on an empty database and on filters that match nothing, in ru, kk and en: each says
what to load (or that nothing matches; the completeness page, about reports not yet in, says what contracts to
load) in the page's language, and none raises."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from grantstats.i18n import t
from tests.test_pages import APP

NEW_PAGES = {"pages/completeness.py": "page_completeness", "pages/health.py": "page_health",
             "pages/shortfall.py": "page_shortfall", "pages/review.py": "page_review"}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_new_page_on_an_empty_database_says_what_to_load(empty_db, monkeypatch, lang):
    monkeypatch.setenv("GRANTSTATS_DB", str(empty_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    for page, title in NEW_PAGES.items():
        at.switch_page(page).run()
        assert not at.exception and not at.error, (page, [e.message for e in at.exception])
        assert at.title[0].value == t(title, lang)
        assert [i.value for i in at.info] == [f"**{t('empty_db_title', lang)}**\n\n" + t("empty_db_body", lang, db=str(empty_db))]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_new_page_says_when_nothing_matches_the_filters(handmade_db, monkeypatch, lang):
    monkeypatch.setenv("GRANTSTATS_DB", str(handmade_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": lang, "text": "нет такого НПО"})
    at.run()
    for page in NEW_PAGES:
        at.switch_page(page).run()
        assert not at.exception and not at.error, (page, [e.message for e in at.exception])
        if page == "pages/completeness.py":  # about what has not come in: it goes on without reports, to its contracts
            assert not at.warning and at.info[0].value.startswith(f"**{t('cp_no_contracts_title', lang)}**")
            continue
        assert [w.value for w in at.warning] == [t("nothing_matches", lang)], page
