"""The data-quality rules: each rule's code, default severity and titles (ru, kk, en).

Rules are data, as in DHIS2's validation rules. ``RULES`` names each rule once (code, default severity,
titles); ``checks.CHECKS`` is the list of checks, one row each. A check is either a comparison —
a left side, an operator, a right side (each side a small expression over the report: a sum of table
parts, an indicator's fact, a field) — or, where no comparison fits, a function that yields the
offending values. A finding keeps its rule code and its message's parameters (codes and figures); its text in
each language comes from ``messages.TEMPLATES`` (one template per check, in ru, kk and en). Adding a rule
is adding a row to ``checks.CHECKS`` and its template (and, for a new code, a row to ``RULES``).

Rule table (severity in brackets; see each row in ``CHECKS`` for the exact condition)

====================  ========  ===========================================================================
code                  severity  fires when
====================  ========  ===========================================================================
sum_mismatch          warning   gender or age parts (people) do not add up to the participants' total;
                      / error   a percent table's parts do not add up to 100 %; — error when off by more
                                than 10 % of the total (10 percentage points), warning below that.
                                Rounding is tolerated: a part converted from percent may be off by half a
                                person plus half a percent of the total, a whole percent by 0.5. A table
                                given wholly in percent is checked on its percents only.
                      warning   direct beneficiaries (fact) differ from the participants' total (always a
                                warning: the two are counted separately and may differ a little).
unit_mismatch         error     an indicator row's unit disagrees with its indicator's unit (e.g.
                                «тенге» beside «Количество охваченных НПО»), or an indicator counted in
                                people/organizations/tenge holds a percent — values not fixable.
                      warning   (given by the form reader through ``realign.realign_indicator_rows``) the
                                unit column showed labels and values one row apart; rows realigned and
                                the corrected values loaded.
budget_exceeds_grant  error     payroll + taxes + purchases (fact) exceed the grant amount.
implausible_value     error     a negative value; a fractional count of people or organizations; a value
                                above its ceiling in the catalog (people: the country's population; staff
                                and specialists: 999; money: 10 billion tenge); a year outside 2005 … next
                                year.
                      warning   an indicator's fact more than 10 × its plan; a category larger than the
                                participants' total; a value above the catalog's «unusual» threshold.
impossible_date       warning   a date that cannot be («31.02.2023»): named with its cell, its text kept.
category_age_conflict warning   more «Люди старшего возраста (от 50 лет)» than participants aged 46+;
                                more children than participants aged under 23 (only when an age table
                                is given; rounding of percent tables tolerated as above).
missing_field         warning   no region, year, grant amount, direction or direct beneficiaries (fact);
                                a text that could not be recognised counts as missing and is quoted.
duplicate_report      warning   (across reports, ``duplicates.refresh_cross_report_findings``) see that function.
outlier               info      (across reports, ``outliers.refresh_outlier_findings``) a figure beyond the
                      / warning median ± 3 MAD of its peers (same direction and years); warning beyond 5 MAD.
derived_from_percent  info      a participant table given in percent and converted to people;
                      warning   a percent table that could not be converted (no participants' total).
approximate_value     info      a value with a qualifier («около», «более», «не менее»…).
unread_part           warning   (given by the readers) a sheet or table of the file holds figures beside
                                labels the catalog knows but yields no report; a hidden registry column;
                                another table's header under a registry table (its rows not read).
                      info      rows of a registry sheet that are no reports, by row: totals, region
                                subtotals, a repeated header, notes and group rows with no figure.
personal_data         warning   a BIN cell that holds no organisation's BIN (an IIN, say): not stored.
====================  ========  ===========================================================================

Severity means: *error* — a figure of this report is wrong, leave the report out of totals when asked
(``metrics.Filter(exclude_errors=True)``); *warning* — check it, the figures are likely usable; *info* —
how a figure was obtained.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class RuleInfo:
    """A rule's code, default severity and names (ru, en, kk); `condition` is the rule table's line, in English."""

    code: str
    severity: str
    title_ru: str
    title_en: str
    title_kk: str
    condition: str


RULES: tuple[RuleInfo, ...] = (
    RuleInfo("sum_mismatch", WARNING, "Не сходятся суммы", "Parts do not add up",
             "Сомалар сәйкес келмейді",
             "gender/age parts ≠ total, percent parts ≠ 100 %, direct beneficiaries (fact) ≠ participants"),
    RuleInfo("unit_mismatch", ERROR, "Не та единица измерения (сдвиг строк)", "Unit mismatch (shifted rows)",
             "Өлшем бірлігі басқа (жолдар ығысқан)",
             "an indicator row's unit disagrees with its indicator's unit"),
    RuleInfo("budget_exceeds_grant", ERROR, "Расходы больше суммы гранта", "Spending exceeds the grant",
             "Шығыстар грант сомасынан асады",
             "payroll + taxes + purchases (fact) > grant amount"),
    RuleInfo("implausible_value", ERROR, "Неправдоподобное значение", "Implausible value",
             "Ақылға сыймайтын мән",
             "negative, fractional people, staff in the thousands, fact > 10 × plan, year out of range"),
    RuleInfo("category_age_conflict", WARNING, "Категории противоречат возрасту", "Categories contradict ages",
             "Санаттар жасқа қайшы",
             "elderly (50+) > participants aged 46+, children > participants aged under 23"),
    RuleInfo("missing_field", WARNING, "Не указано обязательное поле", "Missing field",
             "Міндетті өріс көрсетілмеген",
             "no region, year, grant amount, direction or direct beneficiaries"),
    RuleInfo("duplicate_report", WARNING, "Отчёт загружен дважды", "Duplicate report",
             "Есеп екі рет жүктелген",
             "the same contract (or grantee, title and year) in two files or twice in one file"),
    RuleInfo("outlier", INFO, "Выбивается среди сопоставимых отчетов", "Outlier among peer reports",
             "Салыстырмалы есептер арасында ерекшеленеді",
             "cost per beneficiary, plan achievement or participants per million ₸ beyond the median ± 3 MAD "
             "(log scale) of the reports of the same direction and years (grantstats.outliers)"),
    RuleInfo("derived_from_percent", INFO, "Таблица пересчитана из процентов", "Table converted from percent",
             "Кесте пайыздан қайта есептелген",
             "a participant table given in percent, converted to people"),
    RuleInfo("approximate_value", INFO, "Приблизительное значение", "Approximate value",
             "Шамамен алынған мән",
             "a value with a qualifier (about, at least, more than)"),
    RuleInfo("impossible_date", WARNING, "Невозможная дата", "Impossible date", "Мүмкін емес күн",
             "a date that cannot be (31.02.2023); its text is kept as typed"),
    RuleInfo("unread_part", WARNING, "Часть файла не прочитана", "Part of the file not read",
             "Файлдың бір бөлігі оқылмады",
             "a sheet or table with figures beside known labels that yields no report; a hidden column"),
    RuleInfo("personal_data", WARNING, "Личные данные не сохранены", "Personal data not stored",
             "Жеке деректер сақталмады",
             "a BIN cell that holds no organisation's BIN (12 digits, the 5th one 4–6): left out"),
    RuleInfo("unreadable_value", WARNING, "Значение не прочитано как число", "Value not read as a number",
             "Мән сан ретінде оқылмады",
             "a figure's cell holds no one number: two figures, a range, «1.000» (1 or 1 000?), an Excel error, "
             "a date; left empty, its text kept"),
    RuleInfo("plan_fact_one_cell", WARNING, "Одно значение на план и факт", "One value for plan and fact",
             "Жоспар мен нақтыға бір мән",
             "an indicator's plan and fact columns merged into one cell with one value: taken as both, as the sheet "
             "shows it, for a person to confirm"),
)
RULES_BY_CODE: dict[str, RuleInfo] = {r.code: r for r in RULES}


def rule_titles(codes: Iterable[object], lang: str) -> list[str]:
    """The name of each rule code in `lang` (ru, kk or en); a code not in RULES stays as it is."""
    return [getattr(RULES_BY_CODE[c], f"title_{lang}") if c in RULES_BY_CODE else str(c) for c in codes]
