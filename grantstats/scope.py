"""Which reports a person's scope (region codes, or None for every region) lets them see, for what is
looked up by report rather than computed as a figure: the report page, history, restore and the upload plan.
A report is visible when any of its regions is in the scope (a report of several regions is visible to each
of them). Figures keep to the scope in grantstats.metrics.query (``scoped_regions``)."""

from __future__ import annotations

from collections.abc import Iterable


def visible_reports(con, report_ids: Iterable[str], scope: tuple[str, ...] | None) -> list[str]:
    """The ones of ``report_ids`` that are stored and visible in ``scope``, in the given order."""
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return []
    if scope is None:
        found = {r[0] for r in con.execute(
            "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()}
    else:
        found = {r[0] for r in con.execute(
            "SELECT DISTINCT report_id FROM report_regions WHERE report_id IN (SELECT unnest(?::VARCHAR[]))"
            " AND list_contains(?::VARCHAR[], region)", [ids, list(scope)]).fetchall()}
    return [rid for rid in ids if rid in found]


def is_visible(con, report_id: str, scope: tuple[str, ...] | None) -> bool:
    return bool(visible_reports(con, [report_id], scope))


def version_regions(con, version_ids: Iterable[int]) -> dict[int, list[str]]:
    """Earlier versions (report_history) -> the region codes the version itself gave."""
    ids = [int(v) for v in version_ids]
    if not ids:
        return {}
    rows = con.execute(
        "SELECT version_id, CAST(json_extract(payload, '$.regions') AS VARCHAR[]) FROM report_history"
        " WHERE list_contains(?::BIGINT[], version_id)", [ids]).fetchall()
    return {int(v): list(regions or []) for v, regions in rows}


def history_condition(scope: tuple[str, ...] | None) -> tuple[str, list]:
    """A condition on report_history rows: the version itself, or the report now current, lies in ``scope``
    (what a person may list). ("true", []) without a scope."""
    if scope is None:
        return "true", []
    return ("(list_has_any(CAST(json_extract(payload, '$.regions') AS VARCHAR[]), ?::VARCHAR[])"
            " OR report_id IN (SELECT report_id FROM report_regions WHERE list_contains(?::VARCHAR[], region)))",
            [list(scope), list(scope)])


def may_restore(con, version_id: int, scope: tuple[str, ...] | None) -> bool:
    """Whether ``scope`` lets a person make an earlier version current again: the version lies in the scope,
    and so does the report it would replace, if one is stored (a region's staff cannot replace a report of
    another region)."""
    if scope is None:
        return True
    row = con.execute("SELECT report_id FROM report_history WHERE version_id = ?", [int(version_id)]).fetchone()
    if row is None:
        return True  # no such version: history.restore says so
    if not regions_in_scope(version_regions(con, [version_id]).get(int(version_id), []), scope):
        return False
    stored = con.execute("SELECT count(*) FROM reports WHERE report_id = ?", [row[0]]).fetchone()[0]
    return not stored or is_visible(con, row[0], scope)


def regions_in_scope(regions: Iterable[str | None], scope: tuple[str, ...] | None) -> bool:
    """Whether a report giving ``regions`` (codes, None for not stated) lies in ``scope``: any of them in it."""
    if scope is None:
        return True
    return bool(set(r for r in regions if r) & set(scope))


def data_source(con, scope: tuple[str, ...] | None) -> dict:
    """store.data_source (files, reports, last load) counting only what ``scope`` lets a person see."""
    from grantstats import store

    if scope is None:
        return store.data_source(con)
    files, reports, last = con.execute(
        "SELECT count(DISTINCT file_sha256), count(*), max(loaded_at) FROM reports WHERE report_id IN"
        " (SELECT report_id FROM report_regions WHERE list_contains(?::VARCHAR[], region))", [list(scope)]).fetchone()
    return {"files": files, "reports": reports, "last_loaded_at": last}
