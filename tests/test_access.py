"""Who may see what: the access file (roles, regions, deny by default, one line for a bad file), the dashboard's
gate under AppTest with an injected signed-in user (sign-in page, no-access page, local mode, a region user's
figures, two scopes in one process), and the audit log (append-only, many writers)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from grantstats import access, audit, formatting as fmt
from grantstats.access import AccessFileError
from ui.tables import names_from_links

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ROOT = Path(__file__).resolve().parent.parent
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "grantstats", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
ACCESS = ('[[user]]\nemail = "Shymkent@Example.kz"\nrole = "region"\nregions = ["KZ-79"]\n\n'
          '[[user]]\nemail = "boss@example.kz"\nrole = "manager"\n\n'
          '[[user]]\nemail = "loader@example.kz"\nrole = "staff"\nregions = ["KZ-79", "KZ-27"]\n')


@pytest.fixture()
def access_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("GRANTSTATS_ACCESS", str(path))
    return path


# ------------------------------------------------------------------------------------------ the access file

def test_the_access_file_gives_each_role_its_permissions_and_regions(access_file):
    grants = access.load_access(access_file)
    region = grants.grant_for("shymkent@example.KZ ")  # e-mails compared without case and spaces
    assert (region.role, region.scope, region.may("export"), region.may("load")) == ("region", ("KZ-79",), True, False)
    boss = grants.grant_for("boss@example.kz")
    assert (boss.scope, boss.may("read"), boss.may("audit")) == (None, True, False)
    loader = grants.grant_for("loader@example.kz")
    assert (loader.scope, loader.may("load"), loader.may("restore")) == (("KZ-79", "KZ-27"), True, True)
    assert grants.grant_for("nobody@example.kz") is None and grants.grant_for("") is None  # deny by default
    assert access.local_grant().may("audit") and access.local_grant().scope is None


@pytest.mark.parametrize("text, error", [
    ('[[user]]\nemail = "a@b.kz"\nrole = "king"\n', "role 'king' is not one of manager, region, staff, admin"),
    ('[[user]]\nemail = "a@b.kz"\nrole = "region"\n', "role 'region' needs 'regions'"),
    ('[[user]]\nemail = "a@b.kz"\nrole = "region"\nregions = ["KZ-99"]\n', "unknown region code 'KZ-99'"),
    ('[[user]]\nemail = "a@b.kz"\nrole = "manager"\nregions = ["KZ-79"]\n', "a manager sees every region"),
    ('[[user]]\nemail = "a@b.kz"\nrole = "admin"\n[[user]]\nemail = "A@b.kz"\nrole = "staff"\n', "listed twice"),
    ('[[user]]\nemail = "not an address"\nrole = "admin"\n', "'email' must be an e-mail address"),
    ('[[user]]\nemail = "a@b.kz"\nrole = "admin"\nrgions = ["KZ-1"]\n', "unknown key 'rgions'"),
    ('[[user]\nemail = "a@b.kz"\n', "not valid TOML"),
])
def test_a_bad_access_file_is_refused_in_one_line_naming_it(tmp_path, text, error):
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccessFileError) as caught:
        access.load_access(path)
    assert str(caught.value).startswith(f"access file {path}") and error in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_access_file_is_refused(tmp_path):
    with pytest.raises(AccessFileError, match="no such file"):
        access.load_access(tmp_path / "nope.toml")


# ----------------------------------------------------------------------------------- the gate under AppTest

def run_app(db: Path, monkeypatch, user: dict | None, secrets: dict | None = AUTH, **params) -> AppTest:
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def cards(at: AppTest) -> dict[str, str]:
    """The overview's cards over the whole selection: label (its year cut off) -> the total under the card (the
    card's own value when the selection is one year and no total is shown)."""
    out: dict[str, str] = {}

    def walk(node) -> None:
        kids = list(getattr(node, "children", {}).values())
        metrics = [k for k in kids if type(k).__name__ == "Metric"]
        if metrics:
            totals = [k.value for k in kids if type(k).__name__ == "Caption"]
            label = re.sub(r", \d{4}$", "", metrics[0].label)
            out[label] = totals[0].split(": ", 1)[1] if totals else metrics[0].value
            return
        for kid in kids:
            walk(kid)

    walk(at.main)
    return out


def test_local_mode_gives_full_access_and_says_so(handmade_db, monkeypatch):
    monkeypatch.delenv("GRANTSTATS_ACCESS", raising=False)
    at = run_app(handmade_db, monkeypatch, None, secrets=None)
    assert cards(at)["Отчеты"] == "5"
    assert "Локальный режим: полный доступ" in [c.value for c in at.sidebar.caption]
    at.switch_page("pages/audit.py").run()
    assert not at.exception and at.title[0].value == "Журнал"


def test_with_sign_in_set_up_nobody_signed_in_sees_only_the_sign_in_page(handmade_db, monkeypatch, access_file):
    at = run_app(handmade_db, monkeypatch, {"is_logged_in": False}, lang="kk")
    assert at.title[0].value == "Кіру"
    assert [b.label for b in at.button] == ["Кіру"]
    assert not at.metric and not at.dataframe and not at.sidebar.multiselect


def test_a_region_user_sees_the_region_and_a_manager_after_them_sees_all(handmade_db, monkeypatch, access_file):
    region = run_app(handmade_db, monkeypatch, {"is_logged_in": True, "email": "shymkent@example.kz"}, region="KZ-75")
    # B (6 M) and half of E (1 M); the URL's KZ-75 is not among the user's regions and widens nothing
    assert cards(region)["Отчеты"] == "2" and cards(region)["Сумма грантов"] == f"7,0{fmt.NBSP}млн{fmt.NBSP}₸"
    assert region.sidebar.multiselect(key="f_regions").options == ["г. Шымкент"]
    assert "Ваши регионы: г. Шымкент" in [c.value for c in region.sidebar.caption]
    region.switch_page("pages/regions.py").run()
    assert names_from_links(region.dataframe[0].value["Регион"]).tolist() == ["г. Шымкент"]  # (links by name)
    # the same process (one cache) serves another scope its own figures
    boss = run_app(handmade_db, monkeypatch, {"is_logged_in": True, "email": "boss@example.kz"})
    assert cards(boss)["Отчеты"] == "5"
    again = run_app(handmade_db, monkeypatch, {"is_logged_in": True, "email": "shymkent@example.kz"})
    assert cards(again)["Отчеты"] == "2"


def test_a_stranger_is_told_to_ask_the_administrator_and_the_refusal_is_logged(handmade_db, monkeypatch, access_file,
                                                                               tmp_path):
    monkeypatch.setenv("GRANTSTATS_AUDIT", str(tmp_path / "audit.sqlite"))
    at = run_app(handmade_db, monkeypatch, {"is_logged_in": True, "email": "who@example.kz"})
    assert at.title[0].value == "Нет доступа"
    assert "who@example.kz" in at.warning[0].value and "Обратитесь к администратору" in at.warning[0].value
    assert not at.metric and not at.dataframe
    denied = audit.events(None, action="denied")
    assert denied["user"].tolist() == ["who@example.kz"]


def test_a_sign_in_is_logged_once_a_session_and_the_sidebar_says_who(handmade_db, monkeypatch, access_file,
                                                                       tmp_path):
    monkeypatch.setenv("GRANTSTATS_AUDIT", str(tmp_path / "audit.sqlite"))
    at = run_app(handmade_db, monkeypatch, {"is_logged_in": True, "email": "boss@example.kz"})
    assert "Вход: boss@example.kz · руководитель программы" in [c.value for c in at.sidebar.caption]
    at.switch_page("pages/regions.py").run()  # more runs of the same session are not new sign-ins
    at.switch_page("pages/overview.py").run()
    events = audit.events(None)
    assert list(zip(events["user"], events["action"], events["via"])) == [("boss@example.kz", "sign_in", "web")]
    assert json.loads(events["detail"][0]) == {"role": "manager", "regions": None}


@pytest.mark.parametrize("problem", ["unreadable", "unset"])
def test_an_access_file_that_cannot_be_used_stops_the_app_in_one_line(handmade_db, monkeypatch, tmp_path, problem):
    if problem == "unreadable":
        bad = tmp_path / "access.toml"
        bad.write_text("[[user]]\nemail = 'a@b.kz'\nrole = 'root'\n", encoding="utf-8")
        monkeypatch.setenv("GRANTSTATS_ACCESS", str(bad))
    else:
        monkeypatch.delenv("GRANTSTATS_ACCESS", raising=False)
    at = run_app(handmade_db, monkeypatch, {"is_logged_in": True, "email": "boss@example.kz"})
    assert len(at.error) == 1 and at.error[0].value.startswith("Приложение остановлено")
    assert "\n" not in at.error[0].value and not at.metric and not at.dataframe


# ---------------------------------------------------------------------------------------------- audit log

def test_the_audit_log_is_append_only(tmp_path):
    db = tmp_path / "g.duckdb"
    first = audit.record(db, "sign_in", "a@b.kz", detail={"role": "admin"})
    audit.record(db, "export", "staff", via="cli", file_name="x.xlsx", sha256="ab" * 32, filters={"regions": ["KZ-79"]})
    con = sqlite3.connect(audit.audit_path(db))
    for statement in ("UPDATE events SET user = 'someone else'", "DELETE FROM events"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(statement)
    con.close()
    events = audit.events(db)
    assert events["event_id"].tolist() == [first + 1, first] and events["user"].tolist() == ["staff", "a@b.kz"]
    assert audit.events(db, user="STAFF")["action"].tolist() == ["export"]
    assert audit.events(db, action="sign_in")["detail"].tolist() == ['{"role": "admin"}']
    assert audit.events(db, since="2999-01-01").empty


def test_events_appended_together_are_all_kept_or_none_when_one_fails(tmp_path):
    db = tmp_path / "g.duckdb"
    assert audit.record_many(db, [{"action": "load", "user": "staff", "file_name": "a.xlsx"},
                                  {"action": "replace", "user": "staff", "file_name": "a.xlsx"}]) == 2
    with pytest.raises(sqlite3.IntegrityError):  # the second event has no user: the first is not kept either
        audit.record_many(db, [{"action": "load", "user": "staff", "file_name": "b.xlsx"},
                               {"action": "load", "user": None, "file_name": "c.xlsx"}])
    assert audit.events(db)["file_name"].tolist() == ["a.xlsx", "a.xlsx"]
    assert audit.record(db, "export", "staff") > 0  # and the log takes the next event


def test_many_processes_append_to_the_audit_log_at_once(tmp_path):
    db = tmp_path / "g.duckdb"
    script = ("import sys\nfrom grantstats import audit\n"
              "for i in range(40):\n    audit.record(sys.argv[1], 'download', f'p{sys.argv[2]}', file_name=f'{i}.csv')\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db), str(n)], cwd=ROOT) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    events = audit.events(db)
    assert len(events) == 160 and events["event_id"].is_unique
    assert sorted(events.groupby("user").size().tolist()) == [40, 40, 40, 40]


def test_the_audit_command_prints_the_log(tmp_path):
    db = tmp_path / "g.duckdb"
    audit.record(db, "download", "aktau@example.kz", file_name="grantstats-plan.csv", sha256="c" * 64,
                 report_ids=["R1", "R2"])
    done = subprocess.run([sys.executable, "-m", "grantstats", "audit", "--user", "aktau", "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    line, total = done.stdout.splitlines()
    assert "download  aktau@example.kz (web)  grantstats-plan.csv cccccccccccc reports R1, R2" in line
    assert total == "1 event"
