"""The metrics cache: per-report figures kept in a DuckDB database attached as ``gs_cache``, built from the
report tables when a query first reads them after the database changed.

Every total starts from the same per-report figures (direct/indirect beneficiaries, gender sums, whether
every plan was met, findings). Working them out scans the indicator and participant tables (millions of
rows at archive size), so they are computed once per state of the database, in DuckDB, into the tables of
a database attached as ``gs_cache`` (compressed at checkpoint, so it holds far less than the same
rows as Arrow or pandas, and is scanned natively). Rows are joined on an integer row key ``rk`` (numbered
in report_id order, so ``ORDER BY rk`` is ``ORDER BY report_id``):
  gs_cache.facts    one row per report: rk, report_id, ngo_key (the NGO: see _NGO_SQL), ngo_name_key (its name
              without the legal form: reports.ngo_key), bin, year, direction, grant_amount,
              participants_total, direct_fact, direct_plan, indirect_fact, all_met, male, female, people,
              has_error, has_warning, cost, grantee, title, contract_no, file_name, regions (codes
              comma-joined), errors, warnings (finding counts), list_order (report_list's order),
              search_text (grantee, title and contract number lowered, joined by SEARCH_SEPARATOR),
              has_category (gives a category row with people), ngo_no (an integer per ngo_key; NULL for NULL)
  gs_cache.regions  one row per (report, region): shares normalised to sum to 1 per report (equal shares
              when none are stated); a report without rows gets (NULL, 1).
  gs_cache.split    facts (without display text) joined to regions (columns region, weight): the rows of a
              by-region grouping
  gs_cache.ind      the indicator rows giving plan or fact (rk, indicator_no, plan, fact, qualifiers, *_b)
  gs_cache.indicators  indicator_no -> indicator
  gs_cache.part_<dimension>  per (rk, bucket_no) over participant rows giving people: people,
              derived_people (of them, derived from percent), derived (any row derived); gs_cache.buckets
              names bucket_no
  gs_cache.ngo_names  per ngo_key its ngo_no and the grantee text most often used for it (by='ngo' results'
              ngo_name; NULL when no report names it)
  gs_cache.achievement_<hash>  one indicator's per-report rows in report_achievement's order (see below)
  gs_cache.match_<hash>  the reports a text filter matches (the latest TEXT_MATCH_TABLES texts)
  gs_cache.state      per table, the fingerprint of the database state it was built from
Each table is built when a query first reads it (a page needs only some). The fingerprint (this module's code,
file, row counts, the sum of the reports' load times (a restored or reloaded report changes it), a hash of
the findings) is read on every call (on a read-only database, until its tables are found current: it cannot change
while open); anything that loads, replaces, restores or re-checks reports changes it, and the next query
rebuilds the tables it reads in one transaction (readers keep seeing the previous tables until it commits).
A snapshot being published has its tables built side by side instead (build_published).
Code that edits child tables in place must call clear_cache(). The cache belongs to the DuckDB instance:
every cursor of the dashboard's connection shares it; another database file has its own. It is kept in a
file beside the database (cache_path), so a restarted dashboard does not build it again.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from grantstats import catalog, store
from grantstats.store import ACCEPTED_FINDING_SQL

CACHE_DB = "gs_cache"

DIMENSIONS = ("gender", "age", "category")
"""The participant tables' dimensions: one cache table each (``gs_cache.part_<dimension>``)."""

SEARCH_SEPARATOR = "\x1f"
"""Joins the lowered grantee, title and contract number in ``gs_cache.facts.search_text``."""

ROW_GROUP_ROWS = 16384
"""Rows per row group of the cache tables: DuckDB scans a table one row group per thread, and at its default
(122 880 rows) the 100 000 reports of an archive are one row group that one thread reads alone."""

TEXT_MATCH_TABLES = 32
"""How many texts' match tables are kept (the oldest is dropped at the next build)."""

_BUILD_LOCK = threading.Lock()
_FORGOTTEN: set[str] = set()  # cache tables no longer registered: dropped at the next build
_GENERATION = [0]  # raised by clear_cache(): part of the fingerprint, so every cache table is rebuilt
TABLES_BUILT = [0]  # cache tables this process has built (how often the cache was not current)
# this module's code in the fingerprint: tables kept on disk by an earlier version are built again
_CODE_STAMP = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
_CACHE_NAME = re.compile(rf"\b{CACHE_DB}\.(\w+)")

# The NGO behind each report (ngo_key): its BIN when the report gives one; else its legal form and normalised
# name (reports.ngo_key, the name without its form), so that «КФ «Достык Центр»» and «ОО «Достык Центр»» stay
# two; a name written without a form takes the one form its other reports give; a form and name whose reports
# give one BIN, and only one, are that BIN's NGO. {bin} is the reports' BIN column (NULL while the store has
# none); the legal forms' patterns (catalog.legal_form_patterns) are bound parameters.
_NGO_SQL = """
forms AS (
    SELECT grantee, CASE {form_cases} END AS legal_form
    FROM (SELECT DISTINCT grantee FROM reports WHERE grantee IS NOT NULL)),
who AS (
    SELECT r.report_id, r.ngo_key AS name, f.legal_form, nullif(regexp_replace({bin}, '[^0-9]', '', 'g'), '') AS bin
    FROM reports r LEFT JOIN forms f ON f.grantee = r.grantee),
one_form AS (
    SELECT name, min(legal_form) AS legal_form FROM who WHERE legal_form IS NOT NULL AND name IS NOT NULL
    GROUP BY name HAVING count(DISTINCT legal_form) = 1),
named AS (
    SELECT w.report_id, w.bin,
        CASE WHEN w.name IS NOT NULL THEN coalesce(coalesce(w.legal_form, o.legal_form) || ':', '') || w.name END AS name_key
    FROM who w LEFT JOIN one_form o ON o.name = w.name),
name_bin AS (
    SELECT name_key, min(bin) AS bin FROM named WHERE bin IS NOT NULL AND name_key IS NOT NULL
    GROUP BY name_key HAVING count(DISTINCT bin) = 1),
ngo AS (
    SELECT n.report_id,
        CASE WHEN n.bin IS NOT NULL THEN 'bin:' || n.bin WHEN b.bin IS NOT NULL THEN 'bin:' || b.bin ELSE n.name_key END AS ngo_key,
        coalesce(n.bin, b.bin) AS bin
    FROM named n LEFT JOIN name_bin b ON b.name_key = n.name_key),"""

_FACTS_SQL = """
WITH {ngo_ctes}
ind AS (
    SELECT report_id,
        max(fact) FILTER (WHERE indicator = 'direct_beneficiaries') AS direct_fact,
        max(plan) FILTER (WHERE indicator = 'direct_beneficiaries') AS direct_plan,
        max(fact) FILTER (WHERE indicator = 'indirect_beneficiaries') AS indirect_fact,
        bool_and(fact >= plan) FILTER (WHERE plan IS NOT NULL AND fact IS NOT NULL) AS all_met
    FROM indicators
    WHERE indicator IN ('direct_beneficiaries', 'indirect_beneficiaries') OR (plan IS NOT NULL AND fact IS NOT NULL)
    GROUP BY report_id),
gen AS (
    SELECT report_id, sum(people) FILTER (WHERE bucket = 'male') AS male,
        sum(people) FILTER (WHERE bucket = 'female') AS female, sum(people) AS gender_total
    FROM participants WHERE dimension = 'gender' GROUP BY report_id),
fnd AS (  -- findings staff accepted as right (grantstats.review) leave the counts
    SELECT report_id, bool_or(severity = 'error') AS has_error, bool_or(severity = 'warning') AS has_warning,
        count(*) FILTER (WHERE severity = 'error') AS errors, count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM findings f WHERE NOT """ + ACCEPTED_FINDING_SQL.format(f="f") + """ GROUP BY report_id),
ord AS (  -- the orderings on narrow rows (a window over the wide rows costs far more)
    SELECT r.report_id, (row_number() OVER (ORDER BY r.report_id))::INTEGER AS rk,
        (row_number() OVER (ORDER BY r.year DESC NULLS LAST, r.grantee, r.report_id))::INTEGER AS list_order,
        n.ngo_key, n.bin,
        CASE WHEN n.ngo_key IS NOT NULL THEN (dense_rank() OVER (ORDER BY n.ngo_key))::INTEGER END AS ngo_no
    FROM reports r JOIN ngo n ON n.report_id = r.report_id),
cat AS (
    SELECT DISTINCT report_id FROM participants WHERE dimension = 'category' AND people IS NOT NULL),
reg_count AS (
    SELECT report_id, count(*) AS n, min(region) AS only_region
    FROM report_regions WHERE region IS NOT NULL GROUP BY report_id),
reg_list AS (  -- an ordered aggregate is slow: only for the few reports with several regions
    SELECT report_id, string_agg(region, ',' ORDER BY share DESC NULLS LAST, region) AS regions
    FROM report_regions WHERE region IS NOT NULL AND report_id IN (SELECT report_id FROM reg_count WHERE n > 1)
    GROUP BY report_id),
reg AS (
    SELECT c.report_id, CASE WHEN c.n = 1 THEN c.only_region ELSE l.regions END AS regions
    FROM reg_count c LEFT JOIN reg_list l ON l.report_id = c.report_id)
SELECT o.rk, r.report_id, o.ngo_key, r.ngo_key AS ngo_name_key, r.year, r.direction, r.grant_amount, r.participants_total,
    ind.direct_fact, ind.direct_plan, ind.indirect_fact, ind.all_met, gen.male, gen.female,
    coalesce(r.participants_total, gen.gender_total) AS people,
    coalesce(fnd.has_error, false) AS has_error, coalesce(fnd.has_warning, false) AS has_warning,
    CASE WHEN r.grant_amount IS NOT NULL AND ind.direct_fact > 0 THEN r.grant_amount / ind.direct_fact END AS cost,
    r.grantee, r.title, r.contract_no, r.file_name, reg.regions,
    coalesce(fnd.errors, 0) AS errors, coalesce(fnd.warnings, 0) AS warnings,
    o.list_order,
    lower(coalesce(r.grantee, '')) || chr(31) || lower(coalesce(r.title, '')) || chr(31)
        || lower(coalesce(r.contract_no, '')) AS search_text,
    cat.report_id IS NOT NULL AS has_category,
    o.ngo_no, o.bin
FROM reports r
JOIN ord o ON o.report_id = r.report_id
LEFT JOIN ind ON ind.report_id = r.report_id
LEFT JOIN gen ON gen.report_id = r.report_id
LEFT JOIN fnd ON fnd.report_id = r.report_id
LEFT JOIN reg ON reg.report_id = r.report_id
LEFT JOIN cat ON cat.report_id = r.report_id
"""

_REGIONS_SQL = """
WITH merged AS (
    SELECT report_id, region, sum(coalesce(share, 0)) AS share FROM report_regions GROUP BY report_id, region),
norm AS (
    SELECT report_id, region,
        CASE WHEN sum(share) OVER (PARTITION BY report_id) > 0 THEN share / sum(share) OVER (PARTITION BY report_id)
             ELSE 1.0 / count(*) OVER (PARTITION BY report_id) END AS share
    FROM merged)
SELECT f.rk, n.region, coalesce(n.share, 1.0) AS share
FROM gs_cache.facts f LEFT JOIN norm n ON n.report_id = f.report_id
"""

# indicator rows of the cached reports, keyed by the integer row key (one row per stored row)
# (rows giving neither plan nor fact are left out: no metric reads them); the *_b columns are NULL unless the
# row gives both plan and fact, so plan_vs_fact sums and counts them without FILTER clauses
# indicator_no numbers every indicator code of the indicator table (gs_cache.indicators names them)
_INDICATORS_SQL = """
SELECT indicator, (row_number() OVER (ORDER BY indicator))::INTEGER AS indicator_no
FROM (SELECT DISTINCT indicator FROM indicators)
"""
_IND_SQL = f"""
SELECT f.rk, k.indicator_no,
    i.plan, i.fact, i.plan_qualifier, i.fact_qualifier,
    CASE WHEN both_ THEN i.plan END AS plan_b, CASE WHEN both_ THEN i.fact END AS fact_b,
    CASE WHEN both_ THEN i.fact - i.plan END AS gap_b,
    CASE WHEN both_ AND i.fact >= i.plan THEN true END AS met_b,
    CASE WHEN both_ AND i.plan_qualifier IS NOT NULL THEN true END AS plan_q_b,
    CASE WHEN both_ AND i.fact_qualifier IS NOT NULL THEN true END AS fact_q_b,
    CASE WHEN i.fact IS NOT NULL AND i.plan IS NULL THEN true END AS fact_only
FROM (SELECT *, plan IS NOT NULL AND fact IS NOT NULL AS both_ FROM indicators
      WHERE plan IS NOT NULL OR fact IS NOT NULL) i
JOIN gs_cache.facts f ON f.report_id = i.report_id
JOIN ({_INDICATORS_SQL}) k ON k.indicator IS NOT DISTINCT FROM i.indicator
"""

# participant figures per (report, bucket) of one dimension (the parameter) over the rows giving people;
# bucket_no numbers every bucket of the participant table (gs_cache.buckets names them)
_BUCKETS_SQL = """
SELECT bucket, (row_number() OVER (ORDER BY bucket))::INTEGER AS bucket_no FROM (SELECT DISTINCT bucket FROM participants)
"""
_PART_SQL = f"""
SELECT f.rk, k.bucket_no, sum(p.people) AS people,
    sum(p.people) FILTER (WHERE coalesce(p.derived, false)) AS derived_people,
    bool_or(coalesce(p.derived, false)) AS derived
FROM participants p JOIN gs_cache.facts f ON f.report_id = p.report_id
JOIN ({_BUCKETS_SQL}) k ON k.bucket IS NOT DISTINCT FROM p.bucket
WHERE p.dimension = ? AND p.people IS NOT NULL
GROUP BY f.rk, k.bucket_no
"""


@dataclass(frozen=True)
class CacheTable:
    """One table of gs_cache: the query building it (with its parameters) and the cache tables it reads.
    ``sql`` may be a function of the connection, for a query that depends on the columns the store has."""

    sql: str | Callable[[duckdb.DuckDBPyConnection], str]
    needs: tuple[str, ...] = ()
    params: tuple = ()

    def query(self, con) -> str:
        return self.sql(con) if callable(self.sql) else self.sql


def _has_column(con, table: str, column: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?"
                            " AND table_catalog = current_database()", [table, column]).fetchall()[0][0])


_LEGAL_FORMS = catalog.legal_form_patterns()


def facts_sql(con) -> str:
    """The query of gs_cache.facts for this database: the NGO key reads the reports' BIN when the store keeps one."""
    cases = " ".join("WHEN regexp_matches(lower(grantee), ?) THEN ?" for _ in _LEGAL_FORMS)
    ngo = _NGO_SQL.format(form_cases=cases, bin="r.bin" if _has_column(con, "reports", "bin") else "NULL::VARCHAR")
    return _FACTS_SQL.format(ngo_ctes=ngo.strip())


CACHE_TABLES: dict[str, CacheTable] = {
    "facts": CacheTable(facts_sql, params=tuple(v for code, pattern in _LEGAL_FORMS for v in (pattern, code))),
    "regions": CacheTable(_REGIONS_SQL, ("facts",)),
    "ind": CacheTable(_IND_SQL, ("facts",)),
    "indicators": CacheTable(_INDICATORS_SQL),
    # (without the display-only text: by-region queries aggregate and filter, they list no report)
    "split": CacheTable("SELECT f.* EXCLUDE (grantee, title, contract_no, file_name, regions, list_order, search_text),"
                        " g.region, g.share AS weight FROM gs_cache.facts f JOIN gs_cache.regions g ON g.rk = f.rk",
                        ("facts", "regions")),
    "buckets": CacheTable(_BUCKETS_SQL),
    # one table per dimension, buckets as integer codes: a breakdown scans, joins and groups only its own rows
    **{f"part_{dim}": CacheTable(_PART_SQL, ("facts",), (dim,)) for dim in DIMENSIONS},
    "ngo_names": CacheTable("SELECT ngo_key, any_value(ngo_no) AS ngo_no,"
                            " first(grantee ORDER BY n DESC, grantee) FILTER (WHERE grantee IS NOT NULL) AS ngo_name"
                            " FROM (SELECT ngo_key, ngo_no, grantee, count(*) AS n FROM gs_cache.facts"
                            " WHERE ngo_key IS NOT NULL GROUP BY ngo_key, ngo_no, grantee)"
                            " GROUP BY ngo_key", ("facts",)),
}
"""The cache tables, each built when a query first reads it after the database changed (a page needs only some)."""

# one indicator's rows giving plan or fact (the indicator code is the parameter), with the report columns the
# filter and the per-report lists read, numbered (pos) in report_achievement's order: those lists then read
# one table, with no join and no sort of wide rows
_ACHIEVEMENT_SQL = """
SELECT (row_number() OVER (ORDER BY i.fact / nullif(i.plan, 0) NULLS LAST, f.rk))::INTEGER AS pos,
    f.rk, f.report_id, f.grantee, f.ngo_key, f.year, f.direction, f.grant_amount, f.has_error,
    i.plan, i.fact, i.fact / nullif(i.plan, 0) AS achievement, i.fact - i.plan AS gap,
    CASE WHEN i.plan IS NOT NULL AND i.fact IS NOT NULL THEN i.fact >= i.plan END AS met,
    (i.plan_qualifier IS NOT NULL OR i.fact_qualifier IS NOT NULL) AS approx, i.plan_qualifier, i.fact_qualifier
FROM gs_cache.ind i JOIN gs_cache.facts f ON f.rk = i.rk
WHERE i.indicator_no = (SELECT indicator_no FROM gs_cache.indicators WHERE indicator = ?)
ORDER BY pos
"""


def achievement_table(indicator: str) -> str:
    """The name of the cache table of ``indicator``'s per-report rows (registered on first use)."""
    name = "achievement_" + hashlib.sha1(indicator.encode()).hexdigest()[:16]
    CACHE_TABLES.setdefault(name, CacheTable(_ACHIEVEMENT_SQL, ("facts", "ind", "indicators"), (indicator,)))
    return name


def text_match_table(text: str) -> str:
    """The name of the cache table of the reports matching ``text`` (registered on first use): one scan of
    ``search_text`` (a match cannot span the separator unless the text holds it; then the three fields are
    searched one by one)."""
    name = "match_" + hashlib.sha1(text.encode()).hexdigest()[:16]
    if name not in CACHE_TABLES:
        if SEARCH_SEPARATOR not in text:
            table = CacheTable("SELECT rk FROM gs_cache.facts WHERE contains(search_text, ?)", ("facts",), (text,))
        else:
            fields = ("grantee", "title", "contract_no")
            table = CacheTable("SELECT rk FROM gs_cache.facts WHERE "
                               + " OR ".join(f"contains(lower(coalesce({f}, '')), ?)" for f in fields),
                               ("facts",), (text,) * 3)
        with _BUILD_LOCK:
            CACHE_TABLES[name] = table
            older = [n for n in CACHE_TABLES if n.startswith("match_")][:-TEXT_MATCH_TABLES]
            for old in older:
                del CACHE_TABLES[old]
                _FORGOTTEN.add(old)
    return name


_FINGERPRINT_PARTS = [
    "SELECT list(path ORDER BY path)::VARCHAR FROM duckdb_databases() WHERE database_name = current_database()",
    "SELECT bool_or(readonly)::VARCHAR FROM duckdb_databases() WHERE database_name = current_database()",
    "SELECT count(*)::VARCHAR FROM reports", "SELECT sum(epoch_us(loaded_at))::VARCHAR FROM reports",
    "SELECT count(*)::VARCHAR FROM findings", "SELECT sum(hash(report_id, severity, rule))::VARCHAR FROM findings",
    "SELECT count(*)::VARCHAR FROM indicators", "SELECT count(*)::VARCHAR FROM participants",
    "SELECT count(*)::VARCHAR FROM report_regions",
    "SELECT count(*)::VARCHAR || '/' || coalesce(sum(hash(finding_key, status, comment, reviewer, reviewed_at)), 0)::VARCHAR"
    " FROM finding_reviews",
    "SELECT count(*)::VARCHAR || '/' || coalesce(sum(epoch_us(loaded_at)), 0)::VARCHAR FROM contracts",
]
# one row per part (a UNION is planned far better than a row of scalar subqueries), then the state of every
# cache table ('name=fingerprint;…'; a catalog error when gs_cache is not attached yet)
_FINGERPRINT_SQL = (" UNION ALL ".join(f"SELECT {i} AS k, ({q}) AS v" for i, q in enumerate(_FINGERPRINT_PARTS))
                    + f" UNION ALL SELECT {len(_FINGERPRINT_PARTS)} AS k,"
                    f" (SELECT string_agg(name || '=' || fingerprint, ';') FROM {CACHE_DB}.state) AS v ORDER BY k")


# A database opened read-only (a published snapshot) cannot change while its instance is open, and only this
# process builds into that instance's gs_cache: once its tables are found current they stay current until this
# process builds or drops a cache table. Keyed by the instance's token (gs_cache.instance, made at attach); the
# value: (TABLES_BUILT when checked, the tables found current). Saves the fingerprint query (5-7 ms at 100 000
# reports) on every metric call of a dashboard.
_CURRENT_IN: dict[str, tuple[int, frozenset[str]]] = {}
_INSTANCE_SQL = f"SELECT token FROM {CACHE_DB}.instance"


_TOKEN_OF: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
"""cursor -> its instance's token, once it has one: a cursor never changes instance (saves a query per call)."""


def _instance_token(con) -> str | None:
    """The token of ``con``'s instance when its database is read-only (None: it may change, or gs_cache is not
    attached yet)."""
    try:
        return _TOKEN_OF[con]
    except (KeyError, TypeError):
        pass
    try:
        rows = con.execute(_INSTANCE_SQL).fetchall()  # (fetchall: a fetchone leaves the result unfinished)
    except duckdb.CatalogException:
        return None
    token = rows[0][0] if rows else None
    if token is not None:
        try:
            _TOKEN_OF[con] = token
        except TypeError:  # a connection-like object that cannot be weakly referenced: asked each time
            pass
    return token


def _mark_instance(con) -> None:
    """Give a newly attached gs_cache the token of its instance, when the instance's database is read-only."""
    readonly = con.execute("SELECT bool_or(readonly) FROM duckdb_databases()"
                           " WHERE database_name = current_database()").fetchall()[0][0]
    con.execute(f"CREATE OR REPLACE TABLE {CACHE_DB}.instance AS"
                " SELECT uuid()::VARCHAR AS token WHERE ?", [bool(readonly)])


def refresh_cache(con, names: Iterable[str] = tuple(CACHE_TABLES)) -> None:
    """Make the ``gs_cache`` tables ``names`` of ``con``'s database instance match the database's current
    state: any built from an earlier state is rebuilt (with the tables it reads) in one transaction."""
    names = frozenset(names)
    built_before = TABLES_BUILT[0]
    token = _instance_token(con)
    if token is not None:
        known = _CURRENT_IN.get(token)
        if known is not None and known[0] == built_before and names <= known[1]:
            return
    _refresh(con, names)
    if token is not None:  # current as of built_before: any table built since (here too) makes the next call check
        known = _CURRENT_IN.get(token)
        if len(_CURRENT_IN) > 64:  # instances closed long ago
            _CURRENT_IN.clear()
        prior = known[1] if known is not None and known[0] == built_before else frozenset()
        _CURRENT_IN[token] = (built_before, prior | names)


def _fingerprint(con) -> tuple[str, dict[str, str]]:
    """(the fingerprint of the database's current state, {cache table: the fingerprint it was built from})."""
    try:
        rows = con.execute(_FINGERPRINT_SQL).fetchall()
    except duckdb.CatalogException:
        _attach_cache(con)
        rows = con.execute(_FINGERPRINT_SQL).fetchall()
    # clear_cache()'s generation matters only where reports can be edited in place: a read-only database (a
    # published snapshot) is the same file for every process, whose cache one process built for all
    generation = "ro" if rows[1][1] == "true" else str(_GENERATION[0])
    return "|".join([_CODE_STAMP, generation] + [str(v) for _, v in rows[:-1]]), _built(rows[-1][1])


def _refresh(con, names: frozenset[str]) -> None:
    fingerprint, built = _fingerprint(con)
    if not _stale(names, built, fingerprint):
        return
    with _BUILD_LOCK:
        built = _built(con.execute(_FINGERPRINT_SQL).fetchall()[-1][1])  # another session may have built them
        order = _stale(names, built, fingerprint)
        if not order:
            return
        try:
            with store.transaction(con):
                for name in sorted(_FORGOTTEN):
                    con.execute(f"DROP TABLE IF EXISTS {CACHE_DB}.{name}")
                    con.execute(f"DELETE FROM {CACHE_DB}.state WHERE name = ?", [name])
                views = {r[0] for r in con.execute(
                    "SELECT view_name FROM duckdb_views() WHERE database_name = ?", [CACHE_DB]).fetchall()}
                for name in order:
                    table = CACHE_TABLES[name]
                    if name in views:  # a published table this process must build anew (see attach_published)
                        con.execute(f"DROP VIEW {CACHE_DB}.{name}")
                    con.execute(f"CREATE OR REPLACE TABLE {CACHE_DB}.{name} AS {table.query(con)}", list(table.params))
                    TABLES_BUILT[0] += 1
                    con.execute(f"DELETE FROM {CACHE_DB}.state WHERE name = ?", [name])
                    con.execute(f"INSERT INTO {CACHE_DB}.state VALUES (?, ?)", [name, fingerprint])
        except store.TransactionOpen:
            raise RuntimeError("metrics: the report tables changed inside an open transaction; "
                               "compute figures after it commits") from None
        _FORGOTTEN.clear()
        try:  # compress (and, on disk, write) the new tables now: until a checkpoint they are held uncompressed
            con.execute(f"CHECKPOINT {CACHE_DB}")
        except duckdb.Error:  # another transaction is writing: they are compressed at a later checkpoint
            pass


def _built(state: str | None) -> dict[str, str]:
    """The state column of the fingerprint query as {table: fingerprint it was built from}."""
    return dict(item.split("=", 1) for item in state.split(";")) if state else {}


def _stale(names: Iterable[str], built: dict[str, str], fingerprint: str) -> list[str]:
    """The tables to rebuild so that ``names`` are current, in build order (what a table reads comes first)."""
    order: list[str] = []

    def visit(name: str, needed: bool) -> None:
        if name in order:
            return
        stale = built.get(name) != fingerprint
        for dep in CACHE_TABLES[name].needs:
            visit(dep, stale and needed)  # a dependency matters only when this table is rebuilt
        if stale and needed:
            order.append(name)

    for name in names:
        visit(name, True)
    return order


def tables_read_by(sql: str) -> set[str]:
    """The ``gs_cache`` tables a query reads (what :func:`refresh_cache` must bring up to date for it)."""
    return set(_CACHE_NAME.findall(sql))


def cache_file(db: str | Path) -> Path:
    """The file beside a database that keeps its cache (grants.duckdb -> grants.cache.duckdb)."""
    return Path(db).with_suffix(".cache.duckdb")


def discard_cache_file(db: str | Path) -> None:
    """Delete a database's cache file (and its WAL): for whoever replaces the database wholesale."""
    cache = cache_file(db)
    for path in (cache, Path(f"{cache}.wal")):
        path.unlink(missing_ok=True)


def cache_path(con) -> Path | None:
    """Where the cache of ``con``'s database is kept (``cache_file``); None for an in-memory database."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()[0][0]
    if not path or path == ":memory:":
        return None
    return cache_file(path)


def _attach_cache(con) -> None:
    """Attach the cache database to ``con``'s instance, read-write even when the reports database is open
    read-only: the file beside the database, so that a restarted dashboard finds the tables of an unchanged
    database built (their fingerprints say so); in memory (COMPRESS: tables compressed as they are committed)
    when that file cannot be used (another dashboard holds it, a read-only folder, another DuckDB version)."""
    with _BUILD_LOCK:
        path = cache_path(con)
        if path is not None:
            quoted = str(path).replace("'", "''")
            try:
                con.execute(f"ATTACH IF NOT EXISTS '{quoted}' AS {CACHE_DB} (READ_WRITE, ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
            except duckdb.Error:
                path = None
        if path is None:
            con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {CACHE_DB} (READ_WRITE, COMPRESS, ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
        con.execute(f"CREATE TABLE IF NOT EXISTS {CACHE_DB}.state (name VARCHAR, fingerprint VARCHAR)")
        _mark_instance(con)


def clear_cache() -> None:
    """Rebuild the cached per-report tables on the next call (after editing report tables other than through
    store.save_files)."""
    with _BUILD_LOCK:
        _GENERATION[0] += 1


# ------------------------------------------------------------------------------------ published snapshots

PUBLISHED_DB = "gs_pub"
"""A snapshot's prebuilt cache, attached read-only beside the in-memory ``gs_cache`` (see attach_published)."""

PUBLISHED_ACHIEVEMENT = ("direct_beneficiaries",)
"""Indicators whose per-report achievement table is built into a snapshot (the plan/fact page's default)."""


def published_tables() -> list[str]:
    """The cache tables a snapshot is published with: every table registered at import, and the achievement
    tables of PUBLISHED_ACHIEVEMENT (text matches and other indicators are built by readers when asked)."""
    names = [n for n in CACHE_TABLES if not n.startswith(("match_", "achievement_"))]
    return names + [achievement_table(i) for i in PUBLISHED_ACHIEVEMENT]


PUBLISH_WORKERS = 2
"""Cache tables a publish builds at once. Most read the 100 000-row reports table, one DuckDB row group, which
one thread scans: side by side (each as soon as the tables it reads are built) they use the other CPUs, each
build with its share of the CPUs as DuckDB threads (on 2 CPUs one each: a build's parallel steps, merging
partial hash tables and sorts, cost more CPU than they save when the other build keeps the other CPU busy)."""


def build_published(snapshot: str | Path, workers: int = PUBLISH_WORKERS) -> int:
    """Build a new snapshot's cache tables into its cache file (cache_file), opening the snapshot read-only as
    every reader will, so that their fingerprints match; returns the snapshot's number of reports."""
    path = Path(snapshot).resolve()
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute(f"SET threads = {max(1, (os.cpu_count() or 1) // max(1, workers))}")  # (an integer)
        _attach_cache(con)
        build_side_by_side(con, published_tables(), workers)
        con.execute(f"CHECKPOINT {CACHE_DB}")
        return int(con.execute("SELECT count(*) FROM reports").fetchone()[0])
    finally:
        con.close()


def build_side_by_side(con, names: Iterable[str], workers: int = PUBLISH_WORKERS) -> None:
    """Build the stale tables of ``names`` (with the tables they read) on ``workers`` cursors of ``con``, each
    table in a transaction of its own as soon as the tables it reads are built: for a cache nobody reads yet (a
    snapshot being published), where the tables need not appear at one instant as refresh_cache makes them."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    with _BUILD_LOCK:
        fingerprint, built = _fingerprint(con)
        order = _stale(names, built, fingerprint)
        waiting = {name: set(CACHE_TABLES[name].needs) & set(order) for name in order}
        done: set[str] = set()

        def build(name: str) -> None:
            cur = con.cursor()
            try:
                table = CACHE_TABLES[name]
                with store.transaction(cur):
                    cur.execute(f"CREATE OR REPLACE TABLE {CACHE_DB}.{name} AS {table.query(cur)}", list(table.params))
                    cur.execute(f"DELETE FROM {CACHE_DB}.state WHERE name = ?", [name])
                    cur.execute(f"INSERT INTO {CACHE_DB}.state VALUES (?, ?)", [name, fingerprint])
            finally:
                cur.close()

        with ThreadPoolExecutor(max(1, workers)) as pool:
            running: dict = {}
            while waiting or running:
                for name in [n for n in order if n in waiting and waiting[n] <= done]:  # (in build order)
                    del waiting[name]
                    running[pool.submit(build, name)] = name
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()  # a failed build stops the publish with its error
                    done.add(running.pop(future))
                    TABLES_BUILT[0] += 1


def attach_published(con) -> None:
    """Attach a snapshot's prebuilt cache to a read-only connection: the cache file read-only (many processes
    may open it at once) as ``gs_pub``, an in-memory ``gs_cache`` holding a view of each of its tables with
    their state, so queries read them as they are and any table a reader needs beyond them (a text match,
    another indicator) is built in memory. Without a cache file (or when it cannot be opened), ``gs_cache``
    is in memory and built on first use."""
    with _BUILD_LOCK:
        attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        if CACHE_DB in attached:
            return
        con.execute(f"ATTACH ':memory:' AS {CACHE_DB} (READ_WRITE, COMPRESS, ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
        con.execute(f"CREATE TABLE IF NOT EXISTS {CACHE_DB}.state (name VARCHAR, fingerprint VARCHAR)")
        _mark_instance(con)
        path = cache_path(con)
        if path is None or not path.exists():
            return
        quoted = str(path).replace("'", "''")
        try:
            con.execute(f"ATTACH '{quoted}' AS {PUBLISHED_DB} (READ_ONLY)")
            rows = con.execute(f"SELECT name, fingerprint FROM {PUBLISHED_DB}.state").fetchall()
        except duckdb.Error:
            return
        for name, fingerprint in rows:
            if not re.fullmatch(r"\w+", name):
                continue
            con.execute(f"CREATE VIEW {CACHE_DB}.{name} AS SELECT * FROM {PUBLISHED_DB}.{name}")
            con.execute(f"INSERT INTO {CACHE_DB}.state VALUES (?, ?)", [name, fingerprint])
