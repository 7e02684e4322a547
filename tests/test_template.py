"""The empty template (`python -m grantstats template`) and the synthetic form workbooks."""

from __future__ import annotations

from openpyxl import load_workbook

from grantstats.cli import main
from grantstats.template import ARRANGEMENTS, template_cells, write_form_report
from tests.test_form_reader import ingest_and_show


def test_template_command_writes_labels_units_and_marked_input_cells(tmp_path, capsys):
    out = tmp_path / "blank.xlsx"
    assert main(["template", str(out)]) == 0
    assert "wrote the empty final-report template" in capsys.readouterr().out
    ws = load_workbook(out).active
    cells = template_cells()
    assert ws["A4"].value == "1. Полное наименование неправительственной организации:" and cells["grantee"] == "B4"
    row = int(cells["payroll:plan"][1:])
    assert ws[f"B{row}"].value == "Фонд оплаты труда от общей суммы гранта" and ws[f"C{row}"].value == "тенге"
    assert ws[f"C{int(cells['partners:plan'][1:])}"].value == "организация/человек"
    for ref in cells.values():
        assert ws[ref].value is None and ws[ref].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws["A3"].fill.fill_type is None


def test_template_refuses_a_name_that_is_not_xlsx(tmp_path, capsys):
    assert main(["template", str(tmp_path / "blank.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_empty_template_is_refused_as_holding_no_report(tmp_path, capsys):
    out = tmp_path / "blank.xlsx"
    main(["template", str(out)])
    capsys.readouterr()
    assert main(["ingest", str(out), "--db", str(tmp_path / "g.duckdb"), "--workers", "0"]) == 1
    assert "refused   blank.xlsx" in capsys.readouterr().out


def test_filled_template_loads_with_nothing_guessed(tmp_path, capsys):
    out = tmp_path / "filled.xlsx"
    main(["template", str(out)])
    capsys.readouterr()
    cells = template_cells()
    values = {
        "grantee": "ОО «Корган-М»", "head": "Киргизбаева Д.У.", "address_phone": "г. Шымкент, ул. Багысбаева 9",
        "title": "Молодежный корпус «ZHAS PROJECT»", "direction": "поддержка молодежной политики и детских инициатив",
        "contract": "№ 72 от 21 апреля 2023 года", "region": "г. Шымкент и ЗКО",
        "period": "25 сентября 2023 года – 31 октября 2024 года",
        "grant_amount": "- на 2023 год - 34 495 376 тенге\n- на 2024 год - 36 045 560 тенге",
        "report_date": "10.11.2024",
        "activity1:task": "Задача 1. Офис", "activity1:activity": "Мероприятие 1.1 Концепция",
        "activity1:date": "сентябрь 2023", "activity1:place": "г. Шымкент", "activity1:participants": "8 человек",
        "activity1:plan": 1, "activity1:fact": 1,
        "activity2:activity": "Мероприятие 1.2 Бот", "activity2:plan": "1\n20", "activity2:fact": "1\n20",
        "gender:total": 70, "gender:male": "30%", "gender:female": "70%",
        "category:total": 70, "category:youth": "95%", "category:civil_servants": "10%", "category:disabled": "-",
        "age:total": 70, "age:17-22": "25%", "age:23-27": "30%", "age:28-32": "30%", "age:33-45": "10%",
        "age:46-58": "5%",
    }
    indicators = {"direct_beneficiaries": (50, 70), "direct_beneficiaries_vulnerable": (20, 25),
                  "indirect_beneficiaries": ("140 тыс.", "около 1 млн"), "staff": (3, 3), "specialists": (9, 9),
                  "specialists_vulnerable": (2, 2), "ngos_covered": (5, 5), "payroll": ("2 160 000", 2160000),
                  "taxes": (245376, 245376), "economy_contribution": ("4 090 000", "4 090 000"), "partners": (5, 5)}
    for code, (plan, fact) in indicators.items():
        values[f"{code}:plan"], values[f"{code}:fact"] = plan, fact
    wb = load_workbook(out)
    for key, value in values.items():
        wb.active[cells[key]] = value
    wb.save(out)

    [d] = ingest_and_show(tmp_path, capsys, out)
    assert (d["grantee"], d["title"], d["contract_no"], d["contract_date"]) == (
        "ОО «Корган-М»", "Молодежный корпус «ZHAS PROJECT»", "72", "2023-04-21")
    assert (d["period_start"], d["period_end"], d["year"], d["report_date"]) == (
        "2023-09-25", "2024-10-31", 2023, "2024-11-10")
    assert d["direction"] == "4" and d["regions"] == ["KZ-79", "KZ-27"]
    assert d["amount_by_year"] == {"2023": 34_495_376, "2024": 36_045_560} and d["grant_amount"] == 70_540_936
    assert {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()} == {
        "direct_beneficiaries": (50, 70), "direct_beneficiaries_vulnerable": (20, 25),
        "indirect_beneficiaries": (140_000, 1_000_000), "staff": (3, 3), "specialists": (9, 9),
        "specialists_vulnerable": (2, 2), "ngos_covered": (5, 5), "payroll": (2_160_000, 2_160_000),
        "taxes": (245_376, 245_376), "economy_contribution": (4_090_000, 4_090_000), "partners": (5, 5)}
    assert all(v["unit"] for v in d["indicators"].values())
    # 30/70 % of 70 -> 21/49; 95 % -> 66.5 -> 67; 10 % -> 7; 25 % -> 17.5 -> 18; 5 % -> 3.5 -> 4
    assert d["gender"] == {"male": 21, "female": 49} and d["participants_total"] == 70
    assert d["categories"] == {"youth": 67, "civil_servants": 7}
    assert d["age"] == {"17-22": 18, "23-27": 21, "28-32": 21, "33-45": 7, "46-58": 4}
    assert [a["activity"] for a in d["activities"]] == ["Мероприятие 1.1 Концепция", "Мероприятие 1.2 Бот"]
    assert d["activities"][1]["task"] == "Задача 1. Офис" and d["activities"][1]["plan_text"] == "1\n20"
    assert d["source"]["field_cells"]["grantee"] == cells["grantee"]
    assert d["indicators"]["taxes"]["plan_cell"] == cells["taxes:plan"]
    assert [f for f in d["findings"] if f["rule"] == "unit_mismatch"] == []


def test_write_form_report_layouts_differ_and_are_deterministic(tmp_path):
    from grantstats.readers.grid import load_grids
    from grantstats.sample import make_reports

    report = make_reports(1, seed=3)[0]
    shapes = set()
    for arrangement in range(len(ARRANGEMENTS)):
        a = write_form_report(tmp_path / f"a{arrangement}.xlsx", report, arrangement)
        b = write_form_report(tmp_path / f"b{arrangement}.xlsx", report, arrangement)
        grids_a, grids_b = load_grids(a), load_grids(b)
        assert [(g.name, g.rows) for g in grids_a] == [(g.name, g.rows) for g in grids_b]
        shapes.add(tuple((g.name, g.height, g.width) for g in grids_a))
    assert len(shapes) == len(ARRANGEMENTS)


def test_sample_activities_come_back_from_every_arrangement(tmp_path, capsys):
    from grantstats.sample import make_reports

    generated = make_reports(60, seed=13)
    no_region = next(r for r in generated if not r["regions"])  # its activities are held at the NGO's own office
    reports = generated[:3 * len(ARRANGEMENTS)] + [no_region]
    files = [write_form_report(tmp_path / f"r{i}.xlsx", r, arrangement=i) for i, r in enumerate(reports)]
    shown = ingest_and_show(tmp_path, capsys, *files)
    assert len(shown) == len(reports) and {d["source"]["layout"] for d in shown} == {"form"}
    by_contract = {d["contract_no"]: d for d in shown}
    assert any(len({a["task"] for a in r["activities"]}) < len(r["activities"]) for r in reports)  # a task over rows
    for r in reports:
        expected = [{"task": a["task"], "activity": a["activity"], "date_text": a["date_text"], "place": a["place"],
                     "participants_text": a["participants_text"], "plan_text": str(a["plan"]),
                     "fact_text": str(a["fact"])} for a in r["activities"]]
        assert 2 <= len(expected) <= 6
        assert by_contract[r["contract_no"]]["activities"] == expected, r["contract_no"]


def test_activity_rows_that_name_a_field_and_categories_do_not_make_the_form_a_registry(tmp_path, capsys):
    """Rows «Задача … молодежи | … для пожилых людей | август 2021 г. | офис организации | … | 100 | 100» name two
    categories and the grantee's word: the figures in them say they are data, not a registry's header."""
    from grantstats.sample import make_reports

    report = make_reports(1, seed=5)[0]
    report["activities"] = [
        {"task": f"Задача {i}. Развитие потенциала молодежи", "activity": "Бесплатные консультации для пожилых людей",
         "date_text": "август 2021 г.", "place": "офис организации", "participants_text": "не менее 8 человек",
         "results": "- даны консультации", "indicator": "количество консультаций", "plan": 100, "fact": 100,
         "effect": "Пожилые люди защитили свои права"} for i in (1, 2, 3)]
    [shown] = ingest_and_show(tmp_path, capsys, write_form_report(tmp_path / "r.xlsx", report))
    assert shown["source"]["layout"] == "form" and shown["contract_no"] == report["contract_no"]
    assert [a["place"] for a in shown["activities"]] == ["офис организации"] * 3
