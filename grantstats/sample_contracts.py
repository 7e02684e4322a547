"""A synthetic list of awarded grants (labelled synthetic) for a loaded archive: what the grantor would have sent.

Every stored report gets its contract (number, date, grantee, project, region, direction, amount, period; the
due date for about half of them, the rest left to the default), and about one contract in twelve is added for a
grant whose report never came, so that ``python -m grantstats sample-contracts --out FILE`` then ``ingest
--contracts FILE`` fills the «Сдача отчетов» page of the demonstration database.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from openpyxl import Workbook

from grantstats import catalog
from grantstats.sample import SYNTHETIC_MARK

HEADER = ["№ договора", "Дата договора", "Грантополучатель", "Наименование проекта", "Регион", "Направление",
          "Сумма гранта, тенге", "Дата начала", "Дата окончания", "Срок сдачи отчета"]


def write_contracts_list(con, out: str | Path, seed: int = 2024, missing_share: float = 1 / 12) -> dict[str, int]:
    """Write the contracts of the stored reports (and some whose report never came) to ``out`` (.xlsx)."""
    rng = random.Random(seed)
    rows = con.execute(
        "SELECT r.contract_no, r.contract_date, r.grantee, r.title, r.year, r.direction, r.grant_amount,"
        " r.period_start, r.period_end, (SELECT list(region ORDER BY share DESC, region) FROM report_regions g"
        "  WHERE g.report_id = r.report_id AND g.region IS NOT NULL) AS regions"
        " FROM reports r WHERE r.grantee IS NOT NULL AND r.title IS NOT NULL AND r.year IS NOT NULL"
        " ORDER BY r.year, r.report_id").fetchall()
    book = Workbook()
    sheet = book.active
    sheet.title = "Договоры"
    sheet.append([f"Реестр договоров о предоставлении государственных грантов — {SYNTHETIC_MARK}"])
    sheet.append([])
    sheet.append(HEADER)
    written = missing = 0
    for i, (number, day, grantee, title, year, direction, amount, start, end, regions) in enumerate(rows):
        region = ", ".join(catalog.name("region", code) for code in regions or [])
        due = end + timedelta(days=rng.choice((30, 45))) if end is not None and rng.random() < 0.5 else None
        sheet.append([number or f"{1000 + i}-ГГ", day, grantee, title, region, direction, amount, start, end, due])
        written += 1
        if rng.random() < missing_share:
            later = (end or start or day)
            sheet.append([f"{5000 + i}-ГГ", day, grantee, f"{title} (второй этап)", region, direction, amount, start,
                          end, later + timedelta(days=30) if later is not None else None])
            missing += 1
    for column in (2, 8, 9, 10):
        for cells in sheet.iter_cols(min_col=column, max_col=column, min_row=4):
            for cell in cells:
                cell.number_format = "DD.MM.YYYY"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return {"contracts": written + missing, "without_report": missing}
