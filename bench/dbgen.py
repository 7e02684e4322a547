"""A synthetic archive of N reports built straight into DuckDB (SQL over range()), with the real schema.

Distributions: regions skewed (Zipf-like: the cities and large oblasts hold most grants; 6 % national,
8 % in two regions, 2 % not stated), directions skewed, years 2015-2025 growing, NGOs reused (about one
NGO per four reports, a few large ones), grant amounts log-normal (median ~12 M ₸), multi-year grants
12 %; per report the nine to eleven indicators with plan/fact, gender (2), age (7) and categories on
average (eight of the ten categories) — about 27 indicator and participant rows per report — and a finding for one report in eight.
Every random draw is a hash of the row number, so the database is the same on every run.
"""

from __future__ import annotations

import time
from pathlib import Path

from grantstats import catalog, outliers, store
from grantstats.metrics import cache
from grantstats.store import FINDING_KEY_SQL

GENERATOR_VERSION = 7  # bump to rebuild cached databases when the generator changes


def _u(expr: str, salt: str) -> str:
    """A uniform draw in [0, 1) from a hash of `expr` and a salt."""
    return f"((hash({expr}, '{salt}') % 1000003)::DOUBLE / 1000003)"


def _pick(codes: list[str], weights: list[float], u: str) -> str:
    """A CASE choosing a code by cumulative weights for the uniform draw `u`."""
    total = sum(weights)
    acc, parts = 0.0, []
    for code, w in zip(codes[:-1], weights[:-1]):
        acc += w / total
        parts.append(f"WHEN {u} < {acc:.6f} THEN '{code}'")
    return f"CASE {' '.join(parts)} ELSE '{codes[-1]}' END"


def build(path: Path, reports: int, log=print) -> None:
    """Write a fresh database of `reports` synthetic reports at `path`."""
    t0 = time.perf_counter()
    for p in (path, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    cache.discard_cache_file(path)  # the dashboard's cache of the database built before
    con = store.connect(path)
    regions = [c for c in catalog.codes("region") if c != "KZ"]
    region_w = [1 / (i + 1) ** 0.8 for i in range(len(regions))]
    directions = catalog.codes("direction")
    direction_w = [1 / (i + 1) ** 0.6 for i in range(len(directions))]
    years = list(range(2015, 2026))
    year_w = [1 + 0.25 * i for i in range(len(years))]
    ngos = max(4, reports // 4)
    con.execute("SET enable_progress_bar = false")
    # NGO k: Zipf-ish reuse (a few large NGOs), a home region
    con.execute(f"""
        CREATE TEMP TABLE gen AS
        SELECT i,
               (floor(pow({_u('i', 'ngo')}, 2.2) * {ngos}))::BIGINT AS ngo,
               {_pick([str(y) for y in years], year_w, _u('i', 'year'))}::INTEGER AS year,
               {_pick(directions, direction_w, _u('i', 'dir'))} AS direction,
               {_u('i', 'rroll')} AS rroll,
               {_u('i', 'multi')} < 0.12 AS multi,
               round(exp(16.3 + 0.8 * sqrt(-2 * ln(greatest({_u('i', 'a1')}, 1e-9))) * cos(2 * pi() * {_u('i', 'a2')})), -3) AS amount,
               [30, 50, 80, 100, 150, 200, 300, 500, 1000, 2000][1 + (hash(i, 'dp') % 10)::INTEGER] AS direct_plan,
               0.6 + 0.75 * {_u('i', 'df')} AS direct_ratio,
               {_u('i', 'nofact')} < 0.1 AS no_fact,
               {_u('i', 'err')} AS err
        FROM range({reports}) t(i)""")
    con.execute(f"""
        CREATE TEMP TABLE ngo AS
        SELECT k, {_pick(regions, region_w, _u('k', 'home'))} AS home,
               ['ОО', 'ОФ', 'ЧУ', 'КФ'][1 + (hash(k, 'form') % 4)::INTEGER] || ' «' ||
               ['Жастар', 'Болашак', 'Шанырак', 'Умит', 'Достык', 'Алау', 'Кемел', 'Сана', 'Мейирим', 'Арман']
               [1 + (hash(k, 'w') % 10)::INTEGER] || ' ' || k || '»' AS grantee
        FROM range({ngos}) t(k)""")
    con.execute("""
        INSERT INTO reports
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0') AS report_id, 'contract:' || g.i || '-гг|' || g.year AS identity,
               n.grantee, lower(replace(replace(n.grantee, '«', ''), '»', '')) AS ngo_key,
               'Социальный проект №' || g.i AS title, g.i || '-ГГ' AS contract_no,
               make_date(g.year, 1 + (hash(g.i, 'm') % 6)::INTEGER, 1 + (hash(g.i, 'd') % 28)::INTEGER) AS contract_date,
               make_date(g.year, 2 + (hash(g.i, 'm') % 6)::INTEGER, 1) AS period_start,
               make_date(g.year + CASE WHEN g.multi AND g.year < 2025 THEN 1 ELSE 0 END, 11, 28) AS period_end,
               g.year, g.direction, g.direction AS direction_text, NULL AS region_text,
               greatest(g.amount, 500000) AS grant_amount, NULL, NULL, make_date(g.year, 12, 15),
               CASE WHEN g.no_fact THEN NULL ELSE round(g.direct_plan * g.direct_ratio) END AS participants_total, NULL,
               'bench-' || (g.i // 40) AS file_sha256, 'bench_' || (g.i // 40) || '.xlsx' AS file_name,
               '/archive/bench_' || (g.i // 40) || '.xlsx' AS source_path, 'Лист1', 'A' || (5 + g.i % 40) AS cell,
               CASE WHEN (hash(g.i, 'lay') % 10)::BIGINT < 7 THEN 'form' ELSE 'registry' END, now()::TIMESTAMP, NULL,
               NULL AS bin, NULL AS field_texts
        FROM gen g JOIN ngo n ON n.k = g.ngo ORDER BY g.year, g.i""")
    # regions: 6 % national, 8 % two regions, 2 % none, the rest the NGO's home
    con.execute(f"""
        INSERT INTO report_regions
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), CASE WHEN g.rroll < 0.06 THEN 'KZ' WHEN g.rroll < 0.14 AND part = 1
               THEN {_pick(regions, region_w, _u('g.i', 'second'))} WHEN g.rroll >= 0.14 AND g.rroll < 0.16 THEN NULL
               ELSE n.home END,
               CASE WHEN g.rroll >= 0.06 AND g.rroll < 0.14 THEN 0.5 ELSE 1.0 END
        FROM gen g JOIN ngo n ON n.k = g.ngo, range(2) p(part)
        WHERE part = 0 OR (g.rroll >= 0.06 AND g.rroll < 0.14)""")
    con.execute("""
        INSERT INTO report_amounts
        SELECT 'B' || lpad(i::VARCHAR, 9, '0'), year + y, round(greatest(amount, 500000) * (0.5 - 0.1 * y * 2 + 0.1), -3)
        FROM gen, range(2) t(y) WHERE multi AND year < 2025""")
    indicator_rows = {
        "direct_beneficiaries": ("человек", "g.direct_plan", "CASE WHEN g.no_fact THEN NULL ELSE round(g.direct_plan * g.direct_ratio) END"),
        "indirect_beneficiaries": ("человек", "[5000, 10000, 50000, 140000, 300000][1 + (hash(g.i, 'ip') % 5)::INTEGER]",
                                   "round([5000, 10000, 50000, 140000, 300000][1 + (hash(g.i, 'ip') % 5)::INTEGER] * (0.5 + 2.5 * " + _u("g.i", "if") + "), -2)"),
        "staff": ("человек", "2 + (hash(g.i, 'st') % 7)::BIGINT", "2 + (hash(g.i, 'st') % 7)::BIGINT"),
        "specialists": ("человек", "2 + (hash(g.i, 'sp') % 14)::BIGINT", "greatest(0, 2 + (hash(g.i, 'sp') % 14)::BIGINT + (hash(g.i, 'sq') % 5)::BIGINT - 2)"),
        "ngos_covered": ("организация", "(hash(g.i, 'nc') % 11)::BIGINT", "greatest(0, (hash(g.i, 'nc') % 11)::BIGINT + (hash(g.i, 'nd') % 6)::BIGINT - 2)"),
        "payroll": ("тенге", "round(g.amount * 0.3, -3)", "round(g.amount * 0.3, -3)"),
        "taxes": ("тенге", "round(g.amount * 0.033)", "round(g.amount * 0.033)"),
        "economy_contribution": ("тенге", "round(g.amount * 0.35, -3)", "round(g.amount * 0.35 * (0.8 + 0.2 * " + _u("g.i", "ec") + "), -3)"),
        "partners": ("организация", "1 + (hash(g.i, 'pa') % 10)::BIGINT", "greatest(0, 1 + (hash(g.i, 'pa') % 10)::BIGINT + (hash(g.i, 'pb') % 5)::BIGINT - 1)"),
        "direct_beneficiaries_vulnerable": ("человек", "round(g.direct_plan * 0.3)", "round(g.direct_plan * 0.3 * (0.8 + 0.4 * " + _u("g.i", "vu") + "))"),
        "specialists_vulnerable": ("человек", "1 + (hash(g.i, 'sv') % 3)::BIGINT", "1 + (hash(g.i, 'sv') % 3)::BIGINT"),
    }
    for code, (unit, plan, fact) in indicator_rows.items():
        where = "WHERE g.year <= 2021 AND (hash(g.i, 'old') % 2)::BIGINT = 0" if code.endswith("_vulnerable") else ""
        qual = f"CASE WHEN hash(g.i, 'q{code}') % 100 < 5 THEN 'approx' END" if code == "indirect_beneficiaries" else "NULL"
        con.execute(f"""
            INSERT INTO indicators
            SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), '{code}', '{unit}', '{code}', ({plan})::DOUBLE, NULL, NULL,
                   ({fact})::DOUBLE, {qual}, NULL, 'Лист1', NULL, NULL
            FROM gen g {where} ORDER BY g.year, g.i""")
    ages = catalog.codes("age")
    age_share = [0.08, 0.27, 0.22, 0.15, 0.16, 0.08, 0.04]
    age_list = "[" + ", ".join(f"'{a}'" for a in ages) + "]"
    share_list = "[" + ", ".join(str(s) for s in age_share) + "]"
    total = "round(g.direct_plan * g.direct_ratio)"
    con.execute(f"""
        INSERT INTO participants
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), 'gender', b, CASE WHEN b = 'male'
               THEN round({total} * (0.3 + 0.3 * {_u('g.i', 'male')})) ELSE {total} - round({total} * (0.3 + 0.3 * {_u('g.i', 'male')})) END,
               NULL, (hash(g.i, 'pct') % 5)::BIGINT = 0, NULL, 'Лист1', NULL
        FROM gen g, (VALUES ('male'), ('female')) v(b) ORDER BY g.year, g.i""")
    con.execute(f"""
        INSERT INTO participants
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), 'age', {age_list}[k], round({total} * {share_list}[k]), NULL,
               (hash(g.i, 'pct') % 5)::BIGINT = 0, NULL, 'Лист1', NULL
        FROM gen g, range(1, {len(ages) + 1}) t(k) ORDER BY g.year, g.i""")
    categories = catalog.codes("category")
    cat_list = "[" + ", ".join(f"'{c}'" for c in categories) + "]"
    con.execute(f"""
        INSERT INTO participants
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), 'category', {cat_list}[k], round({total} * 0.6 * {_u('g.i * 16 + k', 'cv')}),
               NULL, false, NULL, 'Лист1', NULL
        FROM gen g, range(1, {len(categories) + 1}) t(k) WHERE hash(g.i, k) % 5 <> 0
        ORDER BY g.year, g.i""")
    con.execute("""
        INSERT INTO activities
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), k, 'Задача ' || (1 + k // 3) || '. Вовлечение населения',
               'Мероприятие ' || k || ': тренинг для участников проекта', 'июнь ' || g.year || ' г.',
               'г. Шымкент', (20 + hash(g.i, k) % 80)::VARCHAR || ' человек', '1', '1'
        FROM gen g, range(1, 7) t(k) WHERE k <= 2 + hash(g.i, 'acts') % 5
        ORDER BY g.year, g.i""")
    rules = [("sum_mismatch", "error"), ("implausible_value", "warning"), ("unit_mismatch", "error"),
             ("approximate_value", "info"), ("missing_field", "warning"), ("category_above_total", "warning"),
             ("budget_exceeds_grant", "error"), ("duplicate_report", "warning")]
    rule_list = "[" + ", ".join(f"('{r}', '{s}')" for r, s in rules) + "]"
    con.execute(f"""
        INSERT INTO findings (report_id, rule, severity, message_ru, message_en, file_name, sheet, cell)
        SELECT 'B' || lpad(g.i::VARCHAR, 9, '0'), r[1], r[2], 'Замечание ' || r[1], 'Finding ' || r[1],
               'bench_' || (g.i // 40) || '.xlsx', 'Лист1', 'C' || (10 + (hash(g.i, 'cell') % 40)::BIGINT)
        FROM (SELECT *, {rule_list}[1 + (hash(i, 'rule') % {len(rules)})::INTEGER] AS r FROM gen WHERE err < 0.125) g""")
    con.execute("""
        INSERT INTO files SELECT DISTINCT 'bench-' || (i // 40), 'bench_' || (i // 40) || '.xlsx', '/archive/bench_' || (i // 40) || '.xlsx', 20000,
               'form', now()::TIMESTAMP, 40 FROM gen""")
    # issue #17: the outlier findings a load computes, and staff's reviews of one finding in ten
    with store.transaction(con):
        outliers.refresh_outlier_findings(con)
    con.execute(f"""
        INSERT INTO finding_reviews
        SELECT DISTINCT ON (k) k, report_id, rule, sheet, cell, CASE WHEN h % 3 = 0 THEN 'returned' ELSE 'accepted' END,
               'bench', 'bench', now()::TIMESTAMP
        FROM (SELECT f.*, {FINDING_KEY_SQL.format(f='f')} AS k, hash(f.report_id, f.rule) AS h FROM findings f)
        WHERE h % 10 = 0""")
    # the grantor's contracts list (issue #17): every report's contract (its identity is the key), half with a
    # due date of their own, and one in twenty whose report never came
    con.execute("""
        INSERT INTO contracts
        SELECT identity, contract_no, lower(contract_no), contract_date, grantee, ngo_key, title, year, direction,
               direction, NULL, grant_amount, NULL, period_start, period_end,
               CASE WHEN hash(report_id, 'due') % 2 = 0 THEN period_end + 45 END, NULL,
               'contracts', 'contracts.xlsx', 'Договоры', 'A' || rowid, now()::TIMESTAMP
        FROM reports""")
    con.execute("""
        INSERT INTO contracts
        SELECT 'contract:' || i || '-нет|' || year, i || '-НЕТ', i || ' нет', make_date(year, 3, 1), 'ОО «Без отчета ' || i || '»',
               'без отчета ' || i, 'Проект без отчета №' || i, year, direction, direction, NULL, 5000000, NULL,
               make_date(year, 4, 1), make_date(year, 11, 30), NULL, NULL, 'contracts', 'contracts.xlsx', 'Договоры',
               NULL, now()::TIMESTAMP
        FROM gen WHERE hash(i, 'nocontract') % 20 = 0""")
    con.execute("""
        INSERT INTO contract_regions
        SELECT r.identity, g.region, g.share FROM reports r JOIN report_regions g ON g.report_id = r.report_id""")
    con.execute("""
        INSERT INTO contract_regions SELECT contract_key, 'KZ-75', 1.0 FROM contracts WHERE contract_no LIKE '%-НЕТ'""")
    con.execute("INSERT INTO contract_files VALUES ('contracts', 'contracts.xlsx', '/archive/contracts.xlsx', 1, now()::TIMESTAMP, 0)")
    # as the duplicate check leaves it after each load
    con.execute("INSERT INTO quality_report_sources SELECT report_id, file_sha256, file_name, sheet, cell FROM reports")
    con.execute("DROP TABLE gen")
    con.execute("DROP TABLE ngo")
    con.execute("CHECKPOINT")
    counts = store.table_counts(con)
    con.close()
    log(f"  built {path.name}: {counts['reports']} reports, {counts['indicators']} indicator and "
        f"{counts['participants']} participant rows in {time.perf_counter() - t0:.1f} s")


def ensure(path: Path, reports: int, log=print) -> None:
    """Build the database unless one of this size and generator version is already there."""
    stamp = Path(str(path) + ".stamp")
    want = f"{reports}:{GENERATOR_VERSION}"
    if path.exists() and stamp.exists() and stamp.read_text() == want:
        return
    stamp.unlink(missing_ok=True)
    build(path, reports, log=log)
    stamp.write_text(want)
