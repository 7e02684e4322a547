"""Every label the dashboard and the summary workbook show, in one table: key -> {language: text}.

``t(key, lang, **values)`` returns the text in the language (a language without a text for a key falls
back to Russian), with ``{placeholders}`` filled. A missing key is an error in tests, and shows as the key
itself in the app rather than breaking a page. Every entry has ru, en and kk; a kk text keeps the ru
text's placeholders and uses the ministries' terms (ҮЕҰ, өңір, бағыт, жоспар/факт, тікелей/жанама
бенефициарлар). Region, direction, indicator and bucket names come from the catalog, not from here.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGS = ("ru", "kk", "en")  # the order of the sidebar's language switch
DEFAULT_LANG = "ru"
LANG_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    # app and navigation
    "app_title": {"ru": "Социальные гранты: итоговые отчеты", "en": "Social grants: final reports",
                  "kk": "Әлеуметтік гранттар: қорытынды есептер"},
    "page_overview": {"ru": "Обзор", "en": "Overview", "kk": "Шолу"},
    "page_regions": {"ru": "Регионы", "en": "Regions", "kk": "Өңірлер"},
    "page_directions": {"ru": "Направления", "en": "Directions", "kk": "Бағыттар"},
    "page_ngos": {"ru": "НПО", "en": "NGOs", "kk": "ҮЕҰ"},
    "page_plan_fact": {"ru": "План и факт", "en": "Plan vs fact", "kk": "Жоспар және факт"},
    "page_participants": {"ru": "Участники", "en": "Participants", "kk": "Қатысушылар"},
    "page_quality": {"ru": "Качество данных", "en": "Data quality", "kk": "Деректер сапасы"},
    "page_report": {"ru": "Отчет", "en": "Report", "kk": "Есеп"},
    "section_figures": {"ru": "Показатели", "en": "Figures", "kk": "Көрсеткіштер"},
    "section_details": {"ru": "Подробности", "en": "Details", "kk": "Толығырақ"},
    # sidebar filters
    "filters": {"ru": "Фильтры", "en": "Filters", "kk": "Сүзгілер"},
    "language": {"ru": "Язык", "en": "Language", "kk": "Тіл"},
    "years": {"ru": "Годы", "en": "Years", "kk": "Жылдар"},
    "regions": {"ru": "Регионы", "en": "Regions", "kk": "Өңірлер"},
    "directions": {"ru": "Направления", "en": "Directions", "kk": "Бағыттар"},
    "ngo_search": {"ru": "Поиск НПО", "en": "NGO search", "kk": "ҮЕҰ іздеу"},
    "ngo_search_help": {"ru": "Часть названия организации, темы или номера договора",
                        "en": "Part of the organisation's name, the project title or the contract number",
                        "kk": "Ұйым атауының, жоба тақырыбының немесе шарт нөмірінің бір бөлігі"},
    "exclude_errors": {"ru": "Без отчетов с ошибками", "en": "Leave out reports with errors",
                       "kk": "Қателері бар есептерсіз"},
    "exclude_errors_help": {"ru": "Не учитывать отчеты, в которых найдены ошибки (не предупреждения)",
                            "en": "Leave out reports with findings of severity 'error' (warnings stay)",
                            "kk": "Қателер табылған есептер ескерілмейді (ескертулер бұған жатпайды)"},
    "all": {"ru": "все", "en": "all", "kk": "барлығы"},
    "reset_filters": {"ru": "Сбросить фильтры", "en": "Reset filters", "kk": "Сүзгілерді тазарту"},
    "link_hint": {"ru": "Ссылка на этот вид — в адресной строке", "en": "The address bar links to this view",
                  "kk": "Осы көрініске сілтеме — мекенжай жолағында"},
    "synthetic_note": {"ru": "Данные синтетические (демонстрационный пример)",
                       "en": "Synthetic data (a demonstration sample)",
                       "kk": "Деректер синтетикалық (демонстрациялық мысал)"},
    # counts and basis
    "basis": {"ru": "Основано на {reports} отчетах ({ngos} НПО)", "en": "Based on {reports} reports ({ngos} NGOs)",
              "kk": "{reports} есеп негізінде ({ngos} ҮЕҰ)"},
    "basis_filtered": {"ru": "с учетом фильтров", "en": "filters applied", "kk": "сүзгілер ескерілген"},
    "nothing_matches": {"ru": "Ни один отчет не подходит под фильтры. Ослабьте фильтры в боковой панели.",
                        "en": "No report matches the filters. Loosen the filters in the sidebar.",
                        "kk": "Сүзгілерге сәйкес келетін есеп жоқ. Бүйірлік панельдегі сүзгілерді кеңейтіңіз."},
    "empty_db_title": {"ru": "В базе пока нет отчетов", "en": "The database holds no reports yet",
                       "kk": "Дерекқорда әзірге есептер жоқ"},
    "empty_db_body": {
        "ru": "Загрузите отчеты (таблицы Excel или CSV) командой:\n\n"
              "```\npython -m grantstats ingest ПАПКА_С_ОТЧЕТАМИ --db {db}\n```\n\n"
              "или постройте демонстрационную базу: `make sample`, а затем обновите страницу.",
        "en": "Load reports (Excel or CSV spreadsheets) with:\n\n"
              "```\npython -m grantstats ingest FOLDER_WITH_REPORTS --db {db}\n```\n\n"
              "or build the demonstration database with `make sample`, then reload this page.",
        "kk": "Есептерді (Excel немесе CSV кестелерін) мына командамен жүктеңіз:\n\n"
              "```\npython -m grantstats ingest ЕСЕПТЕР_ҚАЛТАСЫ --db {db}\n```\n\n"
              "немесе демонстрациялық дерекқорды құрыңыз: `make sample`, содан кейін бетті жаңартыңыз."},
    "db_error": {"ru": "База данных недоступна: {error}", "en": "The database cannot be opened: {error}",
                 "kk": "Дерекқор қолжетімсіз: {error}"},
    # metrics
    "reports": {"ru": "Отчеты", "en": "Reports", "kk": "Есептер"},
    "ngos": {"ru": "НПО", "en": "NGOs", "kk": "ҮЕҰ"},
    "grant_amount": {"ru": "Сумма грантов", "en": "Grant amount", "kk": "Гранттар сомасы"},
    "direct": {"ru": "Прямые бенефициары", "en": "Direct beneficiaries", "kk": "Тікелей бенефициарлар"},
    "direct_plan": {"ru": "Прямые бенефициары, план", "en": "Direct beneficiaries, plan",
                    "kk": "Тікелей бенефициарлар, жоспар"},
    "direct_fact": {"ru": "Прямые бенефициары, факт", "en": "Direct beneficiaries, fact",
                    "kk": "Тікелей бенефициарлар, факт"},
    "indirect": {"ru": "Косвенные бенефициары", "en": "Indirect beneficiaries", "kk": "Жанама бенефициарлар"},
    "achievement": {"ru": "Выполнение плана", "en": "Plan achievement", "kk": "Жоспар орындалуы"},
    "direct_achievement": {"ru": "Выполнение плана (прямые)", "en": "Plan achieved (direct)",
                           "kk": "Жоспар орындалуы (тікелей)"},
    "cost_per_beneficiary": {"ru": "Стоимость на бенефициара", "en": "Cost per beneficiary",
                             "kk": "Бенефициарға шаққандағы құн"},
    "participants_total": {"ru": "Участники", "en": "Participants", "kk": "Қатысушылар"},
    "errors": {"ru": "Ошибки", "en": "Errors", "kk": "Қателер"},
    "warnings": {"ru": "Предупреждения", "en": "Warnings", "kk": "Ескертулер"},
    "met_all_plans": {"ru": "Выполнили все планы", "en": "Met every plan", "kk": "Барлық жоспарды орындағандар"},
    "vs_prev_year": {"ru": "{year} к {prev}", "en": "{year} vs {prev}", "kk": "{year} / {prev} жж."},
    "approx_note": {"ru": "≈ — в расчет вошли приблизительные значения («около», «не менее»)",
                    "en": "≈ — approximate values (“about”, “at least”) are counted at their number",
                    "kk": "≈ — есепке жуық мәндер енгізілген («шамамен», «кемінде»)"},
    # common column names
    "col_region": {"ru": "Регион", "en": "Region", "kk": "Өңір"},
    "col_direction": {"ru": "Направление", "en": "Direction", "kk": "Бағыт"},
    "col_year": {"ru": "Год", "en": "Year", "kk": "Жыл"},
    "col_ngo": {"ru": "НПО", "en": "NGO", "kk": "ҮЕҰ"},
    "col_grantee": {"ru": "Грантополучатель", "en": "Grantee", "kk": "Грант алушы"},
    "col_title": {"ru": "Проект", "en": "Project", "kk": "Жоба"},
    "col_report": {"ru": "Отчет", "en": "Report", "kk": "Есеп"},
    "col_reports": {"ru": "Отчеты", "en": "Reports", "kk": "Есептер"},
    "col_open": {"ru": "Открыть", "en": "Open", "kk": "Ашу"},
    "col_indicator": {"ru": "Индикатор", "en": "Indicator", "kk": "Индикатор"},
    "col_unit": {"ru": "Ед.", "en": "Unit", "kk": "Өлш. бірл."},
    "col_plan": {"ru": "План", "en": "Plan", "kk": "Жоспар"},
    "col_fact": {"ru": "Факт", "en": "Fact", "kk": "Факт"},
    "col_plan_text": {"ru": "План (как в отчете)", "en": "Plan (as written)", "kk": "Жоспар (есептегідей)"},
    "col_fact_text": {"ru": "Факт (как в отчете)", "en": "Fact (as written)", "kk": "Факт (есептегідей)"},
    "col_sum_plan": {"ru": "Σ план", "en": "Σ plan", "kk": "Σ жоспар"},
    "col_sum_fact": {"ru": "Σ факт", "en": "Σ fact", "kk": "Σ факт"},
    "col_gap": {"ru": "Разница (факт − план)", "en": "Gap (fact − plan)", "kk": "Айырма (факт − жоспар)"},
    "col_reports_both": {"ru": "Отчетов с планом и фактом", "en": "Reports with plan and fact",
                         "kk": "Жоспары мен фактісі бар есептер"},
    "col_share": {"ru": "Доля", "en": "Share", "kk": "Үлесі"},
    "col_people": {"ru": "Человек", "en": "People", "kk": "Адам"},
    "col_derived": {"ru": "Из процентов", "en": "From percent", "kk": "Пайыздан есептелген"},
    "col_derived_share": {"ru": "Доля из процентов", "en": "Share from percent", "kk": "Пайыздан есептелген үлес"},
    "col_rank": {"ru": "Место", "en": "Rank", "kk": "Орын"},
    "col_shortfall": {"ru": "Недовыполнение (план − факт)", "en": "Shortfall (plan − fact)",
                      "kk": "Орындалмағаны (жоспар − факт)"},
    "unit_people": {"ru": "чел.", "en": "people", "kk": "адам"},
    "unit_organizations": {"ru": "орг.", "en": "org.", "kk": "ұйым"},
    "unit_tenge": {"ru": "₸", "en": "₸", "kk": "₸"},
    "unit_org_or_people": {"ru": "орг./чел.", "en": "org./people", "kk": "ұйым/адам"},
    "col_rule": {"ru": "Правило", "en": "Rule", "kk": "Ереже"},
    "col_severity": {"ru": "Важность", "en": "Severity", "kk": "Маңыздылығы"},
    "col_message": {"ru": "Описание", "en": "Message", "kk": "Сипаттама"},
    "col_file": {"ru": "Файл", "en": "File", "kk": "Файл"},
    "col_sheet": {"ru": "Лист", "en": "Sheet", "kk": "Парақ"},
    "col_cell": {"ru": "Ячейка", "en": "Cell", "kk": "Ұяшық"},
    "col_findings": {"ru": "Замечания", "en": "Findings", "kk": "Ескертпелер"},
    "col_contract": {"ru": "Договор", "en": "Contract", "kk": "Шарт"},
    "col_value": {"ru": "Значение", "en": "Value", "kk": "Мәні"},
    "col_field": {"ru": "Поле", "en": "Field", "kk": "Өріс"},
    "severity_error": {"ru": "ошибка", "en": "error", "kk": "қате"},
    "severity_warning": {"ru": "предупреждение", "en": "warning", "kk": "ескерту"},
    "severity_info": {"ru": "замечание", "en": "note", "kk": "ескертпе"},
    # downloads
    "download_csv": {"ru": "CSV", "en": "CSV", "kk": "CSV"},
    "download_csv_semicolon": {"ru": "CSV для Excel (;)", "en": "CSV for Excel (;)", "kk": "Excel үшін CSV (;)"},
    "table_truncated": {"ru": "Показаны первые {shown} строк из {total}; в загрузке CSV и Excel — все строки.",
                        "en": "Showing the first {shown} of {total} rows; the CSV and Excel downloads hold every row.",
                        "kk": "{total} жолдың алғашқы {shown} жолы көрсетілген; CSV және Excel файлдарында — "
                              "барлық жолдар."},
    "download_xlsx": {"ru": "Excel", "en": "Excel", "kk": "Excel"},
    "download": {"ru": "Скачать", "en": "Download", "kk": "Жүктеп алу"},
    # overview
    "overview_title": {"ru": "Обзор", "en": "Overview", "kk": "Шолу"},
    "trend_by_year": {"ru": "Динамика по годам", "en": "Trend by year", "kk": "Жылдар бойынша серпін"},
    "top_bottom": {"ru": "Лидеры и отстающие", "en": "Top and bottom", "kk": "Көшбасшылар мен артта қалғандар"},
    "rank_by": {"ru": "Показатель", "en": "Metric", "kk": "Көрсеткіш"},
    "top": {"ru": "Больше всего", "en": "Highest", "kk": "Ең көп"},
    "bottom": {"ru": "Меньше всего", "en": "Lowest", "kk": "Ең аз"},
    "by_region": {"ru": "По регионам", "en": "By region", "kk": "Өңірлер бойынша"},
    "by_direction": {"ru": "По направлениям", "en": "By direction", "kk": "Бағыттар бойынша"},
    # regions / directions
    "map_title": {"ru": "Карта регионов: {metric}", "en": "Regions map: {metric}", "kk": "Өңірлер картасы: {metric}"},
    "ranked": {"ru": "Рейтинг: {metric}", "en": "Ranking: {metric}", "kk": "Рейтинг: {metric}"},
    "heatmap_region_year": {"ru": "Регион × год: {metric}", "en": "Region × year: {metric}",
                            "kk": "Өңір × жыл: {metric}"},
    "heatmap_direction_year": {"ru": "Направление × год: {metric}", "en": "Direction × year: {metric}",
                               "kk": "Бағыт × жыл: {metric}"},
    "region_split_note": {"ru": "Отчет по нескольким регионам делится между ними поровну (или по указанным долям).",
                          "en": "A multi-region report is split between its regions equally (or by the stated shares).",
                          "kk": "Бірнеше өңірге арналған есеп олардың арасында тең бөлінеді (немесе көрсетілген "
                                "үлестер бойынша)."},
    "drill_region": {"ru": "Открыть НПО региона", "en": "Open the region's NGOs", "kk": "Өңірдің ҮЕҰ-ларын ашу"},
    "table": {"ru": "Таблица", "en": "Table", "kk": "Кесте"},
    # ngos
    "choose_region": {"ru": "Регион", "en": "Region", "kk": "Өңір"},
    "all_regions": {"ru": "Все регионы", "en": "All regions", "kk": "Барлық өңірлер"},
    "ngos_side_by_side": {"ru": "НПО региона", "en": "The region's NGOs", "kk": "Өңірдің ҮЕҰ-лары"},
    "scatter_cost_achievement": {"ru": "Стоимость на бенефициара и выполнение плана",
                                 "en": "Cost per beneficiary against plan achievement",
                                 "kk": "Бенефициарға шаққандағы құн және жоспар орындалуы"},
    "scatter_hint": {"ru": "Размер точки — сумма гранта; пунктир — 100 % плана",
                     "en": "Marker size is the grant amount; the dashed line is 100 % of plan",
                     "kk": "Нүктенің өлшемі — грант сомасы; үзік сызық — жоспардың 100 %-ы"},
    # plan vs fact
    "indicators_table": {"ru": "Индикаторы: план и факт", "en": "Indicators: plan and fact",
                         "kk": "Индикаторлар: жоспар және факт"},
    "achievement_distribution": {"ru": "Выполнение плана по отчетам (прямые бенефициары)",
                                 "en": "Plan achievement per report (direct beneficiaries)",
                                 "kk": "Есептер бойынша жоспар орындалуы (тікелей бенефициарлар)"},
    "indicator": {"ru": "Индикатор", "en": "Indicator", "kk": "Индикатор"},
    "shortfalls": {"ru": "Самые большие недовыполнения", "en": "The largest shortfalls",
                   "kk": "Жоспардың ең көп орындалмауы"},
    "reports_count_axis": {"ru": "Отчетов", "en": "Reports", "kk": "Есептер саны"},
    "achievement_axis": {"ru": "Выполнение, %", "en": "Achievement, %", "kk": "Орындалуы, %"},
    # participants
    "gender": {"ru": "Пол", "en": "Gender", "kk": "Жынысы"},
    "age": {"ru": "Возраст", "en": "Age", "kk": "Жасы"},
    "categories": {"ru": "Категории участников", "en": "Participant categories", "kk": "Қатысушылар санаттары"},
    "categories_note": {"ru": "Категории пересекаются: их сумма не обязана равняться числу участников.",
                        "en": "Categories overlap: they need not add up to the participants' total.",
                        "kk": "Санаттар бір-бірімен қиылысады: олардың қосындысы қатысушылар санына тең болуы "
                              "міндетті емес."},
    "derived_note": {"ru": "Из процентов пересчитано: {people} чел. ({share} от показанного)",
                     "en": "Derived from percent: {people} people ({share} of what is shown)",
                     "kk": "Пайыздан қайта есептелді: {people} адам (көрсетілгеннің {share})"},
    "people_axis": {"ru": "Человек", "en": "People", "kk": "Адам"},
    # quality
    "findings_by_rule": {"ru": "Замечания по правилам и важности", "en": "Findings by rule and severity",
                         "kk": "Ережелер мен маңыздылығы бойынша ескертпелер"},
    "worst_reports": {"ru": "Отчеты с наибольшим числом ошибок", "en": "Reports with the most errors",
                      "kk": "Қателері ең көп есептер"},
    "all_findings": {"ru": "Все замечания", "en": "All findings", "kk": "Барлық ескертпелер"},
    "no_findings": {"ru": "Замечаний нет.", "en": "No findings.", "kk": "Ескертпелер жоқ."},
    "reports_with_errors": {"ru": "Отчетов с ошибками", "en": "Reports with errors", "kk": "Қателері бар есептер"},
    "reports_with_warnings": {"ru": "Отчетов с предупреждениями", "en": "Reports with warnings",
                              "kk": "Ескертулері бар есептер"},
    # report
    "choose_report": {"ru": "Отчет", "en": "Report", "kk": "Есеп"},
    "report_choices_limited": {"ru": "В списке {shown} самых новых из {total} отчетов: уточните фильтры или поиск по НПО",
                               "en": "The list holds the newest {shown} of {total} reports: narrow the filters or search by NGO",
                               "kk": "Тізімде {total} есептің ең жаңа {shown} есебі бар: сүзгілерді нақтылаңыз "
                                     "немесе ҮЕҰ бойынша іздеңіз"},
    "no_report": {"ru": "Отчет {report} не найден.", "en": "Report {report} was not found.",
                  "kk": "{report} есебі табылмады."},
    "passport": {"ru": "Паспорт", "en": "Passport", "kk": "Паспорт"},
    "indicators": {"ru": "Индикаторы", "en": "Indicators", "kk": "Индикаторлар"},
    "participants": {"ru": "Участники", "en": "Participants", "kk": "Қатысушылар"},
    "activities": {"ru": "Мероприятия", "en": "Activities", "kk": "Іс-шаралар"},
    "findings": {"ru": "Замечания", "en": "Findings", "kk": "Ескертпелер"},
    "source": {"ru": "Источник", "en": "Source", "kk": "Дереккөз"},
    "field_grantee": {"ru": "Грантополучатель", "en": "Grantee", "kk": "Грант алушы"},
    "field_title": {"ru": "Проект", "en": "Project", "kk": "Жоба"},
    "field_contract": {"ru": "Договор", "en": "Contract", "kk": "Шарт"},
    "field_period": {"ru": "Период реализации", "en": "Implementation period", "kk": "Іске асыру кезеңі"},
    "field_year": {"ru": "Год", "en": "Year", "kk": "Жыл"},
    "field_regions": {"ru": "Регион(ы)", "en": "Region(s)", "kk": "Өңір(лер)"},
    "field_direction": {"ru": "Направление", "en": "Direction", "kk": "Бағыт"},
    "field_amount": {"ru": "Сумма гранта", "en": "Grant amount", "kk": "Грант сомасы"},
    "field_amount_by_year": {"ru": "Сумма по годам", "en": "Amount by year", "kk": "Жылдар бойынша сома"},
    "field_report_date": {"ru": "Дата отчета", "en": "Report date", "kk": "Есеп күні"},
    "field_participants": {"ru": "Участников всего", "en": "Participants, total", "kk": "Қатысушылардың жалпы саны"},
    "field_file": {"ru": "Файл", "en": "File", "kk": "Файл"},
    "field_sheet_cell": {"ru": "Лист / ячейка", "en": "Sheet / cell", "kk": "Парақ / ұяшық"},
    "field_layout": {"ru": "Формат", "en": "Layout", "kk": "Пішім"},
    "field_loaded": {"ru": "Загружен", "en": "Loaded", "kk": "Жүктелген"},
    "field_sha": {"ru": "SHA-256", "en": "SHA-256", "kk": "SHA-256"},
    "col_task": {"ru": "Задача", "en": "Task", "kk": "Міндет"},
    "col_activity": {"ru": "Мероприятие", "en": "Activity", "kk": "Іс-шара"},
    "col_date": {"ru": "Дата", "en": "Date", "kk": "Күні"},
    "col_place": {"ru": "Место", "en": "Place", "kk": "Өткізілген орны"},
    "col_participants": {"ru": "Участники", "en": "Participants", "kk": "Қатысушылар"},
    "ngo_reports": {"ru": "Отчеты НПО «{ngo}»", "en": "Reports of the NGO “{ngo}”", "kk": "«{ngo}» ҮЕҰ есептері"},
    "derived_mark": {"ru": "из %", "en": "from %", "kk": "%-дан"},
    "dimension_gender": {"ru": "Пол", "en": "Gender", "kk": "Жынысы"},
    "dimension_age": {"ru": "Возраст", "en": "Age", "kk": "Жасы"},
    "dimension_category": {"ru": "Категория", "en": "Category", "kk": "Санаты"},
    "not_stated": {"ru": "не указан", "en": "not stated", "kk": "көрсетілмеген"},
    # upload (issue #7, grantstats.upload / pages/upload.py)
    "page_upload": {"ru": "Загрузка", "en": "Upload", "kk": "Жүктеу"},
    "section_data": {"ru": "Данные", "en": "Data", "kk": "Деректер"},
    "upload_intro": {"ru": "Перетащите файлы отчетов (xlsx, xlsm, xlsb, xls, ods, csv). Сначала они только читаются: "
                             "вы увидите найденные отчеты, замечания и что будет заменено — и лишь затем решите, "
                             "загружать ли их в базу. Каждый файл сохраняется в архиве.",
                     "en": "Drop report files (xlsx, xlsm, xlsb, xls, ods, csv). They are only read first: you see the "
                           "reports found, the findings and what would be replaced, and only then decide whether to "
                           "load them. Every file is kept in the archive.",
                     "kk": "Есеп файлдарын осында сүйреп әкеліңіз (xlsx, xlsm, xlsb, xls, ods, csv). Алдымен олар тек "
                           "оқылады: табылған есептерді, ескертпелерді және нені алмастыратынын көресіз — содан "
                           "кейін ғана оларды дерекқорға жүктеу-жүктемеуді шешесіз. Әрбір файл мұрағатта сақталады."},
    "upload_files": {"ru": "Файлы отчетов", "en": "Report files", "kk": "Есеп файлдары"},
    "upload_help": {"ru": "До {mb} МБ на файл", "en": "Up to {mb} MB a file",
                    "kk": "Бір файл {mb} МБ-тан аспауы керек"},
    "upload_reading": {"ru": "Читаю файлы (пробный прогон, база не меняется)…",
                       "en": "Reading the files (a dry run: the database is not changed)…",
                       "kk": "Файлдар оқылуда (сынақ режимі: дерекқор өзгермейді)…"},
    "upload_plan": {"ru": "Что будет загружено", "en": "What would be loaded", "kk": "Не жүктеледі"},
    "upload_counts": {"ru": "Файлов: {files} · отчетов к загрузке: {reports} · заменят прежние: {replacing} · "
                            "без изменений: {unchanged} · не приняты: {refused}",
                      "en": "Files: {files} · reports to load: {reports} · replacing earlier ones: {replacing} · "
                            "unchanged: {unchanged} · refused: {refused}",
                      "kk": "Файлдар: {files} · жүктелетін есептер: {reports} · бұрынғыларын алмастырады: "
                            "{replacing} · өзгеріссіз: {unchanged} · қабылданбады: {refused}"},
    "upload_refused": {"ru": "Файл «{name}» не принят: {reason}", "en": "The file “{name}” was refused: {reason}",
                       "kk": "«{name}» файлы қабылданбады: {reason}"},
    "upload_findings": {"ru": "Замечания к прочитанным отчетам", "en": "Findings about the reports read",
                        "kk": "Оқылған есептер бойынша ескертпелер"},
    "upload_load": {"ru": "Загрузить в базу", "en": "Load into the database", "kk": "Дерекқорға жүктеу"},
    "upload_cancel": {"ru": "Отмена", "en": "Cancel", "kk": "Болдырмау"},
    "upload_cancelled": {"ru": "Загрузка отменена: база не изменилась (файлы остались в архиве).",
                         "en": "Upload cancelled: the database is unchanged (the files stay in the archive).",
                         "kk": "Жүктеу болдырылмады: дерекқор өзгерген жоқ (файлдар мұрағатта қалды)."},
    "upload_nothing": {"ru": "Загружать нечего: все файлы уже загружены или не приняты.",
                       "en": "Nothing to load: every file is already loaded or was refused.",
                       "kk": "Жүктейтін ештеңе жоқ: барлық файл бұрын жүктелген немесе қабылданбаған."},
    "upload_done": {"ru": "Загружено отчетов: {reports} из {files} файлов.", "en": "Loaded {reports} reports from {files} files.",
                    "kk": "{files} файлдан {reports} есеп жүктелді."},
    "upload_result_loaded": {"ru": "«{name}»: загружено отчетов — {reports}", "en": "“{name}”: {reports} reports loaded",
                             "kk": "«{name}»: жүктелген есептер — {reports}"},
    "upload_result_replaced": {"ru": "; заменено прежних — {replaced} (прежние версии сохранены в истории)",
                               "en": "; {replaced} earlier ones replaced (kept in the history)",
                               "kk": "; алмастырылған бұрынғы есептер — {replaced} (бұрынғы нұсқалар тарихта "
                                     "сақталды)"},
    "upload_result_unchanged": {"ru": "«{name}»: уже загружен, ничего не изменилось",
                                "en": "“{name}”: already loaded, nothing changed",
                                "kk": "«{name}»: бұрын жүктелген, ештеңе өзгерген жоқ"},
    "col_status": {"ru": "Статус", "en": "Status", "kk": "Күйі"},
    "col_replaces": {"ru": "Заменит", "en": "Replaces", "kk": "Нені алмастырады"},
    "status_new": {"ru": "новый", "en": "new", "kk": "жаңа"},
    "status_replaces": {"ru": "заменит прежний", "en": "replaces", "kk": "бұрынғысын алмастырады"},
    "status_unchanged": {"ru": "без изменений", "en": "unchanged", "kk": "өзгеріссіз"},
    "status_refused": {"ru": "не принят", "en": "refused", "kk": "қабылданбады"},
    "status_empty": {"ru": "отчетов нет", "en": "no reports", "kk": "есептер жоқ"},
    # report versions (issue #7, grantstats.history)
    "versions": {"ru": "Версии отчета", "en": "Report versions", "kk": "Есеп нұсқалары"},
    "versions_none": {"ru": "Прежних версий нет: отчет не заменялся.", "en": "No earlier versions: the report was never replaced.",
                      "kk": "Бұрынғы нұсқалар жоқ: есеп алмастырылмаған."},
    "version_current": {"ru": "текущая", "en": "current", "kk": "ағымдағы"},
    "col_version": {"ru": "Версия", "en": "Version", "kk": "Нұсқа"},
    "col_loaded": {"ru": "Загружен", "en": "Loaded", "kk": "Жүктелген"},
    "col_replaced_at": {"ru": "Заменен", "en": "Replaced", "kk": "Алмастырылған"},
    "col_replaced_by": {"ru": "Чем заменен", "en": "Replaced by", "kk": "Немен алмастырылған"},
    "version_restore": {"ru": "Сделать текущей версию", "en": "Make current: version", "kk": "Ағымдағы ету: нұсқа"},
    "version_restored": {"ru": "Версия {version} снова текущая; прежняя текущая сохранена как версия {archived}.",
                         "en": "Version {version} is current again; the one it replaced is kept as version {archived}.",
                         "kk": "{version} нұсқасы қайтадан ағымдағы; бұрынғы ағымдағы нұсқа {archived} нұсқасы "
                               "ретінде сақталды."},
    # summary workbook (grantstats.export): cover sheet, sheet titles, notes, column headers
    "wb_title": {"ru": "Сводная таблица: итоговые отчеты по государственным социальным грантам",
                 "en": "Summary workbook: final reports on state social grants",
                 "kk": "Жиынтық кесте: мемлекеттік әлеуметтік гранттар бойынша қорытынды есептер"},
    "wb_cover": {"ru": "Сводка", "en": "Cover", "kk": "Жиынтық"},
    "wb_made": {"ru": "Сформировано", "en": "Made", "kk": "Қалыптастырылған уақыты"},
    "wb_source": {"ru": "Источник данных", "en": "Data source", "kk": "Деректер көзі"},
    "wb_source_value": {"ru": "база {db}: {files} файлов, {reports} отчетов; последняя загрузка {last}",
                        "en": "database {db}: {files} files, {reports} reports; last load {last}",
                        "kk": "{db} дерекқоры: {files} файл, {reports} есеп; соңғы жүктеу {last}"},
    "wb_no_filters": {"ru": "нет (все отчеты)", "en": "none (every report)", "kk": "жоқ (барлық есептер)"},
    "wb_filter_text": {"ru": "Поиск", "en": "Search", "kk": "Іздеу"},
    "wb_filter_errors": {"ru": "Отчеты с ошибками", "en": "Reports with errors", "kk": "Қателері бар есептер"},
    "wb_filter_errors_value": {"ru": "не учитываются", "en": "left out", "kk": "есепке алынбайды"},
    "wb_filter_reports": {"ru": "Отчеты (выбраны)", "en": "Reports (chosen)", "kk": "Есептер (таңдалған)"},
    "wb_reports_selected": {"ru": "Отчетов в выборке", "en": "Reports selected", "kk": "Іріктемедегі есептер"},
    "wb_of_them_with_errors": {"ru": "из них с ошибками", "en": "of them with errors",
                               "kk": "оның ішінде қателері барлары"},
    "wb_of_them_with_warnings": {"ru": "из них с предупреждениями", "en": "of them with warnings",
                                 "kk": "оның ішінде ескертулері барлары"},
    "wb_key_figures": {"ru": "Основные показатели", "en": "Key figures", "kk": "Негізгі көрсеткіштер"},
    "wb_sheets": {"ru": "Листы", "en": "Sheets", "kk": "Парақтар"},
    "wb_notes": {"ru": "Примечания", "en": "Notes", "kk": "Түсіндірмелер"},
    "wb_total": {"ru": "Итого", "en": "Total", "kk": "Барлығы"},
    "wb_by_year": {"ru": "По годам", "en": "By year", "kk": "Жылдар бойынша"},
    "wb_figures_by_region": {"ru": "Показатели по регионам", "en": "Figures by region",
                             "kk": "Өңірлер бойынша көрсеткіштер"},
    "wb_figures_by_direction": {"ru": "Показатели по направлениям грантов", "en": "Figures by grant direction",
                                "kk": "Грант бағыттары бойынша көрсеткіштер"},
    "wb_figures_by_year": {"ru": "Показатели по годам (год начала проекта)",
                           "en": "Figures by year (the year the project started)",
                           "kk": "Жылдар бойынша көрсеткіштер (жобаның басталған жылы)"},
    "wb_figures_by_ngo": {"ru": "Показатели по НПО", "en": "Figures by NGO", "kk": "ҮЕҰ бойынша көрсеткіштер"},
    "wb_plan_fact_by_indicator": {"ru": "План и факт по индикаторам", "en": "Plan versus fact per indicator",
                                  "kk": "Индикаторлар бойынша жоспар және факт"},
    "wb_participants_breakdown": {"ru": "Участники: пол, возраст, категории",
                                  "en": "Participants: gender, age, categories",
                                  "kk": "Қатысушылар: жынысы, жасы, санаттары"},
    "wb_findings_per_rule": {"ru": "Замечания по правилам проверки", "en": "Findings per quality rule",
                             "kk": "Тексеру ережелері бойынша ескертпелер"},
    "wb_findings_per_report": {"ru": "Все замечания по отчетам", "en": "Every finding, report by report",
                               "kk": "Есептер бойынша барлық ескертпелер"},
    "wb_note_regions": {"ru": "Отчет по нескольким регионам делится между ними поровну (или по указанным долям): "
                              "суммы по регионам равны итогу; число отчетов в регионе считает такой отчет в каждом "
                              "из них.",
                        "en": "A multi-region report is split between its regions equally (or by its stated shares): "
                              "the regions add up to the total; a region's report count counts such a report in each "
                              "region.",
                        "kk": "Бірнеше өңірге арналған есеп олардың арасында тең (немесе көрсетілген үлестер "
                              "бойынша) бөлінеді: өңірлер бойынша сомалар жалпы жиынға тең; өңірдегі есептер саны "
                              "мұндай есепті әр өңірде санайды."},
    "wb_note_plan": {"ru": "План и факт суммируются по отчетам, где указаны оба значения; выполнение = Σфакт / Σплан.",
                     "en": "Plan and fact are summed over the reports giving both; achievement = Σfact / Σplan.",
                     "kk": "Жоспар мен факт екі мәні де көрсетілген есептер бойынша қосылады; орындалуы = "
                           "Σфакт / Σжоспар."},
    "wb_note_personal": {"ru": "Персональные данные (ФИО, телефоны, адреса руководителей и партнеров) не выгружаются.",
                         "en": "Personal data (names, phones, addresses of heads and partners) is never exported.",
                         "kk": "Дербес деректер (аты-жөні, телефондар, басшылар мен серіктестердің мекенжайлары) "
                               "файлға шығарылмайды."},
    "wb_note_approx": {"ru": "Значения с оговоркой («около», «не менее») учтены по их числу.",
                       "en": "Values with a qualifier (“about”, “at least”) are counted at their number.",
                       "kk": "Ескертпемен берілген мәндер («шамамен», «кемінде») көрсетілген сан бойынша есепке "
                             "алынды."},
    "wb_note_total_reports": {"ru": "В строке «Итого» — число отчетов без повторов.",
                              "en": "The total row counts each report once.",
                              "kk": "«Барлығы» жолында әр есеп бір рет саналады."},
    "wb_dimension_categories": {"ru": "Категории", "en": "Categories", "kk": "Санаттар"},
    "wb_unit_people": {"ru": "человек", "en": "people", "kk": "адам"},
    "wb_unit_organizations": {"ru": "организаций", "en": "organisations", "kk": "ұйым"},
    "wb_unit_tenge": {"ru": "тенге", "en": "tenge", "kk": "теңге"},
    "wb_unit_org_or_people": {"ru": "организаций/человек", "en": "organisations/people", "kk": "ұйым/адам"},
    "col_region_code": {"ru": "Код региона", "en": "Region code", "kk": "Өңір коды"},
    "col_direction_code": {"ru": "Код направления", "en": "Direction code", "kk": "Бағыт коды"},
    "col_indicator_code": {"ru": "Код индикатора", "en": "Indicator code", "kk": "Индикатор коды"},
    "col_group_code": {"ru": "Код группы", "en": "Group code", "kk": "Топ коды"},
    "col_group": {"ru": "Группа", "en": "Group", "kk": "Топ"},
    "col_reports_weighted": {"ru": "Отчетов (с учетом долей)", "en": "Reports (weighted)",
                             "kk": "Есептер саны (үлестерді ескергенде)"},
    "col_indirect_fact": {"ru": "Косвенные бенефициары, факт", "en": "Indirect beneficiaries, fact",
                          "kk": "Жанама бенефициарлар, факт"},
    "col_total_reach": {"ru": "Общий охват", "en": "Total reach", "kk": "Жалпы қамту"},
    "col_male": {"ru": "Мужчин", "en": "Male", "kk": "Ер адамдар"},
    "col_female": {"ru": "Женщин", "en": "Female", "kk": "Әйелдер"},
    "col_direct_plan_with_fact": {"ru": "Прямые бенефициары, план*", "en": "Direct beneficiaries, plan*",
                                  "kk": "Тікелей бенефициарлар, жоспар*"},
    "col_direct_fact_with_plan": {"ru": "Прямые бенефициары, факт*", "en": "Direct beneficiaries, fact*",
                                  "kk": "Тікелей бенефициарлар, факт*"},
    "col_cost_median": {"ru": "Медиана стоимости", "en": "Median cost", "kk": "Құнның медианасы"},
    "col_plans_met_share": {"ru": "Доля отчетов, выполнивших все планы", "en": "Share meeting every plan",
                            "kk": "Барлық жоспарды орындаған есептердің үлесі"},
    "col_unit_of_measure": {"ru": "Ед. изм.", "en": "Unit", "kk": "Өлшем бірлігі"},
    "col_reports_with_plan": {"ru": "Отчетов с планом", "en": "Reports with plan", "kk": "Жоспары бар есептер"},
    "col_reports_with_fact": {"ru": "Отчетов с фактом", "en": "Reports with fact", "kk": "Фактісі бар есептер"},
    "col_fact_without_plan": {"ru": "Факт без плана", "en": "Fact without plan", "kk": "Жоспарсыз факт"},
    "col_achievement": {"ru": "Выполнение", "en": "Achievement", "kk": "Орындалуы"},
    "col_gap_fact_plan": {"ru": "Разница факт − план", "en": "Gap fact − plan", "kk": "Айырма: факт − жоспар"},
    "col_met_plan_share": {"ru": "Доля выполнивших план", "en": "Share meeting plan",
                           "kk": "Жоспарды орындағандар үлесі"},
    "col_approx_share": {"ru": "Доля приблизительных значений", "en": "Share of approximate values",
                         "kk": "Жуық мәндердің үлесі"},
    "col_derived_people": {"ru": "Из них пересчитано из %", "en": "Of them derived from %",
                           "kk": "Оның ішінде %-дан қайта есептелгені"},
    "col_reports_with_percent": {"ru": "Отчетов с данными в %", "en": "Reports giving %",
                                 "kk": "Деректері %-бен берілген есептер"},
    "col_findings_count": {"ru": "Замечаний", "en": "Findings", "kk": "Ескертпелер саны"},
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (falling back to Russian), with ``{placeholders}`` filled."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**values) if values else text


SEVERITIES = ("error", "warning", "info")


def severity_name(code: object, lang: str = DEFAULT_LANG) -> str:
    """A finding severity (error, warning, info) as a word in ``lang``; an unknown code stays as it is."""
    return t(f"severity_{code}", lang) if code in SEVERITIES else str(code)


def severity_names(codes: Iterable[object], lang: str = DEFAULT_LANG) -> list[str]:
    """``severity_name`` of every code of a column (each distinct code looked up once)."""
    names: dict[object, str] = {}
    return [names[c] if c in names else names.setdefault(c, severity_name(c, lang)) for c in codes]


def message_column(lang: str) -> str:
    """The column of a finding's message in ``lang``: findings are stored in Russian and English, so Kazakh
    shows the Russian text."""
    return "message_en" if lang == "en" else "message_ru"


def missing_keys(lang: str) -> list[str]:
    """Keys without a text in ``lang`` (for tests and for whoever adds a language)."""
    return sorted(k for k, v in TEXTS.items() if not v.get(lang))
