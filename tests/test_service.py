"""The dashboard as a service, end to end: a real OpenID Connect provider (oidc-provider-mock, on 127.0.0.1),
`streamlit run app.py` with `[auth]` in its secrets and an access file, sign-in through the provider's form in
headless Chromium. What a KZ-47 regional user, a manager and a stranger see on every page, by URL and in
downloads; two sessions of different scope in one server; the audit page listing the run's sign-ins, loads and
downloads; a CLI read, a CLI load and a second dashboard process beside the running one.

The data: the five hand-made reports of conftest.py with report D (ЧУ «Сана», 10 000 000 ₸, 330 direct
beneficiaries) moved to KZ-47 (Mangystau): a KZ-47 user sees one report, a manager five."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_browser import CHROMEDRIVER, CHROMIUM

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                                reason="chromium and chromedriver are not installed (CI installs them)")

REGION_USER, MANAGER, ADMIN, STRANGER = "aktau@example.kz", "boss@example.kz", "admin@example.kz", "nobody@example.kz"
OTHER_GRANTEES = ("Жастар", "Болашак", "Нур")  # reports outside KZ-47
KZ47_GRANTEE = "ЧУ «Сана»"
NEW_CSV = ("Грантополучатель;Договор;Регион;Год;Сумма гранта;Прямые бенефициары (план);Прямые бенефициары (факт)\n"
           "ОО «Каспий»;№ 91 от 01.02.2024;Мангистауская область;2024;3 000 000;40;44\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"{url} did not answer: {log.read_text()[-2000:]}")
        time.sleep(0.3)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The database (published by the first reader), the access file and the secrets of the test run."""
    from grantstats import store
    from tests.conftest import handmade_reports

    folder = tmp_path_factory.mktemp("service")
    db = folder / "grants.duckdb"
    reports = handmade_reports()
    reports[3].regions = [("KZ-47", 1.0)]  # D: ЧУ «Сана»
    con = store.connect(db)
    store.save_files(con, [store.ParsedFile("/hand/made.xlsx", "made.xlsx", "0" * 64, 1, "form", reports)])
    con.close()
    (folder / "access.toml").write_text(
        f'[[user]]\nemail = "{REGION_USER}"\nrole = "region"\nregions = ["KZ-47"]\n\n'
        f'[[user]]\nemail = "{MANAGER}"\nrole = "manager"\n\n'
        f'[[user]]\nemail = "{ADMIN}"\nrole = "admin"\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def provider(site):
    port = _free_port()
    log = site / "oidc.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{base}/.well-known/openid-configuration", proc, log)
        yield base
    finally:
        _stop(proc)


def start_dashboard(site: Path, provider: str | None, name: str) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on the site's database; with `provider`, sign-in through it."""
    port = _free_port()
    env = dict(os.environ, GRANTSTATS_DB=str(site / "grants.duckdb"), GRANTSTATS_ACCESS=str(site / "access.toml"),
               GRANTSTATS_ARCHIVE=str(site / "archive"))
    args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    secrets = site / f"secrets-{name}.toml"
    if provider:
        secrets.write_text(
            f'[auth]\nredirect_uri = "http://127.0.0.1:{port}/oauth2callback"\ncookie_secret = "test-{name}-cookie-secret"\n'
            f'client_id = "grantstats"\nclient_secret = "grantstats-secret"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    else:
        secrets.write_text("", encoding="utf-8")  # no [auth]: local mode
    args += ["--secrets.files", str(secrets)]
    log = site / f"streamlit-{name}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{base}/_stcore/health", proc, log)
    except BaseException:
        _stop(proc)
        raise
    return proc, base


@pytest.fixture(scope="module")
def app(site, provider):
    proc, base = start_dashboard(site, provider, "main")
    yield base
    _stop(proc)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1440,1000", "--lang=ru-RU",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-service')}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "plugins.always_open_pdf_externally": True})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


# ------------------------------------------------------------------------------------------------ helpers

def _body(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def wait_for(driver, predicate, what: str, timeout: float = 60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            found = predicate()
        except Exception:  # the page is being redrawn
            found = None
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"{what}: not seen in {timeout} s at {driver.current_url}\n{_body(driver)[:1500]}")


def settled(driver, text: str, timeout: float = 60) -> str:
    """Wait until the app shows `text`, has finished running and its page stays the same for a moment."""
    from selenium.webdriver.common.by import By

    last = [None]

    def done():
        running = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        body = _body(driver)
        still = body == last[0]
        last[0] = body
        return body if text in body and not running and "\nStop\n" not in body and still else None

    def steady():
        time.sleep(0.5)
        return done()

    return wait_for(driver, steady, f"«{text}»", timeout)


def metrics_shown(driver) -> dict[str, str]:
    """The overview's cards over the whole selection: label (its year cut off) -> the total under the card
    («За 2022–2023: 5»), or the card's own value when the selection is one year and no total is shown."""
    from selenium.webdriver.common.by import By

    out: dict[str, str] = {}
    label = None
    for element in driver.find_elements(By.XPATH, "//*[@data-testid='stMetric'] | //*[@data-testid='stCaptionContainer']"):
        if element.get_attribute("data-testid") == "stMetric":
            label = re.sub(r", \d{4}$", "", element.find_element(By.CSS_SELECTOR, '[data-testid="stMetricLabel"]').text.strip())
            out[label] = element.find_element(By.CSS_SELECTOR, '[data-testid="stMetricValue"]').text.strip()
            continue
        total = re.fullmatch(r"За [^:]+: (.+)", element.text.strip())  # (the change's «2023 к 2022» is a caption too)
        if label is not None and total:
            out[label], label = total.group(1).strip(), None
    return out


def sign_in(driver, app: str, email: str) -> None:
    """From a fresh browser state: the app's sign-in page, «Войти», the provider's form, back in the app."""
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(app)
    settled(driver, "Войти")
    field = None
    for _ in range(3):  # (a click landing before the app's connection is up does nothing: click again)
        button = wait_for(driver, lambda: [b for b in driver.find_elements(By.TAG_NAME, "button")
                                           if b.text.strip().endswith("Войти")], "the sign-in button")
        button[0].click()
        try:
            field = wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, 'input[name="sub"]'),
                             "the provider's form", 15)
            break
        except AssertionError:
            continue
    assert field, f"the sign-in button did not lead to the provider: {driver.current_url}"
    field[0].send_keys(email)
    driver.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    wait_for(driver, lambda: driver.current_url.startswith(app) and "oauth2callback" not in driver.current_url,
             "the way back to the app")


def sign_out(driver) -> None:
    driver.delete_all_cookies()


def download_csv(driver, downloads: Path, which: int = 0) -> str:
    """Click a «CSV» download button of the page (the first; -1 the last); the file's text."""
    from selenium.webdriver.common.by import By

    for old in downloads.iterdir():
        old.unlink()
    button = wait_for(driver, lambda: [b for b in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')
                                       if "CSV" in b.text], "a CSV download button")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button[which])
    done = wait_for(driver, lambda: [p for p in downloads.iterdir() if p.suffix == ".csv"], "the downloaded file", 30)
    time.sleep(0.3)
    return done[0].read_text(encoding="utf-8-sig")


def report_ids(site: Path) -> dict[str, str]:
    """grantee -> report id, read from the published snapshot as a CLI would."""
    done = subprocess.run([sys.executable, "-m", "grantstats", "show", "--json", "--db", str(site / "grants.duckdb")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {d["grantee"]: d["report_id"] for d in json.loads(done.stdout)}


# -------------------------------------------------------------------------------------------------- tests

def test_nobody_signed_in_sees_the_sign_in_page_and_no_figure(app, browser):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{app}/regions?region=KZ-47")
    body = settled(browser, "Войти")
    assert "Вход" in body and not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetric"]')
    assert "Page not found" not in body  # a bookmarked page's address leads to the sign-in page itself
    assert not any(name in body for name in (KZ47_GRANTEE, *OTHER_GRANTEES))
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNavLink"]')


def test_a_stranger_signed_in_is_told_to_ask_the_administrator(app, browser):
    sign_in(browser, app, STRANGER)
    body = settled(browser, "Нет доступа")
    assert "Обратитесь к администратору" in body and STRANGER in body
    assert not metrics_shown(browser) and not any(name in body for name in (KZ47_GRANTEE, *OTHER_GRANTEES))
    browser.get(f"{app}/report")
    body = settled(browser, "Нет доступа")
    assert KZ47_GRANTEE not in body


def test_a_region_user_sees_only_their_region_on_every_page_by_url_and_in_downloads(app, browser, site, downloads):
    from ui.state import PAGES

    ids = report_ids(site)
    sign_in(browser, app, REGION_USER)
    settled(browser, "Отчеты")
    cards = metrics_shown(browser)
    assert cards["Отчеты"] == "1" and cards["НПО"] == "1", cards
    assert cards["Сумма грантов"] == "10,0\xa0млн\xa0₸".replace("\xa0", " ") or cards["Сумма грантов"].startswith("10,0")
    body = _body(browser)
    assert REGION_USER in body and "Мангистауская" in body  # the sidebar says who and which regions
    (ROOT / "build" / "screenshots").mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ROOT / "build" / "screenshots" / "service-region-user.png"))
    for page in PAGES:
        browser.get(f"{app}/{page.url_path}")
        body = settled(browser, "отчет")  # the basis line (or the report's own page)
        assert not any(name in body for name in OTHER_GRANTEES), (page.url_path, body[:800])
        assert "Traceback" not in body
    # the address cannot widen the scope: another region's filter, or another region's report
    browser.get(f"{app}/overview?region=KZ-75")
    body = settled(browser, "Отчеты")
    assert "Жастар" not in body and metrics_shown(browser).get("Отчеты") in (None, "1")
    browser.get(f"{app}/report?report={ids['ОФ «Болашак»']}")
    body = settled(browser, "не найден")
    assert "Болашак" not in body and f"Отчет {ids['ОФ «Болашак»']} не найден" in body
    browser.get(f"{app}/report?report={ids[KZ47_GRANTEE]}")
    settled(browser, KZ47_GRANTEE)
    # a download holds the region's rows only (the quality page's last table: every finding with its grantee)
    browser.get(f"{app}/quality")
    settled(browser, "Замечания")
    text = download_csv(browser, downloads, which=-1)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) >= 2 and all("Болашак" not in ",".join(r) and "Жастар" not in ",".join(r) for r in rows)
    assert any(KZ47_GRANTEE in ",".join(r) for r in rows[1:])
    # and signs out from the sidebar
    from selenium.webdriver.common.by import By

    out = [b for b in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] button')
           if b.text.strip().endswith("Выйти")]
    assert out, "no sign-out button in the sidebar"
    browser.execute_script("arguments[0].click();", out[0])
    wait_for(browser, lambda: not browser.current_url.startswith(f"{app}/quality"), "the sign-out redirect", 30)


def test_a_region_users_brief_and_health_table_hold_their_region_and_their_downloads_are_audited(app, browser, site,
                                                                                                    downloads):
    from selenium.webdriver.common.by import By

    sign_in(browser, app, REGION_USER)
    settled(browser, "Отчеты")
    browser.get(f"{app}/health")
    settled(browser, "Оценка отчетов")
    text = download_csv(browser, downloads)  # the health table of every report in the scope
    assert KZ47_GRANTEE in text and not any(name in text for name in OTHER_GRANTEES)
    browser.get(f"{app}/overview")
    settled(browser, "Справка для министра")
    for old in downloads.iterdir():
        old.unlink()
    button = wait_for(browser, lambda: [b for b in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')
                                        if "Справка для министра" in b.text], "the brief's button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button[0])
    pdf = wait_for(browser, lambda: [p for p in downloads.iterdir() if p.suffix == ".pdf"], "the brief", 90)[0]
    time.sleep(0.5)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "Мангистауская" in text and not any(name in text for name in OTHER_GRANTEES)  # the scope, named
    events = {e["file_name"]: e for e in _audit_events(site) if e["action"] == "download" and e["user"] == REGION_USER}
    for name in ("grantstats-health-reports.csv", "grantstats-brief-ru.pdf"):
        assert json.loads(events[name]["filters"])["scope"] == ["KZ-47"] and len(events[name]["sha256"]) == 64, name


def _audit_events(site: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "grantstats", "audit", "--format", "json", "--db",
                           str(site / "grants.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    return json.loads(done.stdout)


def test_a_manager_in_the_same_server_sees_every_region_not_the_region_users_cached_figures(app, browser):
    sign_in(browser, app, MANAGER)
    settled(browser, "Отчеты")
    cards = metrics_shown(browser)
    assert cards["Отчеты"] == "5", cards  # the region user's cached «1» is not served to another scope
    browser.get(f"{app}/regions")
    body = settled(browser, "Отчеты")
    assert "г. Шымкент" in body and "Мангистауская" in body
    assert "Загрузка" not in body and "Журнал" not in body  # a manager neither loads nor reads the audit log


def test_cli_reads_and_a_cli_load_work_while_the_dashboard_runs(app, browser, site):
    db = str(site / "grants.duckdb")
    summary = subprocess.run([sys.executable, "-m", "grantstats", "summary", "--format", "json", "--db", db],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)[0]["reports"] == 5
    new = site / "kaspiy.csv"
    new.write_text(NEW_CSV, encoding="utf-8")
    loaded = subprocess.run([sys.executable, "-m", "grantstats", "ingest", str(new), "--db", db, "--workers", "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "loaded    kaspiy.csv: 1 report" in loaded.stdout
    # the running dashboard moves to the new snapshot on its next run
    sign_in(browser, app, REGION_USER)
    settled(browser, "Отчеты")
    cards = metrics_shown(browser)
    assert cards["Отчеты"] == "2", cards  # Сана and the new Каспий, both KZ-47


def test_a_second_dashboard_process_on_the_same_database_renders(site, browser):
    proc, base = start_dashboard(site, None, "second")
    try:
        browser.delete_all_cookies()
        browser.get(base)
        body = settled(browser, "Локальный режим")
        assert metrics_shown(browser)["Отчеты"] == "6"  # local mode: every report, the CLI's load included
        assert "Traceback" not in body
    finally:
        _stop(proc)


def test_the_audit_page_lists_the_runs_sign_ins_loads_and_downloads_with_who(app, browser, site, downloads):
    from grantstats.access import os_user

    sign_in(browser, app, ADMIN)
    settled(browser, "Отчеты")
    browser.get(f"{app}/audit")
    settled(browser, "Журнал")
    # the table is drawn on a canvas: what it lists is read from its own download
    rows = list(csv.DictReader(io.StringIO(download_csv(browser, downloads))))
    seen = {(r["Пользователь"], r["Действие"]) for r in rows}
    for who in (REGION_USER, MANAGER, ADMIN):
        assert (who, "вход") in seen, who
    assert (STRANGER, "отказ") in seen  # the refused sign-in
    assert (REGION_USER, "выход") in seen
    assert (REGION_USER, "скачивание") in seen
    assert any(r["Пользователь"] == os_user() and r["Действие"] == "загрузка" and r["Файл"] == "kaspiy.csv" for r in rows)
    done = subprocess.run([sys.executable, "-m", "grantstats", "audit", "--format", "json", "--db",
                           str(site / "grants.duckdb")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    events = json.loads(done.stdout)
    download = next(e for e in events if e["action"] == "download" and e["user"] == REGION_USER
                    and e["file_name"].endswith(".csv"))
    assert len(download["sha256"]) == 64
    assert json.loads(download["filters"])["scope"] == ["KZ-47"]
    assert json.loads(download["report_ids"])  # the reports the file holds
