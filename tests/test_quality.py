"""Data-quality rules: for each rule a report that triggers it and one that must not; figures worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from grantstats.findings import checks, rules
from grantstats.findings import messages as finding_messages
from grantstats.model import IndicatorValue, Number, ParticipantValue, Report, Where
from grantstats.numbers import parse_number, percent_to_people

SHEET = "Отчёт"


def at(cell: str) -> Where:
    return Where(SHEET, cell)


INDICATOR_ROWS = {  # code: (plan, fact) — consistent with the grant of 10 000 000 and 60 participants
    "direct_beneficiaries": (50, 60),
    "indirect_beneficiaries": (1000, 1200),
    "staff": (3, 3),
    "specialists": (5, 5),
    "ngos_covered": (2, 2),
    "payroll": (3_000_000, 3_000_000),
    "taxes": (300_000, 300_000),
    "economy_contribution": (2_000_000, 2_000_000),
    "partners": (4, 4),
}
UNITS = {"direct_beneficiaries": "человек", "indirect_beneficiaries": "человек", "staff": "человек",
         "specialists": "человек", "ngos_covered": "организация", "payroll": "тенге", "taxes": "тенге",
         "economy_contribution": "тенге", "partners": "организация/человек"}
AGE = {"13-16": 10, "17-22": 20, "23-27": 10, "28-32": 5, "33-45": 5, "46-58": 6, "59+": 4}  # = 60
CATEGORIES = {"children": 10, "youth": 30, "elderly": 8}  # children ≤ 10+20, elderly ≤ 6+4


def clean_report() -> Report:
    """A consistent report: every table adds up, every field is given, nothing is approximate."""
    report = Report(
        grantee="ОО «Корган-М»", title="Молодежный корпус", contract_no="72", contract_date=date(2023, 4, 21),
        year=2023, direction="4", direction_text="поддержка молодежной политики", regions=[("KZ-79", 1.0)],
        region_text="г. Шымкент", grant_amount=Number(10_000_000.0, raw="10 000 000"),
        participants_total=Number(60.0, raw="60"), source=at("A1"),
        field_at={"grant_amount": at("B6"), "participants_total": at("B40"), "region": at("B3"), "year": at("B4")},
    )
    for row, (code, (plan, fact)) in enumerate(INDICATOR_ROWS.items(), start=20):
        report.indicators[code] = IndicatorValue(code, Number(float(plan), raw=str(plan)),
                                                 Number(float(fact), raw=str(fact)), UNITS[code], None,
                                                 at(f"D{row}"), at(f"E{row}"))
    # one row as in a registry: the total in B40, gender in C–D, ages in E–K, categories in L–N
    report.participants += [ParticipantValue("gender", "male", 25.0, at=at("C40")),
                            ParticipantValue("gender", "female", 35.0, at=at("D40"))]
    report.participants += [ParticipantValue("age", b, float(n), at=at(f"{'EFGHIJK'[i]}40")) for i, (b, n) in enumerate(AGE.items())]
    report.participants += [ParticipantValue("category", b, float(n), at=at(f"{'LMN'[i]}40"))
                            for i, (b, n) in enumerate(CATEGORIES.items())]
    return report


def part(report: Report, dimension: str, bucket: str) -> ParticipantValue:
    return next(p for p in report.participants if p.dimension == dimension and p.bucket == bucket)


def set_parts(report: Report, dimension: str, values: dict[str, float], percent: bool = False, row: int = 40) -> None:
    """Replace a table (cells from column C of `row`); with percent, the values are percents converted
    against the participants' total."""
    report.participants = [p for p in report.participants if p.dimension != dimension]
    total = report.participants_total.value
    for i, (bucket, value) in enumerate(values.items()):
        if percent:
            people = percent_to_people(value, total) if total is not None else None
            report.participants.append(ParticipantValue(dimension, bucket, people, percent=value, derived=True,
                                                        raw=f"{value:g}%", at=at(f"{'CDEFGHI'[i]}{row}")))
        else:
            report.participants.append(ParticipantValue(dimension, bucket, value, at=at(f"{'CDEFGHI'[i]}{row}")))


def findings(report: Report, rule: str | None = None):
    out = checks.findings_for(report)
    return [f for f in out if rule is None or f.rule == rule]


def only(report: Report, rule: str):
    found = findings(report, rule)
    assert len(found) == 1, [f.message_en for f in found]
    return found[0]


# ---------------------------------------------------------------------------------------- clean


def test_clean_consistent_report_has_no_finding():
    assert findings(clean_report()) == []


def test_rule_table_lists_every_rule_with_a_check_and_a_severity():
    codes = [r.code for r in rules.RULES]
    assert codes == ["sum_mismatch", "unit_mismatch", "budget_exceeds_grant", "implausible_value",
                     "category_age_conflict", "missing_field", "duplicate_report", "outlier", "derived_from_percent",
                     "approximate_value", "impossible_date", "unread_part", "personal_data", "unreadable_value",
                     "plan_fact_one_cell"]
    assert all(r.severity in rules.SEVERITIES for r in rules.RULES)
    # duplicate_report and outlier run in SQL; unread_part is given by the readers, which see the whole file
    assert {c.rule for c in checks.CHECKS} == set(codes) - {"duplicate_report", "outlier", "unread_part"}
    table = {row["code"]: row for row in checks.rule_table()}
    assert table["sum_mismatch"]["checks"].startswith("gender_parts_sum")


def test_adding_a_rule_is_adding_a_row(monkeypatch):
    row = checks.Check("budget_exceeds_grant", "payroll_within_grant", left=checks.fact("payroll"), op="<=",
                        right=checks.constant(1_000_000))
    monkeypatch.setattr(checks, "CHECKS", checks.CHECKS + [row])
    monkeypatch.setitem(finding_messages.TEMPLATES, "payroll_within_grant", {
        "rule": "budget_exceeds_grant", "ru": "ФОТ {left} > {right}", "kk": "ЕТҚ {left} > {right}",
        "en": "Payroll {left} > {right}"})
    found = only(clean_report(), "budget_exceeds_grant")
    assert found.message_en == "Payroll 3\u00a0000\u00a0000 > 1\u00a0000\u00a0000"
    assert finding_messages.message(found.params, "kk") == "ЕТҚ 3\u00a0000\u00a0000 > 1\u00a0000\u00a0000"
    assert (found.severity, found.cell) == ("error", "E25")


# ---------------------------------------------------------------------------------------- sum_mismatch


def test_gender_parts_short_of_total_is_a_warning_naming_the_values():
    report = clean_report()
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    set_parts(report, "age", {"13-16": 20, "17-22": 20, "23-27": 10, "28-32": 10, "33-45": 0, "46-58": 6, "59+": 4})
    set_parts(report, "gender", {"male": 20, "female": 45})
    found = only(report, "sum_mismatch")
    assert found.severity == "warning"  # 65 vs 70: off by 5, within 10 % of 70
    assert found.message_ru == ("Сумма по полу (мужчин 20 + женщин 45 = 65) не равна общему числу участников 70:"
                                " расхождение 5")
    assert found.message_en == "Gender parts (male 20 + female 45 = 65) do not add up to the participants' total 70: off by 5"
    assert (found.sheet, found.cell) == (SHEET, "B40")  # the table's total


def test_gender_parts_off_by_more_than_ten_percent_is_an_error():
    report = clean_report()
    set_parts(report, "gender", {"male": 20, "female": 30})  # 50 vs 60: off by 10 > 6
    assert only(report, "sum_mismatch").severity == "error"


def test_age_parts_that_add_up_give_nothing_and_parts_that_do_not_give_a_finding():
    report = clean_report()
    set_parts(report, "age", {**AGE, "59+": 5})  # 61 vs 60
    found = only(report, "sum_mismatch")
    assert "= 61" in found.message_en and found.severity == "warning"


def test_percent_gender_table_converted_from_30_and_70_percent_adds_up_exactly():
    report = clean_report()
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    set_parts(report, "age", {"13-16": 20, "17-22": 20, "23-27": 10, "28-32": 10, "33-45": 0, "46-58": 6, "59+": 4})
    set_parts(report, "gender", {"male": 30, "female": 70}, percent=True)  # 21 + 49 = 70
    assert findings(report, "sum_mismatch") == []


def test_age_percents_converted_separately_may_miss_the_total_by_rounding_only():
    report = clean_report()
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    # 6 × 15 % + 10 % = 100 %; 15 % of 70 = 10.5 -> 11 each, so the people add up to 6 × 11 + 7 = 73, not 70
    set_parts(report, "age", {"13-16": 15, "17-22": 15, "23-27": 15, "28-32": 15, "33-45": 15, "46-58": 15, "59+": 10},
              percent=True)
    assert sum(p.people for p in report.participants if p.dimension == "age") == 73
    set_parts(report, "gender", {"male": 30, "female": 40})
    assert findings(report, "sum_mismatch") == []


def test_age_percents_summing_to_95_are_a_sum_mismatch_as_in_the_example_report():
    report = clean_report()
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    set_parts(report, "gender", {"male": 30, "female": 70}, percent=True)
    set_parts(report, "age", {"17-22": 25, "23-27": 30, "28-32": 30, "33-45": 10}, percent=True)
    found = only(report, "sum_mismatch")
    assert found.message_ru == "Проценты по возрасту в сумме не дают 100%: 17–22 года 25% + 23–27 лет 30% + 28–32 года 30% + 33–45 лет 10% = 95%"
    assert found.severity == "warning"  # 5 points off, within 10
    assert found.cell == "B40"


def test_a_table_in_another_row_than_the_total_points_at_its_own_first_cell():
    report = clean_report()  # as in a form: the gender table's total in B40, the age table below it
    set_parts(report, "age", {**AGE, "59+": 5}, row=47)
    assert only(report, "sum_mismatch").cell == "C47"


def test_percents_off_by_whole_percent_rounding_only_are_not_flagged():
    report = clean_report()
    set_parts(report, "age", {"17-22": 33, "23-27": 33, "28-32": 33}, percent=True)  # 99 %, 3 parts may be 1.5 off
    assert findings(report, "sum_mismatch") == []


def test_direct_beneficiaries_differing_from_participants_is_a_warning():
    report = clean_report()
    report.indicators["direct_beneficiaries"].fact = Number(45.0, raw="45")
    found = only(report, "sum_mismatch")
    assert found.severity == "warning" and found.cell == "E20"
    assert found.message_en == "Direct beneficiaries (fact) 45 differ from the participants' total 60: off by 15"


def test_direct_beneficiaries_with_at_least_qualifier_below_the_total_is_consistent():
    report = clean_report()
    report.indicators["direct_beneficiaries"].fact = parse_number("не менее 50")  # 50…∞ holds 60
    assert findings(report, "sum_mismatch") == []


# ---------------------------------------------------------------------------------------- unit_mismatch


def test_unit_of_another_indicator_in_a_row_is_an_error():
    report = clean_report()
    report.indicators["ngos_covered"].unit = "тенге"
    report.indicators["ngos_covered"].label = "Количество охваченных НПО"
    found = only(report, "unit_mismatch")
    assert found.severity == "error" and found.cell == "E24"
    assert "«Количество охваченных НПО»" in found.message_ru and "«тенге»" in found.message_ru
    assert "«организация»" in found.message_ru


@pytest.mark.parametrize("unit", ["организация", "ед.", "НПО", "organizations"])
def test_unit_spelled_otherwise_but_meaning_the_same_is_fine(unit):
    report = clean_report()
    report.indicators["ngos_covered"].unit = unit
    assert findings(report, "unit_mismatch") == []


def test_partners_counted_in_people_or_organizations_is_fine():
    report = clean_report()
    report.indicators["partners"].unit = "человек"
    assert findings(report) == []


def test_percent_where_people_were_asked_for_is_a_unit_mismatch():
    report = clean_report()
    report.indicators["staff"].fact = parse_number("100%")
    found = only(report, "unit_mismatch")
    assert found.severity == "error" and found.cell == "E22" and "«100%»" in found.message_ru


# ---------------------------------------------------------------------------------------- budget


def test_spending_above_the_grant_is_an_error_naming_the_sum():
    report = clean_report()
    report.indicators["payroll"].fact = Number(6_000_000.0)
    report.indicators["taxes"].fact = Number(600_000.0)
    report.indicators["economy_contribution"].fact = Number(4_000_000.0)  # 10 600 000 > 10 000 000
    found = only(report, "budget_exceeds_grant")
    assert found.severity == "error"
    nb = "\u00a0"
    assert f"= 10{nb}600{nb}000" in found.message_en and f"grant amount 10{nb}000{nb}000 by 600{nb}000" in found.message_en
    assert found.cell == "E25"


def test_spending_equal_to_the_grant_is_fine():
    report = clean_report()
    report.indicators["economy_contribution"].fact = Number(6_700_000.0)  # 3 000 000 + 300 000 + 6 700 000
    assert findings(report, "budget_exceeds_grant") == []


# ---------------------------------------------------------------------------------------- implausible


def test_negative_value_is_an_error():
    report = clean_report()
    report.indicators["staff"].fact = Number(-3.0, raw="-3")
    found = only(report, "implausible_value")
    assert found.severity == "error" and found.cell == "E22" and found.message_en.endswith("= -3")


def test_fractional_people_is_an_error_but_a_converted_percent_is_not():
    report = clean_report()
    report.indicators["direct_beneficiaries"].plan = Number(50.5, raw="50,5")
    found = only(report, "implausible_value")
    assert found.severity == "error" and found.cell == "D20" and "= 50,5" in found.message_ru
    report = clean_report()
    part(report, "gender", "male").people = 24.5
    assert only(report, "implausible_value").cell == "C40"


def test_fractional_tenge_is_fine():
    report = clean_report()
    report.indicators["taxes"].fact = Number(300_000.5)
    report.indicators["taxes"].plan = Number(300_000.5)
    assert findings(report) == []


def test_staff_in_the_thousands_is_an_error_and_999_is_not():
    report = clean_report()
    report.indicators["specialists"].fact = Number(2_160_000.0)
    report.indicators["specialists"].plan = Number(999.0)
    found = findings(report, "implausible_value")
    assert [(f.cell, f.severity) for f in found if "Implausibly many" in f.message_en] == [("E23", "error")]


def test_fact_more_than_ten_times_plan_is_a_warning_and_exactly_ten_times_is_not():
    report = clean_report()
    report.indicators["indirect_beneficiaries"].fact = Number(10_001.0)  # plan 1000
    found = only(report, "implausible_value")
    assert found.severity == "warning" and found.cell == "E21"
    report.indicators["indirect_beneficiaries"].fact = Number(10_000.0)
    assert findings(report, "implausible_value") == []


def test_year_outside_the_programme_is_an_error():
    report = clean_report()
    report.year = 2004
    found = only(report, "implausible_value")
    assert found.severity == "error" and "2004" in found.message_en and found.cell == "B4"
    report.year = 2005
    report.contract_date = date(2005, 1, 10)
    assert findings(report, "implausible_value") == []
    report.contract_date = date(checks.last_programme_year() + 1, 1, 1)
    assert only(report, "implausible_value").severity == "error"


def test_category_larger_than_total_is_a_warning():
    report = clean_report()
    part(report, "category", "youth").people = 61.0
    found = only(report, "implausible_value")
    assert found.severity == "warning" and found.cell == "M40"


# ---------------------------------------------------------------------------------------- category / age


def test_more_elderly_than_participants_aged_46_and_over_is_a_conflict():
    report = clean_report()
    part(report, "category", "elderly").people = 11.0  # 46-58: 6 + 59+: 4 = 10
    found = only(report, "category_age_conflict")
    assert found.severity == "warning" and found.cell == "N40"
    assert found.message_en == ("Older people (50+) 11 — more than the participants aged 46 and over"
                                " (46–58 years 6 + 59 years and over 4 = 10)")


def test_more_children_than_participants_under_23_is_a_conflict_and_equal_is_not():
    report = clean_report()
    part(report, "category", "children").people = 31.0  # 13-16: 10 + 17-22: 20 = 30
    assert only(report, "category_age_conflict").cell == "L40"
    part(report, "category", "children").people = 30.0
    assert findings(report, "category_age_conflict") == []


def test_elderly_95_percent_with_no_one_over_46_as_in_the_example_report():
    report = clean_report()
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    set_parts(report, "gender", {"male": 30, "female": 70}, percent=True)
    set_parts(report, "age", {"17-22": 25, "23-27": 30, "28-32": 30, "33-45": 15}, percent=True)
    set_parts(report, "category", {"youth": 95, "elderly": 95}, percent=True)  # 95 % of 70 = 66.5 -> 67
    found = only(report, "category_age_conflict")
    assert found.message_ru.startswith("Людей старшего возраста (от 50 лет) 67 (95% от 70) — больше")


def test_no_age_table_means_no_conflict():
    report = clean_report()
    report.participants = [p for p in report.participants if p.dimension != "age"]
    part(report, "category", "elderly").people = 50.0
    assert findings(report, "category_age_conflict") == []


# ---------------------------------------------------------------------------------------- missing_field


def test_each_missing_field_is_a_warning_of_its_own():
    report = clean_report()
    report.regions, report.region_text = [], "Луна"
    report.year = report.contract_date = None
    report.grant_amount = Number(None)
    report.direction = None
    report.indicators["direct_beneficiaries"].fact = Number(None, raw="-")
    report.indicators["direct_beneficiaries"].plan = Number(None)
    report.participants_total = Number(None)
    found = findings(report, "missing_field")
    assert [f.message_en for f in found] == [
        "Missing field: region — not recognised («Луна»)",
        "Missing field: year — not given",
        "Missing field: grant amount — not given",
        "Missing field: direction — not recognised («поддержка молодежной политики»)",
        "Missing field: direct beneficiaries (fact) — not given",
    ]
    assert {f.severity for f in found} == {"warning"}
    assert found[0].cell == "B3" and found[4].cell == "E20"


def test_year_from_the_contract_date_is_not_missing():
    report = clean_report()
    report.year = None  # contract of 21.04.2023 gives the year
    assert findings(report) == []


# ---------------------------------------------------------------------------------------- info rules


def test_percent_table_is_noted_as_derived():
    report = clean_report()
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    set_parts(report, "age", {"13-16": 20, "17-22": 20, "23-27": 10, "28-32": 10, "33-45": 0, "46-58": 6, "59+": 4})
    set_parts(report, "gender", {"male": 30, "female": 70}, percent=True)
    found = only(report, "derived_from_percent")
    assert found.severity == "info" and found.cell == "B40"
    assert found.message_ru == ("Таблица по полу дана в процентах и пересчитана в людей от общего числа 70:"
                                " мужчин 30% → 21, женщин 70% → 49")


def test_percent_table_without_a_total_is_a_warning():
    report = clean_report()
    report.participants_total = Number(None)
    set_parts(report, "gender", {"male": 30, "female": 70}, percent=True)
    found = only(report, "derived_from_percent")
    assert found.severity == "warning" and "no participants' total" in found.message_en


def test_value_with_a_qualifier_is_noted_as_approximate():
    report = clean_report()
    report.indicators["indirect_beneficiaries"].fact = parse_number("около 1 млн")
    report.indicators["indirect_beneficiaries"].plan = parse_number("140 тыс.")  # no qualifier: nothing
    found = only(report, "approximate_value")
    assert found.severity == "info" and found.cell == "E21"
    assert found.message_ru.endswith("(факт): «около 1 млн» учтено как 1\u00a0000\u00a0000 (приблизительно)")


@pytest.mark.parametrize("amount, flagged", [(4_000.0, True), (0.0, True), (1.234, True), (99_999.0, True),
                                              (100_000.0, False), (4_000_000.0, False)])
def test_a_grant_amount_under_a_hundred_thousand_tenge_is_a_warning(amount, flagged):
    """Grants run from hundreds of thousands of tenge (domain): 4 000 is most likely typed in thousands."""
    report = clean_report()
    report.grant_amount = Number(amount, raw=str(amount))
    for code in ("payroll", "taxes", "economy_contribution"):  # (spending within the grant: no budget finding)
        report.indicators[code].fact = Number(0.0, raw="0")
    found = [f for f in findings(report, "implausible_value") if "grant" in f.message_en.lower()]
    assert [(f.severity, f.cell) for f in found] == ([("warning", "B6")] if flagged else [])
    if flagged:
        assert found[0].message_en.startswith("Unusually small: grant amount = ")


def test_a_figure_that_is_not_one_number_is_named_not_dropped_silently():
    """«2,000» (2 or 2 000?), two figures on two lines and an Excel error are left empty, each named with its
    text and cell; a dash is «not given» (no finding); the grant amount keeps its missing_field finding."""
    report = clean_report()
    report.indicators["indirect_beneficiaries"].fact = parse_number("2,000")
    report.indicators["partners"].fact = parse_number("1\n5")
    report.indicators["taxes"].plan = parse_number("#DIV/0!")
    report.indicators["staff"].plan = parse_number("—")
    report.grant_amount = parse_number("100-120")
    part(report, "gender", "male").people, part(report, "gender", "male").raw = None, "25 / 30"
    found = findings(report, "unreadable_value")
    assert [(f.cell, f.severity) for f in found] == [("E21", "warning"), ("D26", "warning"), ("E28", "warning"),
                                                     ("C40", "warning")]
    assert found[0].message_en == "Indirect beneficiaries (media reach) (fact): «2,000» is not one number and is left out"
    assert found[2].message_ru.endswith("(факт): «1 5» — не одно число, значение не учтено")
    assert "«25 / 30»" in found[3].message_en
    assert "«100-120»" in only(report, "missing_field").message_en


# ---------------------------------------------------------------------------------------- issue 14: ceilings, dates, BIN

def test_a_count_of_people_above_the_population_is_an_error_and_a_million_a_warning():
    report = clean_report()
    report.indicators["direct_beneficiaries"].fact = Number(20_000_001.0)  # Kazakhstan: about 20 million people
    report.indicators["direct_beneficiaries"].plan = Number(20_000_000.0)  # at the ceiling: unusual, not wrong
    found = [(f.cell, f.severity, f.message_en) for f in findings(report, "implausible_value")]
    assert found == [
        ("D20", "warning", "Unusually large: Direct beneficiaries (plan) = 20\u00a0000\u00a0000 (above 1\u00a0000\u00a0000: "
                           "check it)"),
        ("E20", "error", "Implausibly many: Direct beneficiaries (fact) = 20\u00a0000\u00a0001 (above the ceiling of "
                         "20\u00a0000\u00a0000)")]


def test_absurd_magnitudes_are_errors_with_a_readable_message():
    report = clean_report()
    report.indicators["indirect_beneficiaries"].fact = Number(1e300)
    report.participants[0].people = 1.2345678901234568e25
    found = [(f.cell, f.severity, f.message_ru) for f in findings(report, "implausible_value") if f.severity == "error"]
    assert found == [("E21", "error", "Неправдоподобно много: Количество косвенных бенефициаров (за счет освещения в "
                                      "СМИ) (факт) = 1e+300 (больше предела 20\u00a0000\u00a0000)"),
                     ("C40", "error", "Неправдоподобно много: участники: мужчин = 1,23e+25 (больше предела "
                                      "20\u00a0000\u00a0000)")]


def test_money_above_ten_billion_is_an_error_and_above_a_billion_a_warning():
    report = clean_report()
    report.grant_amount = Number(10_000_000_001.0)
    assert [(f.cell, f.severity) for f in findings(report, "implausible_value")] == [("B6", "error")]
    report.grant_amount = Number(1_500_000_000.0)
    assert [(f.cell, f.severity) for f in findings(report, "implausible_value")] == [("B6", "warning")]
    report.grant_amount = Number(1_000_000_000.0)
    assert findings(report, "implausible_value") == []


def test_an_impossible_date_names_its_cell_and_quotes_the_text_as_typed():
    report = clean_report()
    report.contract_date = None
    report.field_texts = {"contract_date": "31.02.2023"}
    report.field_at["contract_date"] = at("C7")
    found = only(report, "impossible_date")
    assert (found.severity, found.cell) == ("warning", "C7")
    assert found.message_en == "contract date: the date «31.02.2023» does not exist; the text is kept as typed: " \
                               "«31.02.2023»"


def test_a_bin_cell_holding_no_bin_is_said_without_quoting_it():
    report = clean_report()
    report.field_at["bin"] = at("C5")
    found = only(report, "personal_data")
    assert (found.severity, found.cell) == ("warning", "C5") and not any(ch.isdigit() for ch in found.message_ru[:20])
    report.bin = "210440012345"
    assert findings(report, "personal_data") == []


def test_every_rule_code_the_test_fixtures_seed_is_a_rule_of_the_registry():
    from tests.conftest import handmade_reports
    from tests.test_metrics import archive

    seeded = {f.rule for report in handmade_reports() + archive() for f in report.findings}
    assert seeded and seeded <= set(rules.RULES_BY_CODE), seeded - set(rules.RULES_BY_CODE)
    assert all(rules.RULES_BY_CODE[f.rule].severity == f.severity
               for report in handmade_reports() + archive() for f in report.findings)
