"""Issue #17 within a person's scope (issue #15): contracts and completeness, health, shortfall, peers, the review
list and letter, and the brief keep to the person's regions, in the library, under AppTest with an injected
signed-in user and through the command line; reviewing needs the REVIEW permission and goes through the one
writer (a second writer gets one line), and is recorded in the audit log.

The hand-made reports of conftest.py (A, C in KZ-75; B in KZ-79; D in KZ-71; E half KZ-79, half KZ-27) with a
contracts list: one contract per report (each received) and two whose report never came, «Каспий» in KZ-47 and
«Арман» in KZ-75, both due 31.12.2023 (overdue on 01.03.2024). Worked out by hand:
  KZ-47: one contract (Каспий, overdue); no report, so no health, shortfall or finding row.
  KZ-79: contracts of B and E (received); reports B and E: findings B error + warning, E warning;
         health B 100 − 15 − 5 = 80, E 100 − 5 = 95, the region 80 × 1 + 95 × ½ over 1½ = 85;
         shortfall of direct beneficiaries B 200 − 150 = 50, E none; the region: plan 200 + ½·50 = 225,
         fact 150 + ½·50 = 175.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from grantstats import audit, brief, completeness, health, peers, review, shortfall, snapshots
from grantstats.cli import main
from grantstats.contracts import ContractsFile, save_contracts
from grantstats.metrics import Filter
from grantstats.model import Number, Report
from grantstats.rows import ngo_key, report_identity
from grantstats.text import normalize

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
AS_OF = date(2024, 3, 1)
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "grantstats", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
ACCESS = ('[[user]]\nemail = "aktau@example.kz"\nrole = "region"\nregions = ["KZ-47"]\n\n'
          '[[user]]\nemail = "shymkent@example.kz"\nrole = "region"\nregions = ["KZ-79"]\n\n'
          '[[user]]\nemail = "loader@example.kz"\nrole = "staff"\nregions = ["KZ-79"]\n')
OTHER_GRANTEES = ("ОО «Жастар»", "ЧУ «Сана»", "ОО «Арман»", "ОО «Каспий»")  # none of them in KZ-79
OTHER_REGIONS = ("г. Алматы", "г. Астана", "Мангистауская")  # (E's own second region, ЗКО, is shown with E)


def never_reported(grantee: str, number: str, region: str) -> Report:
    return Report(grantee=grantee, title="Проект без отчета", contract_no=number, contract_date=date(2023, 2, 1),
                  period_start=date(2023, 3, 1), period_end=date(2023, 11, 30), year=2023, direction="7",
                  regions=[(region, 1.0)], grant_amount=Number(3_000_000.0, raw="3 000 000"))


def contracts_list(reports: list[Report]) -> ContractsFile:
    """The contracts of these reports as a read list (each keyed like its report), due 31.12.2023 if never reported."""
    out = ContractsFile("/hand/contracts.xlsx", "contracts.xlsx", "c" * 64, 1)
    for n, r in enumerate(reports, 2):
        key = report_identity(r)
        due = date(2023, 12, 31) if r.title == "Проект без отчета" else None
        out.rows.append((key, r.contract_no, normalize(r.contract_no), r.contract_date, r.grantee, ngo_key(r.grantee),
                         r.title, r.effective_year(), r.direction, None, None, r.grant_amount.value, r.grant_amount.raw,
                         r.period_start, r.period_end, due, None, "Реестр", f"A{n}"))
        out.regions.extend((key, code, share) for code, share in r.regions)
    return out


@pytest.fixture(scope="module")
def primary(handmade_db, tmp_path_factory) -> Path:
    """A copy of the hand-made database with the contracts list saved in it (not yet published)."""
    from tests.conftest import handmade_reports

    path = tmp_path_factory.mktemp("insight-scope") / "grants.duckdb"
    shutil.copyfile(handmade_db, path)
    con = duckdb.connect(str(path))
    save_contracts(con, [contracts_list(handmade_reports() + [never_reported("ОО «Каспий»", "47/2023", "KZ-47"),
                                                              never_reported("ОО «Арман»", "75/2023", "KZ-75")])])
    con.close()
    return path


@pytest.fixture(scope="module")
def con(primary):
    with snapshots.reading(primary) as connection:  # (publishes the first snapshot)
        yield connection


def grantees_in(df) -> set[str]:
    return set(df["grantee"].dropna())


# ------------------------------------------------------------------------------------------------ library

def test_a_region_user_sees_only_the_contracts_of_the_region(con):
    everything = completeness.contract_status(con, Filter(), as_of=AS_OF)
    assert len(everything) == 7
    aktau = completeness.contract_status(con, Filter(scope=("KZ-47",)), as_of=AS_OF)
    assert aktau[["grantee", "status", "days_overdue"]].values.tolist() == [["ОО «Каспий»", "overdue", 61]]  # 31 + 29 + 1
    shymkent = completeness.contract_status(con, Filter(scope=("KZ-79",)), as_of=AS_OF)
    assert sorted(shymkent["grantee"]) == ["КФ «Нур»", "ОФ «Болашак»"] and set(shymkent["status"]) == {"received"}
    # a region chosen outside the scope widens nothing
    assert completeness.contract_status(con, Filter(regions=("KZ-75",), scope=("KZ-47",)), as_of=AS_OF).empty
    by_region = completeness.completeness_by(con, Filter(scope=("KZ-79",)), by="region", as_of=AS_OF)
    assert by_region[["region", "contracts", "received"]].values.tolist() == [["KZ-79", 2, 2]]  # not E's KZ-27 half
    assert completeness.contracts_loaded(con, ("KZ-47",))["contracts"] == 1
    assert completeness.contracts_loaded(con)["contracts"] == 7


def test_health_shortfall_peers_and_findings_keep_to_the_scope(con):
    for table in (health.health_scores(con, Filter(scope=("KZ-47",))), review.findings_for_review(con, Filter(scope=("KZ-47",))),
                  shortfall.shortfall_breakdown(con, Filter(scope=("KZ-47",)), by="report"),
                  peers.report_peers(con, Filter(scope=("KZ-47",)))):
        assert table.empty
    scores = health.health_scores(con, Filter(scope=("KZ-79",))).set_index("grantee")["score"].to_dict()
    assert scores == {"ОФ «Болашак»": 80, "КФ «Нур»": 95}
    regions = health.health_scores(con, Filter(scope=("KZ-79",)), by="region")
    assert regions["region"].tolist() == ["KZ-79"] and regions["score"].iloc[0] == pytest.approx(85)
    found = review.findings_for_review(con, Filter(scope=("KZ-79",)))
    assert sorted(zip(found["grantee"], found["severity"])) == [
        ("КФ «Нур»", "warning"), ("ОФ «Болашак»", "error"), ("ОФ «Болашак»", "warning")]
    by_region = shortfall.shortfall_breakdown(con, Filter(scope=("KZ-79",)), by="region")
    assert by_region[["region", "shortfall", "plan", "fact"]].values.tolist() == [["KZ-79", 50, 225, 175]]
    assert grantees_in(shortfall.shortfall_breakdown(con, Filter(scope=("KZ-79",)), by="report")) == {
        "ОФ «Болашак»", "КФ «Нур»"}


def test_a_scoped_person_sees_no_median_of_fewer_than_the_minimum_peers(con):
    listed = peers.report_peers(con, Filter(scope=("KZ-79",)), metric="cost_per_beneficiary")
    assert grantees_in(listed) == {"ОФ «Болашак»", "КФ «Нур»"}
    assert listed["median"].isna().all() and (listed["flag"] == "few_peers").all()  # one peer each: itself
    whole = peers.report_peers(con, Filter(), metric="cost_per_beneficiary").set_index("grantee")
    assert whole.loc["ОФ «Болашак»", "median"] == pytest.approx(6_000_000 / 150)  # the same figure, unscoped
    bolashak = review.findings_for_review(con, Filter(scope=("KZ-79",)))["report_id"].iloc[0]
    assert peers.report_position(con, bolashak, scope=("KZ-79",))["median"].isna().all()


def test_the_letter_and_the_brief_hold_only_the_scope(con):
    bolashak = Filter(ngos=(ngo_key("ОФ «Болашак»"),))
    assert len(review.letter_rows(con, bolashak.within(("KZ-79",)))) == 2
    assert review.letter_rows(con, bolashak.within(("KZ-75",))).empty  # another region's NGO, asked for by key
    page = brief.brief_html(brief.brief_data(con, Filter(scope=("KZ-79",)), as_of=AS_OF))
    assert "ОФ «Болашак»" in page and not any(name in page for name in OTHER_GRANTEES)
    assert "г. Шымкент" in page  # the reader's regions are named among the filters
    everything = brief.brief_html(brief.brief_data(con, Filter(), as_of=AS_OF))
    assert "ОО «Каспий»" in everything and "ОО «Арман»" in everything  # the overdue list, unscoped
    aktau = brief.brief_data(con, Filter(scope=("KZ-47",)), as_of=AS_OF)
    assert (aktau["contracts"]["contracts"], aktau["contracts"]["overdue"]) == (1, 1)
    assert aktau["overdue"]["grantee"].tolist() == ["ОО «Каспий»"] and aktau["source"]["reports"] == 0


def test_a_finding_of_another_region_cannot_be_marked(primary, tmp_path):
    db = tmp_path / "g.duckdb"
    shutil.copyfile(primary, db)
    with snapshots.write_session(db, "test") as writer:
        key = review.findings_for_review(writer, Filter(scope=("KZ-79",)))["finding_key"].iloc[0]
        with pytest.raises(review.ReviewError, match="outside your regions"):
            review.mark(writer, [key], "accepted", who="aktau@example.kz", scope=("KZ-47",))
        assert review.mark(writer, [key], "accepted", who="loader@example.kz", scope=("KZ-79",)) == 1
        with pytest.raises(review.ReviewError, match="outside your regions"):
            review.reopen(writer, [key], scope=("KZ-75",))


def test_a_region_staff_cannot_load_or_replace_another_regions_contracts(con, tmp_path):
    from grantstats import contracts

    head = "Шарт №;Шарт күні;Грант алушы;Жоба атауы;Өңір;Грант сомасы;Басталу күні;Аяқталу күні\n"
    other = head + "7;01.02.2024;ҚБ «Ақниет»;Жастар орталығы;Түркістан облысы;1 500 000;01.03.2024;30.11.2024\n"
    arman = head + "75/2023;01.02.2023;ОО «Арман»;Проект без отчета;г. Шымкент;3 000 000;01.03.2023;30.11.2023\n"
    planned = contracts.dry_run_contracts(con, [("other.csv", other.encode()), ("arman.csv", arman.encode())],
                                          tmp_path / "archive", workers=0, scope=("KZ-79",))
    assert [p.status for p in planned] == ["refused", "refused"]
    assert planned[0].message == "contract 7 (ҚБ «Ақниет») is of KZ-61, outside your regions (KZ-79)"
    assert planned[1].message == "it would replace contract 75/2023 of another region (your regions: KZ-79)"
    assert not list((tmp_path / "archive" / ".pending").iterdir())  # a refused list leaves nothing behind


# -------------------------------------------------------------------------------------------- command line

def test_a_snapshot_published_by_the_command_line_holds_the_issue_17_tables_built(primary, tmp_path):
    import subprocess
    import sys

    from grantstats.metrics import cache

    db = tmp_path / "g.duckdb"
    shutil.copyfile(primary, db)
    done = subprocess.run([sys.executable, "-m", "grantstats", "publish", "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # a process that imported none of them
    assert done.returncode == 0, done.stderr
    snapshot = snapshots.snapshot_dir(db) / snapshots.current(db).file
    with duckdb.connect(str(cache.cache_file(snapshot)), read_only=True) as built:
        names = {r[0] for r in built.execute("SELECT name FROM state").fetchall()}
    assert {completeness.FACTS, completeness.SPLIT, health.HEALTH_TABLE, peers.PEERS_TABLE, review.REVIEWED_TABLE} <= names


def test_review_through_the_cli_is_published_audited_and_refused_while_another_load_runs(primary, tmp_path, capsys,
                                                                                            monkeypatch):
    db = tmp_path / "g.duckdb"
    shutil.copyfile(primary, db)
    monkeypatch.setenv("GRANTSTATS_AUDIT", str(tmp_path / "audit.sqlite"))
    assert main(["review", "list", "--format", "json", "--db", str(db)]) == 0
    listed = json.loads(capsys.readouterr().out)
    key = next(r["finding_key"] for r in listed if r["severity"] == "error")
    generation = snapshots.current(db).generation
    with snapshots.writer_lock(db, "ingest big-folder", "staff"):
        assert main(["review", "mark", key, "--status", "accepted", "--db", str(db)]) == 1
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("error: another load is running since ")
        assert main(["ingest", "--contracts", str(tmp_path / "none.xlsx"), "--db", str(db)]) == 1  # (no such file)
        capsys.readouterr()
        # readers read the published snapshot meanwhile
        assert main(["completeness", "--as-of", "2024-03-01", "--format", "json", "--region", "KZ-47",
                     "--db", str(db)]) == 0
        assert [r["grantee"] for r in json.loads(capsys.readouterr().out)] == ["ОО «Каспий»"]
    assert main(["review", "mark", key, "--status", "accepted", "--comment", "верно", "--db", str(db)]) == 0
    assert snapshots.current(db).generation == generation + 1  # published for the readers
    assert main(["review", "list", "--status", "accepted", "--format", "json", "--db", str(db)]) == 0
    assert [r["finding_key"] for r in json.loads(capsys.readouterr().out.split("\n", 1)[1])] == [key]
    event = audit.events(db, action="review").iloc[0]
    assert event["via"] == "cli" and json.loads(event["detail"])["findings"] == [key]
    assert json.loads(event["report_ids"]) == [next(r["report_id"] for r in listed if r["finding_key"] == key)]


# ------------------------------------------------------------------------------------------- the dashboard

@pytest.fixture()
def signed_in(monkeypatch, tmp_path):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("GRANTSTATS_ACCESS", str(path))
    monkeypatch.setenv("GRANTSTATS_AUDIT", str(tmp_path / "audit.sqlite"))

    def open_app(db: Path, email: str) -> AppTest:
        monkeypatch.setenv("GRANTSTATS_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets.update(AUTH)
        at.user = {"is_logged_in": True, "email": email}
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_app


def page_text(at: AppTest) -> str:
    """Everything a page shows as text: its tables' cells, metrics, captions, markdown and messages."""
    parts = [df.value.to_csv() for df in at.dataframe]
    parts += [m.value for m in at.metric] + [c.value for c in at.caption] + [m.value for m in at.markdown]
    parts += [x.value for x in at.info] + [x.value for x in at.warning] + [x.value for x in at.success]
    return "\n".join(str(p) for p in parts)


def test_a_region_user_sees_no_other_regions_contract_health_shortfall_or_finding(primary, signed_in):
    at = signed_in(primary, "aktau@example.kz")
    at.switch_page("pages/completeness.py").run()
    at.date_input(key="cp_as_of").set_value(AS_OF).run()
    assert not at.exception and not at.error
    cards = {m.label: m.value for m in at.metric}
    assert (cards["Договоров"], cards["Просрочен"]) == ("1", "1")
    assert "ОО «Каспий»" in page_text(at) and "ОО «Арман»" not in page_text(at)
    at = signed_in(primary, "shymkent@example.kz")
    for page in ("pages/completeness.py", "pages/health.py", "pages/shortfall.py", "pages/review.py"):
        at.switch_page(page).run()
        if page == "pages/completeness.py":
            at.segmented_control(key="cp_status").set_value("received").run()  # (none is overdue in KZ-79)
        assert not at.exception and not at.error, (page, [e.message for e in at.exception])
        shown = page_text(at)
        expected = "г. Шымкент" if page == "pages/shortfall.py" else "ОФ «Болашак»"  # (the shortfall by region)
        assert expected in shown and not [name for name in OTHER_GRANTEES + OTHER_REGIONS if name in shown], page
    assert not at.get("multiselect") or "review_keys" not in [w.key for w in at.multiselect]  # no marking
    assert "доступен для чтения" in page_text(at)


def test_staff_mark_a_finding_through_the_one_writer_and_the_audit_log_says_who(primary, signed_in, tmp_path):
    db = tmp_path / "g.duckdb"
    shutil.copyfile(primary, db)
    at = signed_in(db, "loader@example.kz")
    at.switch_page("pages/review.py").run()
    assert "Отмечает: loader@example.kz" in page_text(at)
    key = at.multiselect(key="review_keys").options[0]
    at.multiselect(key="review_keys").select(key).run()
    at.radio(key="review_status").set_value("accepted")
    with snapshots.writer_lock(db, "ingest big-folder", "staff"):
        at.button[-1].click().run()
    assert len(at.error) == 1 and at.error[0].value.startswith("Идет другая загрузка (с ")
    at.multiselect(key="review_keys").select(key).run()
    at.button[-1].click().run()
    assert not at.exception and "Отмечено замечаний: 1." in [s.value for s in at.success]
    at.segmented_control(key="review_list").set_value("accepted").run()
    assert at.dataframe[0].value["Кто отметил"].tolist() == ["loader@example.kz"]
    events = audit.events(db, action="review")
    assert events["user"].tolist() == ["loader@example.kz"] and events["via"].tolist() == ["web"]
