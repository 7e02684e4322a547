"""The cross-report duplicate check: one report loaded twice (twice in one file, under two identities, or from
two files still loaded) becomes a duplicate_report finding on each report involved. Its memory of every
(report, file) stored, ``quality_report_sources``, is a table of ``store.SCHEMA``."""

from __future__ import annotations

from grantstats.findings import messages as finding_messages
from grantstats.findings.rules import RULES_BY_CODE

_BASE = "split_part(identity, '#', 1)"
# the normalised contract number of an identity «contract:72|2022» ('' for an identity without one)
_CONTRACT_KEY = f"CASE WHEN identity LIKE 'contract:%' THEN split_part(substr({_BASE}, 10), '|', 1) ELSE '' END"
_TITLE_KEY = "trim(regexp_replace(lower(coalesce(title, '')), '[^\\p{L}\\p{N}]+', ' ', 'g'))"


def _duplicates_sql(scoped: bool) -> str:
    """The duplicate pairs of every report, or (`scoped`) of the reports in the temporary table
    affected_reports among themselves: the pairs are symmetric, and AFFECTED_SQL takes in every partner."""
    candidates = "WHERE report_id IN (SELECT report_id FROM affected_reports)" if scoped else ""
    return f"""
WITH r AS (
    SELECT report_id, {_BASE} AS base, file_sha256, file_name, sheet, cell,
           ngo_key, {_TITLE_KEY} AS title_key, year, contract_no, grant_amount, contract_date,
           {_CONTRACT_KEY} AS contract_key
    FROM reports {candidates}
), pairs AS (
    -- the same identity twice in one file (the store suffixes the second with #2)
    SELECT a.report_id, 'same_file' AS kind, b.file_name, b.sheet, b.cell
    FROM r a JOIN r b ON a.base = b.base AND a.file_sha256 = b.file_sha256 AND a.report_id <> b.report_id
    UNION ALL
    -- the same NGO, title and year under another identity: one without a contract number, or a number
    -- typed otherwise for the same grant amount (two grants of one NGO with one title differ in amount)
    SELECT a.report_id, 'same_key', b.file_name, b.sheet, b.cell
    FROM r a JOIN r b ON a.ngo_key = b.ngo_key AND a.title_key = b.title_key AND a.year = b.year
                     AND a.base <> b.base
    WHERE a.ngo_key <> '' AND a.title_key <> ''
      AND (a.contract_no IS NULL OR b.contract_no IS NULL OR a.grant_amount IS NOT DISTINCT FROM b.grant_amount)
    UNION ALL
    -- the same contract number and year under two identities, one giving the contract's date and the other not
    -- (a summary row with the number only): the same NGO, where both name it
    SELECT a.report_id, 'same_contract', b.file_name, b.sheet, b.cell
    FROM r a JOIN r b ON a.contract_key = b.contract_key AND a.year = b.year AND a.base <> b.base
    WHERE a.contract_key <> '' AND (a.contract_date IS NULL OR b.contract_date IS NULL)
      AND (a.ngo_key = '' OR b.ngo_key = '' OR a.ngo_key = b.ngo_key)
    UNION ALL
    -- the same contract loaded from another file that is still loaded: the store kept the later one
    SELECT s.report_id, 'replaced', s.file_name, s.sheet, s.cell
    FROM quality_report_sources s
    JOIN files f ON f.sha256 = s.file_sha256
    JOIN r cur ON cur.report_id = s.report_id AND cur.file_sha256 <> s.file_sha256
)
SELECT p.report_id, p.kind, p.file_name, p.sheet, p.cell,
       rep.contract_no, rep.contract_date, rep.grantee, rep.title, rep.year, rep.file_name AS own_file,
       rep.sheet AS own_sheet, rep.cell AS own_cell
FROM pairs p JOIN reports rep USING (report_id)
ORDER BY p.report_id, p.kind, p.file_name, p.sheet, p.cell
"""


DUPLICATES_SQL = _duplicates_sql(scoped=False)
SCOPED_DUPLICATES_SQL = _duplicates_sql(scoped=True)

# The (report, file) pairs stored since the last refresh: not yet in quality_report_sources.
NEW_SOURCES_SQL = """
CREATE OR REPLACE TEMP TABLE new_report_sources AS
SELECT r.report_id, r.file_sha256, r.file_name, r.sheet, r.cell FROM reports r
WHERE NOT EXISTS (SELECT 1 FROM quality_report_sources s WHERE s.report_id = r.report_id AND s.file_sha256 = r.file_sha256)
"""
# The reports whose duplicate findings a load can change: those stored since the last refresh, the reports
# that share their NGO, title and year, and those holding a duplicate finding now
# (removing a report or a file only takes pairs away, and only from reports that have a finding). A pair
# between two reports stored before is as it was, so every partner of one of these is one of these too.
AFFECTED_SQL = f"""
CREATE OR REPLACE TEMP TABLE affected_reports AS
WITH new AS (SELECT ngo_key, year, {_TITLE_KEY} AS title_key
             FROM reports JOIN new_report_sources USING (report_id) WHERE ngo_key <> '')
SELECT report_id FROM new_report_sources
UNION SELECT report_id FROM reports WHERE (ngo_key, year) IN (SELECT ngo_key, year FROM new)  -- (3x faster than
                                      AND (ngo_key, year, {_TITLE_KEY}) IN (SELECT * FROM new)  -- this test alone)
UNION SELECT report_id FROM reports WHERE ({_CONTRACT_KEY}, year) IN (
    SELECT {_CONTRACT_KEY}, year FROM reports JOIN new_report_sources USING (report_id)
    WHERE identity LIKE 'contract:%')
UNION SELECT report_id FROM findings WHERE rule = 'duplicate_report'
"""


def refresh_cross_report_findings(con, since_last: bool = False) -> None:
    """Recompute the duplicate_report findings after a load, inside the caller's transaction
    (``store.transaction``; a load runs it before its commit), so no reader sees the reports without them.

    Four signs of one report loaded twice, all read from the database:

    * the same identity (contract number and year; without a contract, grantee, title and year) twice
      in one file — the store keeps both, the second suffixed ``#2``;
    * the same NGO (``ngo_key``), normalised title and year under two identities — one gives no contract
      number, or both give numbers typed differently («72», «72-ГГ») for the same grant amount (an NGO
      may hold two grants with one title in a year; their amounts then differ);
    * the same contract number and year under two identities, one without the contract's date (a summary row
      giving the number only) — the same NGO where both name it;
    * the same identity in two files that are both still loaded — the store keeps only the later
      report. To see this across loads, every (report, file) ever stored is remembered in
      ``quality_report_sources``; entries of files no longer loaded (changed or replaced) are dropped.
      Two such files in one batch are saved one after the other (store.save_files runs this after each
      part of the batch), so that case is seen too.

    Each report involved gets one finding naming the other file(s) and cells. With `since_last`, only the
    reports a load since the last refresh can have changed are looked at (AFFECTED_SQL): the same findings
    for a fraction of the work in a large archive. A restore, which brings back a report with a source
    entry it had before, needs the whole recomputation.
    """
    con.execute(NEW_SOURCES_SQL)
    if since_last:
        con.execute(AFFECTED_SQL)
    con.execute("DELETE FROM quality_report_sources WHERE file_sha256 NOT IN (SELECT sha256 FROM files)")
    con.execute("INSERT INTO quality_report_sources SELECT * FROM new_report_sources")
    if since_last:
        con.execute("DELETE FROM findings WHERE rule = 'duplicate_report'"
                    " AND report_id IN (SELECT report_id FROM affected_reports)")
        rows = con.execute(SCOPED_DUPLICATES_SQL).fetchall()
        con.execute("DROP TABLE affected_reports")
    else:
        con.execute("DELETE FROM findings WHERE rule = 'duplicate_report'")
        rows = con.execute(DUPLICATES_SQL).fetchall()
    con.execute("DROP TABLE new_report_sources")
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    inserts = [_duplicate_finding(group) for group in grouped.values()]
    if inserts:
        con.executemany("INSERT INTO findings (report_id, rule, severity, message_ru, message_en, file_name, sheet,"
                        " cell, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts)


def _place(file_name, sheet, cell) -> str:
    return ", ".join(str(x) for x in (file_name, sheet, cell) if x)


def _duplicate_finding(group: list[tuple]) -> tuple:
    (report_id, _, _, _, _, contract_no, contract_date, grantee, title, year, own_file, own_sheet, own_cell) = group[0]
    if contract_no:
        what = ({"phrase": "contract_of", "no": contract_no, "date": contract_date.isoformat()} if contract_date
                else {"phrase": "contract", "no": contract_no})
    else:
        what = f"{grantee or '—'}, «{title or '—'}», {year or '—'}"
    places = []
    for _, kind, file_name, sheet, cell, *_ in group:
        place = _place(file_name, sheet, cell)
        if place not in places:
            places.append(place)
    kinds = {g[1] for g in group}
    others = "; ".join(places[:5]) + (f" (+{len(places) - 5})" if len(places) > 5 else "")
    if kinds == {"same_key"}:
        params = {"key": "duplicate_same_key", "grantee": grantee or "—", "title": title or "—", "year": f"{year}",
                  "others": others}
    elif "replaced" in kinds:
        params = {"key": "duplicate_replaced", "what": what, "others": others, "file": f"{own_file}"}
    else:
        params = {"key": "duplicate_repeated", "what": what, "others": others}
    ru, en, params_json = finding_messages.texts(params)
    return (report_id, "duplicate_report", RULES_BY_CODE["duplicate_report"].severity, ru, en, own_file,
            own_sheet, own_cell, params_json)
