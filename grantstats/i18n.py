"""Every label the dashboard shows, in one table: key -> {language: text}.

``t(key, lang, **values)`` returns the text in the language (Kazakh, when added, falls back to Russian
key by key), with ``{placeholders}`` filled. A missing key is an error in tests, and shows as the key
itself in the app rather than breaking a page. Region, direction, indicator and bucket names come from
the catalog, not from here.
"""

from __future__ import annotations

LANGS = ("ru", "en")  # add "kk" here and a "kk" text to the entries below; missing ones fall back to ru
DEFAULT_LANG = "ru"
LANG_NAMES = {"ru": "Русский", "en": "English", "kk": "Қазақша"}

TEXTS: dict[str, dict[str, str]] = {
    # app and navigation
    "app_title": {"ru": "Социальные гранты: итоговые отчеты", "en": "Social grants: final reports"},
    "page_overview": {"ru": "Обзор", "en": "Overview"},
    "page_regions": {"ru": "Регионы", "en": "Regions"},
    "page_directions": {"ru": "Направления", "en": "Directions"},
    "page_ngos": {"ru": "НПО", "en": "NGOs"},
    "page_plan_fact": {"ru": "План и факт", "en": "Plan vs fact"},
    "page_participants": {"ru": "Участники", "en": "Participants"},
    "page_quality": {"ru": "Качество данных", "en": "Data quality"},
    "page_report": {"ru": "Отчет", "en": "Report"},
    "section_figures": {"ru": "Показатели", "en": "Figures"},
    "section_details": {"ru": "Подробности", "en": "Details"},
    # sidebar filters
    "filters": {"ru": "Фильтры", "en": "Filters"},
    "language": {"ru": "Язык", "en": "Language"},
    "years": {"ru": "Годы", "en": "Years"},
    "regions": {"ru": "Регионы", "en": "Regions"},
    "directions": {"ru": "Направления", "en": "Directions"},
    "ngo_search": {"ru": "Поиск НПО", "en": "NGO search"},
    "ngo_search_help": {"ru": "Часть названия организации, темы или номера договора",
                        "en": "Part of the organisation's name, the project title or the contract number"},
    "exclude_errors": {"ru": "Без отчетов с ошибками", "en": "Leave out reports with errors"},
    "exclude_errors_help": {"ru": "Не учитывать отчеты, в которых найдены ошибки (не предупреждения)",
                            "en": "Leave out reports with findings of severity 'error' (warnings stay)"},
    "all": {"ru": "все", "en": "all"},
    "reset_filters": {"ru": "Сбросить фильтры", "en": "Reset filters"},
    "link_hint": {"ru": "Ссылка на этот вид — в адресной строке", "en": "The address bar links to this view"},
    "synthetic_note": {"ru": "Данные синтетические (демонстрационный пример)",
                       "en": "Synthetic data (a demonstration sample)"},
    # counts and basis
    "basis": {"ru": "Основано на {reports} отчетах ({ngos} НПО)", "en": "Based on {reports} reports ({ngos} NGOs)"},
    "basis_filtered": {"ru": "с учетом фильтров", "en": "filters applied"},
    "nothing_matches": {"ru": "Ни один отчет не подходит под фильтры. Ослабьте фильтры в боковой панели.",
                        "en": "No report matches the filters. Loosen the filters in the sidebar."},
    "empty_db_title": {"ru": "В базе пока нет отчетов", "en": "The database holds no reports yet"},
    "empty_db_body": {
        "ru": "Загрузите отчеты (таблицы Excel или CSV) командой:\n\n"
              "```\npython -m grantstats ingest ПАПКА_С_ОТЧЕТАМИ --db {db}\n```\n\n"
              "или постройте демонстрационную базу: `make sample`, а затем обновите страницу.",
        "en": "Load reports (Excel or CSV spreadsheets) with:\n\n"
              "```\npython -m grantstats ingest FOLDER_WITH_REPORTS --db {db}\n```\n\n"
              "or build the demonstration database with `make sample`, then reload this page."},
    "db_error": {"ru": "База данных недоступна: {error}", "en": "The database cannot be opened: {error}"},
    # metrics
    "reports": {"ru": "Отчеты", "en": "Reports"},
    "ngos": {"ru": "НПО", "en": "NGOs"},
    "grant_amount": {"ru": "Сумма грантов", "en": "Grant amount"},
    "direct": {"ru": "Прямые бенефициары", "en": "Direct beneficiaries"},
    "direct_plan": {"ru": "Прямые бенефициары, план", "en": "Direct beneficiaries, plan"},
    "direct_fact": {"ru": "Прямые бенефициары, факт", "en": "Direct beneficiaries, fact"},
    "indirect": {"ru": "Косвенные бенефициары", "en": "Indirect beneficiaries"},
    "achievement": {"ru": "Выполнение плана", "en": "Plan achievement"},
    "direct_achievement": {"ru": "Выполнение плана (прямые)", "en": "Plan achieved (direct)"},
    "cost_per_beneficiary": {"ru": "Стоимость на бенефициара", "en": "Cost per beneficiary"},
    "participants_total": {"ru": "Участники", "en": "Participants"},
    "errors": {"ru": "Ошибки", "en": "Errors"},
    "warnings": {"ru": "Предупреждения", "en": "Warnings"},
    "met_all_plans": {"ru": "Выполнили все планы", "en": "Met every plan"},
    "vs_prev_year": {"ru": "{year} к {prev}", "en": "{year} vs {prev}"},
    "approx_note": {"ru": "≈ — в расчет вошли приблизительные значения («около», «не менее»)",
                    "en": "≈ — approximate values (“about”, “at least”) are counted at their number"},
    # common column names
    "col_region": {"ru": "Регион", "en": "Region"},
    "col_direction": {"ru": "Направление", "en": "Direction"},
    "col_year": {"ru": "Год", "en": "Year"},
    "col_ngo": {"ru": "НПО", "en": "NGO"},
    "col_grantee": {"ru": "Грантополучатель", "en": "Grantee"},
    "col_title": {"ru": "Проект", "en": "Project"},
    "col_report": {"ru": "Отчет", "en": "Report"},
    "col_reports": {"ru": "Отчеты", "en": "Reports"},
    "col_open": {"ru": "Открыть", "en": "Open"},
    "col_indicator": {"ru": "Индикатор", "en": "Indicator"},
    "col_unit": {"ru": "Ед.", "en": "Unit"},
    "col_plan": {"ru": "План", "en": "Plan"},
    "col_fact": {"ru": "Факт", "en": "Fact"},
    "col_plan_text": {"ru": "План (как в отчете)", "en": "Plan (as written)"},
    "col_fact_text": {"ru": "Факт (как в отчете)", "en": "Fact (as written)"},
    "col_sum_plan": {"ru": "Σ план", "en": "Σ plan"},
    "col_sum_fact": {"ru": "Σ факт", "en": "Σ fact"},
    "col_gap": {"ru": "Разница (факт − план)", "en": "Gap (fact − plan)"},
    "col_reports_both": {"ru": "Отчетов с планом и фактом", "en": "Reports with plan and fact"},
    "col_share": {"ru": "Доля", "en": "Share"},
    "col_people": {"ru": "Человек", "en": "People"},
    "col_derived": {"ru": "Из процентов", "en": "From percent"},
    "col_derived_share": {"ru": "Доля из процентов", "en": "Share from percent"},
    "col_rank": {"ru": "Место", "en": "Rank"},
    "col_shortfall": {"ru": "Недовыполнение (план − факт)", "en": "Shortfall (plan − fact)"},
    "unit_people": {"ru": "чел.", "en": "people"},
    "unit_organizations": {"ru": "орг.", "en": "org."},
    "unit_tenge": {"ru": "₸", "en": "₸"},
    "unit_org_or_people": {"ru": "орг./чел.", "en": "org./people"},
    "col_rule": {"ru": "Правило", "en": "Rule"},
    "col_severity": {"ru": "Важность", "en": "Severity"},
    "col_message": {"ru": "Описание", "en": "Message"},
    "col_file": {"ru": "Файл", "en": "File"},
    "col_sheet": {"ru": "Лист", "en": "Sheet"},
    "col_cell": {"ru": "Ячейка", "en": "Cell"},
    "col_findings": {"ru": "Замечания", "en": "Findings"},
    "col_contract": {"ru": "Договор", "en": "Contract"},
    "col_value": {"ru": "Значение", "en": "Value"},
    "col_field": {"ru": "Поле", "en": "Field"},
    "severity_error": {"ru": "ошибка", "en": "error"},
    "severity_warning": {"ru": "предупреждение", "en": "warning"},
    "severity_info": {"ru": "замечание", "en": "note"},
    # downloads
    "download_csv": {"ru": "CSV", "en": "CSV"},
    "download_csv_semicolon": {"ru": "CSV для Excel (;)", "en": "CSV for Excel (;)"},
    "table_truncated": {"ru": "Показаны первые {shown} строк из {total}; в загрузке CSV и Excel — все строки.",
                        "en": "Showing the first {shown} of {total} rows; the CSV and Excel downloads hold every row."},
    "download_xlsx": {"ru": "Excel", "en": "Excel"},
    "download": {"ru": "Скачать", "en": "Download"},
    # overview
    "overview_title": {"ru": "Обзор", "en": "Overview"},
    "trend_by_year": {"ru": "Динамика по годам", "en": "Trend by year"},
    "top_bottom": {"ru": "Лидеры и отстающие", "en": "Top and bottom"},
    "rank_by": {"ru": "Показатель", "en": "Metric"},
    "top": {"ru": "Больше всего", "en": "Highest"},
    "bottom": {"ru": "Меньше всего", "en": "Lowest"},
    "by_region": {"ru": "По регионам", "en": "By region"},
    "by_direction": {"ru": "По направлениям", "en": "By direction"},
    # regions / directions
    "map_title": {"ru": "Карта регионов: {metric}", "en": "Regions map: {metric}"},
    "ranked": {"ru": "Рейтинг: {metric}", "en": "Ranking: {metric}"},
    "heatmap_region_year": {"ru": "Регион × год: {metric}", "en": "Region × year: {metric}"},
    "heatmap_direction_year": {"ru": "Направление × год: {metric}", "en": "Direction × year: {metric}"},
    "region_split_note": {"ru": "Отчет по нескольким регионам делится между ними поровну (или по указанным долям).",
                          "en": "A multi-region report is split between its regions equally (or by the stated shares)."},
    "drill_region": {"ru": "Открыть НПО региона", "en": "Open the region's NGOs"},
    "table": {"ru": "Таблица", "en": "Table"},
    # ngos
    "choose_region": {"ru": "Регион", "en": "Region"},
    "all_regions": {"ru": "Все регионы", "en": "All regions"},
    "ngos_side_by_side": {"ru": "НПО региона", "en": "The region's NGOs"},
    "scatter_cost_achievement": {"ru": "Стоимость на бенефициара и выполнение плана",
                                 "en": "Cost per beneficiary against plan achievement"},
    "scatter_hint": {"ru": "Размер точки — сумма гранта; пунктир — 100 % плана",
                     "en": "Marker size is the grant amount; the dashed line is 100 % of plan"},
    # plan vs fact
    "indicators_table": {"ru": "Индикаторы: план и факт", "en": "Indicators: plan and fact"},
    "achievement_distribution": {"ru": "Выполнение плана по отчетам (прямые бенефициары)",
                                 "en": "Plan achievement per report (direct beneficiaries)"},
    "indicator": {"ru": "Индикатор", "en": "Indicator"},
    "shortfalls": {"ru": "Самые большие недовыполнения", "en": "The largest shortfalls"},
    "reports_count_axis": {"ru": "Отчетов", "en": "Reports"},
    "achievement_axis": {"ru": "Выполнение, %", "en": "Achievement, %"},
    # participants
    "gender": {"ru": "Пол", "en": "Gender"},
    "age": {"ru": "Возраст", "en": "Age"},
    "categories": {"ru": "Категории участников", "en": "Participant categories"},
    "categories_note": {"ru": "Категории пересекаются: их сумма не обязана равняться числу участников.",
                        "en": "Categories overlap: they need not add up to the participants' total."},
    "derived_note": {"ru": "Из процентов пересчитано: {people} чел. ({share} от показанного)",
                     "en": "Derived from percent: {people} people ({share} of what is shown)"},
    "people_axis": {"ru": "Человек", "en": "People"},
    # quality
    "findings_by_rule": {"ru": "Замечания по правилам и важности", "en": "Findings by rule and severity"},
    "worst_reports": {"ru": "Отчеты с наибольшим числом ошибок", "en": "Reports with the most errors"},
    "all_findings": {"ru": "Все замечания", "en": "All findings"},
    "no_findings": {"ru": "Замечаний нет.", "en": "No findings."},
    "reports_with_errors": {"ru": "Отчетов с ошибками", "en": "Reports with errors"},
    "reports_with_warnings": {"ru": "Отчетов с предупреждениями", "en": "Reports with warnings"},
    # report
    "choose_report": {"ru": "Отчет", "en": "Report"},
    "report_choices_limited": {"ru": "В списке {shown} самых новых из {total} отчетов: уточните фильтры или поиск по НПО",
                               "en": "The list holds the newest {shown} of {total} reports: narrow the filters or search by NGO"},
    "no_report": {"ru": "Отчет {report} не найден.", "en": "Report {report} was not found."},
    "passport": {"ru": "Паспорт", "en": "Passport"},
    "indicators": {"ru": "Индикаторы", "en": "Indicators"},
    "participants": {"ru": "Участники", "en": "Participants"},
    "activities": {"ru": "Мероприятия", "en": "Activities"},
    "findings": {"ru": "Замечания", "en": "Findings"},
    "source": {"ru": "Источник", "en": "Source"},
    "field_grantee": {"ru": "Грантополучатель", "en": "Grantee"},
    "field_title": {"ru": "Проект", "en": "Project"},
    "field_contract": {"ru": "Договор", "en": "Contract"},
    "field_period": {"ru": "Период реализации", "en": "Implementation period"},
    "field_year": {"ru": "Год", "en": "Year"},
    "field_regions": {"ru": "Регион(ы)", "en": "Region(s)"},
    "field_direction": {"ru": "Направление", "en": "Direction"},
    "field_amount": {"ru": "Сумма гранта", "en": "Grant amount"},
    "field_amount_by_year": {"ru": "Сумма по годам", "en": "Amount by year"},
    "field_report_date": {"ru": "Дата отчета", "en": "Report date"},
    "field_participants": {"ru": "Участников всего", "en": "Participants, total"},
    "field_file": {"ru": "Файл", "en": "File"},
    "field_sheet_cell": {"ru": "Лист / ячейка", "en": "Sheet / cell"},
    "field_layout": {"ru": "Формат", "en": "Layout"},
    "field_loaded": {"ru": "Загружен", "en": "Loaded"},
    "field_sha": {"ru": "SHA-256", "en": "SHA-256"},
    "col_task": {"ru": "Задача", "en": "Task"},
    "col_activity": {"ru": "Мероприятие", "en": "Activity"},
    "col_date": {"ru": "Дата", "en": "Date"},
    "col_place": {"ru": "Место", "en": "Place"},
    "col_participants": {"ru": "Участники", "en": "Participants"},
    "ngo_reports": {"ru": "Отчеты НПО «{ngo}»", "en": "Reports of the NGO “{ngo}”"},
    "derived_mark": {"ru": "из %", "en": "from %"},
    "dimension_gender": {"ru": "Пол", "en": "Gender"},
    "dimension_age": {"ru": "Возраст", "en": "Age"},
    "dimension_category": {"ru": "Категория", "en": "Category"},
    "not_stated": {"ru": "не указан", "en": "not stated"},
    # upload (issue #7, grantstats.upload / pages/upload.py)
    "page_upload": {"ru": "Загрузка", "en": "Upload"},
    "section_data": {"ru": "Данные", "en": "Data"},
    "upload_intro": {"ru": "Перетащите файлы отчетов (xlsx, xlsm, xls, ods, csv). Сначала они только читаются: "
                             "вы увидите найденные отчеты, замечания и что будет заменено — и лишь затем решите, "
                             "загружать ли их в базу. Каждый файл сохраняется в архиве.",
                     "en": "Drop report files (xlsx, xlsm, xls, ods, csv). They are only read first: you see the "
                           "reports found, the findings and what would be replaced, and only then decide whether to "
                           "load them. Every file is kept in the archive."},
    "upload_files": {"ru": "Файлы отчетов", "en": "Report files"},
    "upload_help": {"ru": "До {mb} МБ на файл", "en": "Up to {mb} MB a file"},
    "upload_reading": {"ru": "Читаю файлы (пробный прогон, база не меняется)…",
                       "en": "Reading the files (a dry run: the database is not changed)…"},
    "upload_plan": {"ru": "Что будет загружено", "en": "What would be loaded"},
    "upload_counts": {"ru": "Файлов: {files} · отчетов к загрузке: {reports} · заменят прежние: {replacing} · "
                            "без изменений: {unchanged} · не приняты: {refused}",
                      "en": "Files: {files} · reports to load: {reports} · replacing earlier ones: {replacing} · "
                            "unchanged: {unchanged} · refused: {refused}"},
    "upload_refused": {"ru": "Файл «{name}» не принят: {reason}", "en": "The file “{name}” was refused: {reason}"},
    "upload_findings": {"ru": "Замечания к прочитанным отчетам", "en": "Findings about the reports read"},
    "upload_load": {"ru": "Загрузить в базу", "en": "Load into the database"},
    "upload_cancel": {"ru": "Отмена", "en": "Cancel"},
    "upload_cancelled": {"ru": "Загрузка отменена: база не изменилась (файлы остались в архиве).",
                         "en": "Upload cancelled: the database is unchanged (the files stay in the archive)."},
    "upload_nothing": {"ru": "Загружать нечего: все файлы уже загружены или не приняты.",
                       "en": "Nothing to load: every file is already loaded or was refused."},
    "upload_done": {"ru": "Загружено отчетов: {reports} из {files} файлов.", "en": "Loaded {reports} reports from {files} files."},
    "upload_result_loaded": {"ru": "«{name}»: загружено отчетов — {reports}", "en": "“{name}”: {reports} reports loaded"},
    "upload_result_replaced": {"ru": "; заменено прежних — {replaced} (прежние версии сохранены в истории)",
                               "en": "; {replaced} earlier ones replaced (kept in the history)"},
    "upload_result_unchanged": {"ru": "«{name}»: уже загружен, ничего не изменилось",
                                "en": "“{name}”: already loaded, nothing changed"},
    "col_status": {"ru": "Статус", "en": "Status"},
    "col_replaces": {"ru": "Заменит", "en": "Replaces"},
    "status_new": {"ru": "новый", "en": "new"},
    "status_replaces": {"ru": "заменит прежний", "en": "replaces"},
    "status_unchanged": {"ru": "без изменений", "en": "unchanged"},
    "status_refused": {"ru": "не принят", "en": "refused"},
    "status_empty": {"ru": "отчетов нет", "en": "no reports"},
    # report versions (issue #7, grantstats.history)
    "versions": {"ru": "Версии отчета", "en": "Report versions"},
    "versions_none": {"ru": "Прежних версий нет: отчет не заменялся.", "en": "No earlier versions: the report was never replaced."},
    "version_current": {"ru": "текущая", "en": "current"},
    "col_version": {"ru": "Версия", "en": "Version"},
    "col_loaded": {"ru": "Загружен", "en": "Loaded"},
    "col_replaced_at": {"ru": "Заменен", "en": "Replaced"},
    "col_replaced_by": {"ru": "Чем заменен", "en": "Replaced by"},
    "version_restore": {"ru": "Сделать текущей версию", "en": "Make current: version"},
    "version_restored": {"ru": "Версия {version} снова текущая; прежняя текущая сохранена как версия {archived}.",
                         "en": "Version {version} is current again; the one it replaced is kept as version {archived}."},
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (falling back to Russian), with ``{placeholders}`` filled."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**values) if values else text


def missing_keys(lang: str) -> list[str]:
    """Keys without a text in ``lang`` (for tests and for whoever adds a language)."""
    return sorted(k for k, v in TEXTS.items() if not v.get(lang))
