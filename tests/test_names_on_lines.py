"""A grantee's or title's name typed over two lines in its cell is one name, with one space where the line broke
(it had been stored with the line break, so the same NGO could look like two)."""

from __future__ import annotations

from tests.test_registry_ingest import ingest_by_grantee


def test_a_name_over_two_lines_is_one_name(tmp_path, capsys):
    path = tmp_path / "svod.csv"
    path.write_text('Грантополучатель;Тема гранта;Номер договора;Год;Сумма гранта\n'
                    '"ОО «Жастар\nАльянсы»";"Школа\n  волонтеров";72;2023;4 000 000\n', encoding="utf-8")
    reports = ingest_by_grantee(tmp_path, capsys, path)
    assert list(reports) == ["ОО «Жастар Альянсы»"]
    assert reports["ОО «Жастар Альянсы»"]["title"] == "Школа волонтеров"
