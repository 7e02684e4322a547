"""End to end in a real browser: `streamlit run app.py` on a free port, every page opened in headless
Chromium, each must draw its charts and show no error; screenshots go to build/screenshots/<page>.png."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ui.state import PAGES

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                                reason="chromium and chromedriver are not installed (CI installs them)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """The dashboard served by `streamlit run` on its own copy of the sample database."""
    db = tmp_path_factory.mktemp("browser") / "grants.duckdb"
    shutil.copy(sample_db, db)
    port = _free_port()
    env = dict(os.environ, GRANTSTATS_DB=str(db))
    log = open(db.parent / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"streamlit did not start: {(db.parent / 'streamlit.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1440,1000", "--lang=ru-RU",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _wait_rendered(driver, charts: int, timeout: float = 60) -> None:
    """Until the script has finished and `charts` plotly charts have drawn their SVG."""
    from selenium.webdriver.common.by import By

    deadline = time.time() + timeout
    while time.time() < deadline:
        drawn = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg')
        running = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        titles = driver.find_elements(By.CSS_SELECTOR, "h1")
        if titles and len({id(e) for e in drawn}) >= charts and not running:
            time.sleep(0.8)  # let the last chart finish its transition
            return
        time.sleep(0.3)
    raise AssertionError(f"{driver.current_url}: charts not drawn in {timeout} s")


def _page_height(driver) -> int:
    return int(driver.execute_script(
        "const m = document.querySelector('[data-testid=\"stMain\"]') || document.querySelector('section.main');"
        "return m ? m.scrollHeight : document.body.scrollHeight;"))


EXPECTED_CHARTS = {"overview": 4, "regions": 3, "directions": 2, "ngos": 1, "plan_fact": 2, "participants": 2,
                   "quality": 1, "report": 0, "completeness": 1, "health": 2, "shortfall": 1, "review": 1}


def test_a_bookmarked_page_opened_first_keeps_the_sidebar_and_its_filters(server, browser):
    """The first visit to a fresh server is a deep link: the page must still run inside app.py's navigation."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(1440, 1000)
    browser.get(f"{server}/plan_fact?region=KZ-79")
    _wait_rendered(browser, EXPECTED_CHARTS["plan_fact"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "План и факт"
    links = [a.text.strip() for a in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNavLink"]')]
    assert any(text.endswith("Обзор") for text in links), links  # the app's navigation, not the bare pages/ list
    sidebar = browser.find_element(By.CSS_SELECTOR, '[data-testid="stSidebar"]').text
    assert "г. Шымкент" in sidebar  # the region filter from the address is applied
    assert "с учетом фильтров" in browser.find_element(By.TAG_NAME, "body").text


def test_every_page_draws_its_charts_without_errors(server, browser):
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(parents=True, exist_ok=True)
    for page in PAGES:
        browser.set_window_size(1440, 1000)
        browser.get(f"{server}/" + ("" if page == PAGES[0] else page.url_path))  # the default page lives at /
        _wait_rendered(browser, EXPECTED_CHARTS[page.url_path])
        if page.url_path == "report":
            assert browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]'), "the report shows no table"
        assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), page.url_path
        text = browser.find_element(By.TAG_NAME, "body").text
        assert "Traceback" not in text and "Error" not in text, (page.url_path, text[:500])
        browser.set_window_size(1440, min(6000, _page_height(browser) + 120))
        time.sleep(0.8)
        browser.save_screenshot(str(SHOTS / f"{page.url_path}.png"))


def test_filters_survive_a_page_switch_and_the_language_switch(server, browser, sample_db):
    import duckdb
    from selenium.webdriver.common.by import By

    from grantstats import metrics

    with duckdb.connect(str(sample_db)) as con:  # the region with the most reports, its last year
        by_region = metrics.totals(con, metrics.Filter(), by="region").dropna(subset=["region"])
        region = by_region.sort_values("reports", ascending=False)["region"].iloc[0]
        year = int(metrics.totals(con, metrics.Filter(regions=(region,)), by="year")["year"].max())
    browser.set_window_size(1440, 1000)
    browser.get(f"{server}/regions?region={region}&year_from={year}")
    _wait_rendered(browser, EXPECTED_CHARTS["regions"])
    nav = [a for a in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNavLink"]')
           if a.text.strip().endswith("Обзор")]
    assert nav, "no link to the overview in the sidebar"
    nav[0].click()
    _wait_rendered(browser, EXPECTED_CHARTS["overview"])
    assert f"region={region}" in browser.current_url and f"year_from={year}" in browser.current_url, browser.current_url
    english = [b for b in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] button') if b.text.strip() == "English"]
    assert english, "no language switch in the sidebar"
    english[0].click()
    deadline = time.time() + 30
    while time.time() < deadline and browser.find_element(By.TAG_NAME, "h1").text != "Overview":
        time.sleep(0.3)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Overview"
    assert "lang=en" in browser.current_url and f"region={region}" in browser.current_url, browser.current_url
