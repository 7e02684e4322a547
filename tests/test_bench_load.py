"""The load test: its websocket client, against a real `streamlit run` of the app on a small database, counts the
pages served and changes a filter the way the sidebar does; on a made-up message stream it counts a drawn
exception as a page not served and puts cached messages back where the server sends only their hash. A tiny run
of every row against two processes gives every figure (the timings are not checked against targets)."""

from __future__ import annotations

import asyncio

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import dbgen
from bench import load
from bench.load import people, servers
from bench.load.client import StreamlitSession, multiselect_state


@pytest.fixture(scope="module")
def dashboards(tmp_path_factory):
    work = tmp_path_factory.mktemp("load")
    db = work / "small.duckdb"
    dbgen.build(db, 200, log=lambda *a: None)
    running = servers.start_all(servers.database_files(db, 2, work, one_file=False), work)
    yield running
    servers.stop_all(running)


@pytest.fixture(scope="module")
def dashboard(dashboards):
    return dashboards[0]


def test_client_counts_pages_served_and_changes_a_filter_through_the_sidebar(dashboard):
    async def visit():
        async with StreamlitSession(dashboard.url) as session:
            opened = await session.open("", "year_from=2020")
            regions = await session.view("regions")
            region = session.widgets[people.REGION_KEY]
            chosen = region.options[0]
            filtered = await session.change([multiselect_state(region, [chosen])])
            return session, opened, regions, filtered

    session, opened, regions, filtered = asyncio.run(visit())
    for view in (opened, regions, filtered):
        assert view.served, view.error
        assert view.error is None and view.messages > 0
    assert session.session_id
    assert "upload" in session.pages and "regions" in session.pages
    assert session.page == "regions"
    # the app wrote the link's years and the chosen region back into the URL: the filter reached it
    assert "year_from=2020" in session.query_string and "region=" in session.query_string


def test_scenario_of_two_people_serves_every_page_it_offers(dashboard):
    pages = asyncio.run(people.discover_pages(dashboard.url))
    assert "upload" not in pages and "" in pages
    outcome = asyncio.run(people.run(people.Scenario(2, [dashboard.url], pages, seconds=2.0, think_s=0.0)))
    assert len(outcome.views) >= 2
    assert all(v.served for v in outcome.views), [v.error for v in outcome.views if not v.served]


def test_an_exception_the_script_raises_makes_the_view_not_served(tmp_path):
    script = tmp_path / "failing.py"
    script.write_text("import streamlit as st\n"
                      "st.write('before')\n"
                      "if st.query_params.get('fail'):\n"
                      "    raise KeyError('asked to fail')\n"
                      "st.write('after')\n")
    server = servers.start(tmp_path / "unused.duckdb", tmp_path, script=script)

    async def visit():
        async with StreamlitSession(server.url) as session:
            return await session.open("", "fail=1"), await session.open("", "")

    try:
        failed, fine = asyncio.run(visit())
    finally:
        servers.stop(server)
    assert not failed.served and "KeyError" in failed.error and "asked to fail" in failed.error
    assert fine.served and fine.error is None


def test_every_row_reports_page_times_rate_and_server_cpu(dashboards):
    figures, details = load.run_on(dashboards, one_file=False, log=lambda *a: None, seconds=1.0, step_seconds=1.0,
                                   reading_people=(2,), processes=(1, 2), saturation={2: (1, 2)}, think_s=0.3)
    rows = details["rows"]
    assert [r["name"] for r in rows[:2]] == ["1 process, 2 people reading", "2 processes (db copies), 2 people reading"]
    assert all(r["served"] == r["offered"] > 0 for r in rows), [r["errors"] for r in rows]
    assert all(r["server_cpu_per_view_s"] > 0 and r["pages_per_s"] > 0 for r in rows)
    names = {f.name: f for f in figures}
    top = names["load: 2 processes (db copies), 2 people reading: p95 page time"]
    assert top.target == "<= 2" and top.value == rows[1]["p95_s"]
    assert names["load: pages not served, every scenario"].value == 0
    assert names["load: saturation, 2 processes (db copies)"].target == ">= 8"
    assert "no writer shares the processes' database" in names["load: readers' p95 raised while a load runs"].note


def test_a_load_running_meanwhile_is_measured_against_the_same_row_without_it(dashboards, tmp_path):
    files = []
    for n in range(3):  # three registries of one new report each: three loads of one file
        path = tmp_path / f"registry-{n}.csv"
        path.write_text("Грантополучатель;Договор;Регион;Год;Сумма гранта;Прямые бенефициары (факт)\n"
                        f"ОО «Писатель {n}»;№ {n + 1} от 01.02.2025;Мангистауская область;2025;3 000 000;{40 + n}\n",
                        encoding="utf-8")
        files.append(path)
    dashboard = dashboards[1]
    before = dashboard_reports(dashboard.db)
    writer = load.Writer(dashboard.db, files[:2], batch=2)  # one load of two files
    busy = load.Writer(dashboard.db, files[2:], batch=1)  # then one file a load, back to back
    figures, details = load.run_on([dashboard], one_file=True, log=lambda *a: None, seconds=2.0, step_seconds=1.0,
                                   reading_people=(2,), processes=(1,), saturation={}, think_s=0.3, writer=writer,
                                   busy_writer=busy)
    rows = {r["name"]: r for r in details["rows"]}
    loaded = rows["1 process, 2 people reading, a load running"]
    plain = rows["1 process, 2 people reading"]
    assert loaded["served"] == loaded["offered"] > 0, loaded["errors"]
    assert details["writer_loads"][0][0] == 2 and details["writer_loads"][0][2] == 0
    assert details["busy_writer_loads"] == [(1, details["busy_writer_loads"][0][1], 0)]
    assert dashboard_reports(dashboard.db) == before + 3  # each file one new report
    named = {f.name: f for f in figures}
    raised = named["load: readers' p95 raised while a load runs"]
    assert raised.target == "<= 50"
    assert raised.value == pytest.approx((loaded["p95_s"] / plain["p95_s"] - 1) * 100, abs=0.01)
    busy_row = rows["1 process, 2 people reading, loads back to back"]
    harsher = named["load: readers' p95 raised while loads run back to back"]
    assert harsher.target is None
    assert harsher.value == pytest.approx((busy_row["p95_s"] / plain["p95_s"] - 1) * 100, abs=0.01)


def dashboard_reports(db) -> int:
    """Reports in the snapshot readers see."""
    from grantstats import snapshots

    with snapshots.reading(db) as con:
        return con.execute("SELECT count(*) FROM reports").fetchall()[0][0]


class _Replay:
    """A websocket stand-in that answers every request with the same messages."""

    def __init__(self, messages: list[ForwardMsg]):
        self.messages = messages
        self.sent: list[bytes] = []
        self._queue: list[bytes] = []

    async def send(self, data: bytes) -> None:
        self.sent.append(data)
        self._queue = [m.SerializeToString() for m in self.messages]

    async def recv(self) -> bytes:
        return self._queue.pop(0)

    async def close(self) -> None:
        pass


def _new_session() -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.initialize.session_id = "s-1"
    msg.new_session.config.max_cached_message_age = 2
    return msg


def _finished(status=ForwardMsg.FINISHED_SUCCESSFULLY) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status
    return msg


def _exception(message: str, warning: bool = False) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.exception.type = "KeyError"
    msg.delta.new_element.exception.message = message
    msg.delta.new_element.exception.is_warning = warning
    return msg


def _replayed(messages: list[ForwardMsg], views: int = 1):
    session = StreamlitSession("http://127.0.0.1:1")
    session._ws = _Replay(messages)

    async def go():
        return [await session.open("") for _ in range(views)]

    return session, asyncio.run(go())


def test_a_drawn_exception_makes_the_view_not_served():
    _, [view] = _replayed([_new_session(), _exception("'region'"), _finished()])
    assert not view.served
    assert view.error == "KeyError: 'region'"


def test_a_deprecation_warning_is_counted_apart_and_the_view_is_served():
    _, [view] = _replayed([_new_session(), _exception("use width=", warning=True), _finished()])
    assert view.served and view.warnings == 1


def test_a_run_interrupted_for_a_rerun_ends_with_the_next_run():
    _, [view] = _replayed([_new_session(), _finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), _new_session(),
                           _exception("late"), _finished()])
    assert not view.served and view.error == "KeyError: late"


def test_a_cached_exception_sent_by_reference_still_counts_and_its_hash_is_named_in_the_next_request():
    cached = _exception("from the cache")
    cached.hash = "h-1"
    cached.metadata.cacheable = True
    session, [first] = _replayed([_new_session(), cached, _finished()])
    reference = ForwardMsg()
    reference.ref_hash = "h-1"
    session._ws.messages = [_new_session(), reference, _finished()]
    second = asyncio.run(session.open(""))
    assert first.error == second.error == "KeyError: from the cache"
    from streamlit.proto.BackMsg_pb2 import BackMsg

    request = BackMsg()
    request.ParseFromString(session._ws.sent[-1])
    assert list(request.rerun_script.cached_message_hashes) == ["h-1"]


def test_a_reference_to_a_message_never_sent_is_a_protocol_error():
    reference = ForwardMsg()
    reference.ref_hash = "never"
    _, [view] = _replayed([_new_session(), reference, _finished()])
    assert not view.served and view.error.startswith("protocol:")


def test_removing_a_database_copy_deletes_what_its_dashboard_made_and_no_other_databases_snapshots(tmp_path):
    from grantstats import snapshots
    from grantstats.metrics.cache import cache_file

    source = tmp_path / "small.duckdb"
    dbgen.build(source, 20, log=lambda *a: None)
    snapshots.publish(source)
    copy, = servers.database_files(source, 1, tmp_path, one_file=False)
    snapshots.publish(copy)
    (tmp_path / "load-1.audit.sqlite").write_text("log")
    copy_snapshot = snapshots.snapshot_dir(copy) / snapshots.current(copy).file
    assert copy_snapshot.exists() and cache_file(copy_snapshot).exists() and snapshots.lock_path(copy).exists()

    servers.remove_copy(copy)

    left = sorted(p.name for p in tmp_path.rglob("*") if p.name.startswith("load-") or p.name.startswith(".load-"))
    assert left == []
    assert snapshots.current(source) is not None  # the source's own snapshot and pointer are still there
    source_snapshots = sorted(p.name for p in snapshots.snapshot_dir(source).iterdir())
    assert source_snapshots == ["small-1.cache.duckdb", "small-1.duckdb", "small.current"]

    servers.remove_copy(source)
    assert not snapshots.snapshot_dir(source).exists()  # the folder goes once it is empty


def test_dashboard_processes_share_one_database_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("BENCH_LOAD_ONE_DB", raising=False)
    assert load.one_file_switch() is True
    for off in ("0", "no", "False"):
        monkeypatch.setenv("BENCH_LOAD_ONE_DB", off)
        assert load.one_file_switch() is False
    monkeypatch.setenv("BENCH_LOAD_ONE_DB", "1")
    assert load.one_file_switch() is True
