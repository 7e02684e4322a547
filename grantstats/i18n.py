"""Every label the dashboard and the summary workbook show, in one table: key -> {language: text}.

``t(key, lang, **values)`` returns the text in the language (a language without a text for a key falls
back to Russian), with ``{placeholders}`` filled. A missing key is an error in tests, and shows as the key
itself in the app rather than breaking a page. Every entry has ru, en and kk; a kk text keeps the ru
text's placeholders and uses the ministries' terms (ҮЕҰ, өңір, бағыт, жоспар/факт, тікелей/жанама
бенефициарлар). Region, direction, indicator and bucket names come from the catalog, not from here.
"""

from __future__ import annotations


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
    "basis": {"ru": "Основано на отчетах: {reports} (НПО: {ngos})", "en": "Based on reports: {reports} (NGOs: {ngos})",
              "kk": "{reports} есеп негізінде ({ngos} ҮЕҰ)"},
    "basis_filtered": {"ru": "с учетом фильтров", "en": "filters applied", "kk": "сүзгілер ескерілген"},
    "nothing_matches": {"ru": "Ни один отчет не подходит под фильтры. Ослабьте фильтры в боковой панели.",
                        "en": "No report matches the filters. Loosen the filters in the sidebar.",
                        "kk": "Сүзгілерге сәйкес келетін есеп жоқ. Бүйірлік панельдегі сүзгілерді кеңейтіңіз."},
    "empty_db_title": {"ru": "В базе пока нет отчетов", "en": "The database holds no reports yet",
                       "kk": "Дерекқорда әзірге есептер жоқ"},
    "empty_db_body": {
        "ru": "Загрузите отчеты (таблицы Excel или CSV, файлы Word или PDF) командой:\n\n"
              "```\npython -m grantstats ingest ПАПКА_С_ОТЧЕТАМИ --db {db}\n```\n\n"
              "или постройте демонстрационную базу: `make sample`, а затем обновите страницу.",
        "en": "Load reports (Excel or CSV spreadsheets, Word files or PDFs) with:\n\n"
              "```\npython -m grantstats ingest FOLDER_WITH_REPORTS --db {db}\n```\n\n"
              "or build the demonstration database with `make sample`, then reload this page.",
        "kk": "Есептерді (Excel немесе CSV кестелерін, Word файлдарын немесе PDF) мына командамен жүктеңіз:\n\n"
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
    "card_achievement": {"ru": "Выполнение плана", "en": "Plan achieved", "kk": "Жоспар орындалуы"},
    "card_cost": {"ru": "Затраты на бенефициара", "en": "Cost per beneficiary", "kk": "Бір бенефициарға құн"},
    "card_total": {"ru": "За {years}: {value}", "en": "{years}: {value}", "kk": "{years} жылдары: {value}"},
    "summary_workbook": {"ru": "Сводная таблица (Excel)", "en": "Summary workbook (Excel)",
                         "kk": "Жиынтық кесте (Excel)"},
    "summary_workbook_help": {"ru": "Все показатели по текущим фильтрам и на этом языке: сводка, регионы, направления, "
                                    "годы, НПО, план и факт, участники, замечания. Имя файла называет фильтры.",
                              "en": "Every figure for the current filters, in this language: cover, regions, "
                                    "directions, years, NGOs, plan and fact, participants, findings. The file name "
                                    "names the filters.",
                              "kk": "Ағымдағы сүзгілер бойынша барлық көрсеткіштер, осы тілде: жиынтық, өңірлер, "
                                    "бағыттар, жылдар, ҮЕҰ, жоспар мен факт, қатысушылар, ескертпелер. Файл атауында "
                                    "сүзгілер көрсетіледі."},
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
    "scatter_hint": {"ru": "Размер точки — сумма гранта; подписаны {labelled} НПО с наибольшими грантами; "
                           "пунктир — 100 % плана",
                     "en": "Marker size is the grant amount; the {labelled} NGOs with the largest grants are named; "
                           "the dashed line is 100 % of plan",
                     "kk": "Нүктенің өлшемі — грант сомасы; гранттары ең ірі {labelled} ұйымның атауы жазылған; "
                           "үзік сызық — жоспардың 100 %-ы"},
    "ngo_link_hint": {"ru": "Название НПО открывает ее профиль: все гранты по годам, замечания и исходные файлы.",
                      "en": "An NGO's name opens its profile: every grant year by year, the findings and the source "
                            "files.",
                      "kk": "Ұйымның атауы оның профилін ашады: жылдар бойынша барлық гранттары, ескертпелері және "
                            "бастапқы файлдары."},
    "region_link_hint": {"ru": "Название региона открывает его НПО.", "en": "A region's name opens its NGOs.",
                         "kk": "Өңірдің атауы оның ҮЕҰ-ларын ашады."},
    "heatmap_one_year": {"ru": "Выбран один год ({year}): разбивка по годам не нужна — см. рейтинг выше.",
                         "en": "One year is chosen ({year}): no split by year — see the ranking above.",
                         "kk": "Бір жыл таңдалған ({year}): жылдар бойынша бөлу қажет емес — жоғарыдағы рейтингті "
                               "қараңыз."},
    # the NGO profile (pages/ngo.py)
    "page_ngo": {"ru": "Профиль НПО", "en": "NGO profile", "kk": "ҮЕҰ профилі"},
    "ngo_choose": {"ru": "НПО", "en": "NGO", "kk": "ҮЕҰ"},
    "ngo_choose_help": {"ru": "Начните вводить название. В списке — НПО, отобранные фильтрами; сам профиль "
                              "показывает все годы, регионы и направления.",
                        "en": "Start typing a name. The list holds the NGOs the filters select; the profile itself "
                              "shows every year, region and direction.",
                        "kk": "Атауын тере бастаңыз. Тізімде сүзгілер таңдаған ұйымдар; профильдің өзі барлық "
                              "жылдарды, өңірлерді және бағыттарды көрсетеді."},
    "ngo_not_found": {"ru": "НПО «{ngo}» не найдена.", "en": "No NGO “{ngo}” was found.",
                      "kk": "«{ngo}» ұйымы табылмады."},
    "ngo_all_years": {"ru": "все годы, регионы и направления (фильтры боковой панели не сужают профиль)",
                      "en": "every year, region and direction (the sidebar's filters do not narrow a profile)",
                      "kk": "барлық жылдар, өңірлер және бағыттар (бүйірлік панельдің сүзгілері профильді "
                            "тарылтпайды)"},
    "ngo_bin": {"ru": "БИН", "en": "BIN", "kk": "БСН"},
    "ngo_also_written": {"ru": "также записана как", "en": "also written as", "kk": "былайша да жазылған"},
    "field_years": {"ru": "Годы", "en": "Years", "kk": "Жылдар"},
    "ngo_grants": {"ru": "Гранты", "en": "Grants", "kk": "Гранттар"},
    "ngo_files": {"ru": "Исходные файлы", "en": "Source files", "kk": "Бастапқы файлдар"},
    "col_report_year": {"ru": "Отчет (год)", "en": "Report (year)", "kk": "Есеп (жыл)"},
    "file_not_kept": {"ru": "файла нет ни в архиве загрузок, ни там, откуда он был загружен",
                      "en": "the file is neither in the upload archive nor where it was loaded from",
                      "kk": "файл жүктеулер мұрағатында да, жүктелген жерінде де жоқ"},
    "download_original": {"ru": "Скачать файл", "en": "Download the file", "kk": "Файлды жүктеп алу"},
    "layout_registry": {"ru": "сводная таблица", "en": "consolidated sheet", "kk": "жиынтық кесте"},
    "layout_form": {"ru": "таблица по форме отчета", "en": "workbook laid out like the form",
                    "kk": "есеп нысаны бойынша кесте"},
    "layout_tidy": {"ru": "выгрузка grantstats", "en": "grantstats export", "kk": "grantstats экспорты"},
    "layout_word": {"ru": "документ Word", "en": "Word document", "kk": "Word құжаты"},
    "layout_pdf": {"ru": "PDF из Word", "en": "PDF saved from Word", "kk": "Word-тан сақталған PDF"},
    # plan vs fact
    "indicators_table": {"ru": "Индикаторы: план и факт", "en": "Indicators: plan and fact",
                         "kk": "Индикаторлар: жоспар және факт"},
    "achievement_distribution": {"ru": "Выполнение плана по отчетам (прямые бенефициары)",
                                 "en": "Plan achievement per report (direct beneficiaries)",
                                 "kk": "Есептер бойынша жоспар орындалуы (тікелей бенефициарлар)"},
    "indicator": {"ru": "Индикатор", "en": "Indicator", "kk": "Индикатор"},
    "achievement_per_report": {"ru": "Выполнение плана по отчетам", "en": "Plan achievement per report",
                               "kk": "Есептер бойынша жоспар орындалуы"},
    "achievement_colours": {"ru": "Синий — план выполнен; светло-оранжевый — 90–100 %; оранжевый — меньше 90 %.",
                            "en": "Blue: plan met; light orange: 90–100 %; orange: below 90 %.",
                            "kk": "Көк — жоспар орындалды; ашық қызғылт сары — 90–100 %; қызғылт сары — 90 %-дан "
                                  "аз."},
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
    "report_not_found": {"ru": "Отчет «{report}» не найден: такого отчета в базе нет и не было.",
                         "en": "Report “{report}” was not found: the database does not hold it and never did.",
                         "kk": "«{report}» есебі табылмады: дерекқорда ондай есеп жоқ және болған емес."},
    "report_replaced": {"ru": "Отчет «{report}» заменен ({when}) при загрузке файла «{file}»; прежняя версия — "
                              "в истории.",
                        "en": "Report “{report}” was replaced ({when}) by the load of the file “{file}”; the earlier "
                              "version is kept in the history.",
                        "kk": "«{report}» есебі «{file}» файлын жүктегенде алмастырылды ({when}); бұрынғы нұсқасы "
                              "тарихта сақталған."},
    "report_current_version": {"ru": "Открыть текущую версию отчета", "en": "Open the current version of the report",
                               "kk": "Есептің ағымдағы нұсқасын ашу"},
    "report_choose_another": {"ru": "Выбрать другой отчет", "en": "Choose another report",
                              "kk": "Басқа есепті таңдау"},
    "ngo_profile_link": {"ru": "профиль НПО: все ее гранты", "en": "the NGO's profile: all its grants",
                         "kk": "ұйымның профилі: барлық гранттары"},
    "indicators_none": {"ru": "Отчет не приводит индикаторов.", "en": "The report gives no indicators.",
                        "kk": "Есепте индикаторлар келтірілмеген."},
    "participants_none": {"ru": "Отчет не приводит данных об участниках (ни пола, ни возраста, ни категорий).",
                          "en": "The report gives no figures on participants (no gender, age or categories).",
                          "kk": "Есепте қатысушылар туралы деректер жоқ (жынысы, жасы, санаттары да)."},
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
    "upload_intro": {"ru": "Перетащите файлы отчетов (xlsx, xlsm, xlsb, xls, ods, csv, Word docx, PDF из Word). "
                           "Сначала они только читаются: вы увидите найденные отчеты, замечания и что будет заменено — "
                           "и лишь затем решите, загружать ли их в базу. Каждый файл сохраняется в архиве.",
                     "en": "Drop report files (xlsx, xlsm, xlsb, xls, ods, csv, Word docx, PDF saved from Word). They "
                           "are only read first: you see the reports found, the findings and what would be replaced, "
                           "and only then decide whether to load them. Every file is kept in the archive.",
                     "kk": "Есеп файлдарын осында сүйреп әкеліңіз (xlsx, xlsm, xlsb, xls, ods, csv, Word docx, "
                           "Word-тан сақталған PDF). Алдымен олар тек оқылады: табылған есептерді, ескертпелерді және "
                           "нені алмастыратынын көресіз — содан кейін ғана оларды дерекқорға жүктеу-жүктемеуді "
                           "шешесіз. Әрбір файл мұрағатта сақталады."},
    "upload_files": {"ru": "Файлы отчетов", "en": "Report files", "kk": "Есеп файлдары"},
    "upload_help": {"ru": "До {mb} МБ на файл", "en": "Up to {mb} MB a file",
                    "kk": "Бір файл {mb} МБ-тан аспауы керек"},
    "upload_browse": {"ru": "Выбрать файлы", "en": "Browse files", "kk": "Файлдарды таңдау"},
    "upload_limits": {"ru": "До {mb} МБ на файл · {types}", "en": "Up to {mb} MB a file · {types}",
                      "kk": "Бір файлға {mb} МБ-қа дейін · {types}"},
    "upload_unchanged": {"ru": "Файл «{name}» не изменит базу: {reason}", "en": "The file “{name}” changes nothing: {reason}",
                         "kk": "«{name}» файлы дерекқорды өзгертпейді: {reason}"},
    "upload_already_loaded": {"ru": "он уже загружен («{file}», {when})", "en": "it is already loaded (“{file}”, {when})",
                              "kk": "ол бұрын жүктелген («{file}», {when})"},
    "upload_same_in_upload": {"ru": "это тот же файл, что «{file}» в этой загрузке",
                              "en": "it is the same file as “{file}” in this upload",
                              "kk": "бұл осы жүктеудегі «{file}» файлымен бірдей"},
    "upload_replaces_stored": {"ru": "{report} из «{file}» (загружен {when})", "en": "{report} from “{file}” (loaded {when})",
                               "kk": "«{file}» файлындағы {report} ({when} жүктелген)"},
    "upload_replaces_in_upload": {"ru": "{report} из «{file}» (в этой загрузке)",
                                  "en": "{report} from “{file}” (in this upload)",
                                  "kk": "«{file}» файлындағы {report} (осы жүктеуде)"},
    "upload_findings_counted": {"ru": "Замечания к прочитанным отчетам: ошибок — {errors}, предупреждений — {warnings}, "
                                      "к сведению — {infos}",
                                "en": "Findings about the reports read: {errors} errors, {warnings} warnings, "
                                      "{infos} notes",
                                "kk": "Оқылған есептер бойынша ескертпелер: қателер — {errors}, ескертулер — "
                                      "{warnings}, мәлімет үшін — {infos}"},
    "upload_errors_confirm": {"ru": "В {reports} отчетах к загрузке найдены ошибки (всего {errors}). Загруженные, они "
                                    "войдут во все показатели (их можно исключить фильтром «Без отчетов с ошибками»). "
                                    "Загрузить их все равно — или отменить и исправить файлы?",
                              "en": "{reports} of the reports to load have errors ({errors} in all). Once loaded, they "
                                    "count in every figure (the filter «Leave out reports with errors» leaves them "
                                    "out). Load them all the same, or cancel and correct the files?",
                              "kk": "Жүктелетін {reports} есепте қателер табылды (барлығы {errors}). Жүктелсе, олар "
                                    "барлық көрсеткіштерге кіреді (оларды «Қателері бар есептерсіз» сүзгісімен "
                                    "алып тастауға болады). Бәрібір жүктеу керек пе, әлде болдырмай, файлдарды түзету "
                                    "керек пе?"},
    "upload_load_anyway": {"ru": "Загрузить, несмотря на ошибки", "en": "Load them, errors and all",
                           "kk": "Қателеріне қарамастан жүктеу"},
    "upload_new_reports": {"ru": "Загруженные отчеты", "en": "The reports loaded", "kk": "Жүктелген есептер"},
    "upload_reading": {"ru": "Читаю файлы (пробный прогон, база не меняется)…",
                       "en": "Reading the files (a dry run: the database is not changed)…",
                       "kk": "Файлдар оқылуда (сынақ режимі: дерекқор өзгермейді)…"},
    "upload_plan": {"ru": "Что будет загружено", "en": "What would be loaded", "kk": "Не жүктеледі"},
    "upload_counts": {"ru": "Файлов: {files} · отчетов к загрузке: {reports} · заменят прежние: {replacing} · "
                            "без изменений: {unchanged} · не приняты: {refused} · ошибок: {errors} · "
                            "предупреждений: {warnings}",
                      "en": "Files: {files} · reports to load: {reports} · replacing earlier ones: {replacing} · "
                            "unchanged: {unchanged} · refused: {refused} · errors: {errors} · warnings: {warnings}",
                      "kk": "Файлдар: {files} · жүктелетін есептер: {reports} · бұрынғыларын алмастырады: "
                            "{replacing} · өзгеріссіз: {unchanged} · қабылданбады: {refused} · қателер: {errors} · "
                            "ескертулер: {warnings}"},
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
    # issue 17: reporting completeness (pages/completeness.py, the Upload page's contracts list)
    "page_completeness": {"ru": "Сдача отчетов", "en": "Reports due", "kk": "Есептерді тапсыру"},
    "cp_no_contracts_title": {"ru": "Список договоров не загружен", "en": "No contracts list is loaded",
                              "kk": "Шарттар тізімі жүктелмеген"},
    "cp_no_contracts_body": {
        "ru": "Чтобы видеть, кто сдал отчет, а кто нет, загрузите список заключенных договоров (номер и дата "
              "договора, грантополучатель, проект, регион, направление, сумма, период, срок сдачи отчета): на "
              "странице «Загрузка» выберите «Список договоров» или командой\n\n"
              "```\npython -m grantstats ingest --contracts ФАЙЛ --db {db}\n```",
        "en": "To see who has reported and who has not, load the list of awarded grants (contract number and date, "
              "grantee, project, region, direction, amount, period, report due date): choose “Contracts list” on "
              "the Upload page, or run\n\n```\npython -m grantstats ingest --contracts FILE --db {db}\n```",
        "kk": "Кім есеп тапсырғанын, кім тапсырмағанын көру үшін жасалған шарттар тізімін жүктеңіз (шарттың нөмірі "
              "мен күні, грант алушы, жоба, өңір, бағыт, сома, кезең, есепті тапсыру мерзімі): «Жүктеу» бетінде "
              "«Шарттар тізімі» дегенді таңдаңыз немесе мына командамен\n\n"
              "```\npython -m grantstats ingest --contracts ФАЙЛ --db {db}\n```"},
    "cp_basis": {"ru": "Договоров в списке: {contracts} (загружено файлов: {files}, годы {years})",
                 "en": "Contracts in the list: {contracts} ({files} files loaded, years {years})",
                 "kk": "Тізімдегі шарттар: {contracts} (жүктелген файлдар: {files}, жылдар {years})"},
    "cp_as_of": {"ru": "На дату", "en": "As of", "kk": "Күні бойынша"},
    "cp_due_days": {"ru": "Срок сдачи, дней после окончания проекта", "en": "Due, days after the project ends",
                    "kk": "Тапсыру мерзімі, жоба аяқталғаннан кейінгі күндер"},
    "cp_due_days_help": {"ru": "Для договоров, у которых в списке нет срока сдачи отчета",
                         "en": "For contracts the list gives no report due date for",
                         "kk": "Тізімде есепті тапсыру мерзімі көрсетілмеген шарттар үшін"},
    "cp_contracts": {"ru": "Договоров", "en": "Contracts", "kk": "Шарттар"},
    "cp_received": {"ru": "Отчет получен", "en": "Received", "kk": "Есеп түсті"},
    "cp_overdue": {"ru": "Просрочен", "en": "Overdue", "kk": "Мерзімі өтті"},
    "cp_not_due": {"ru": "Срок не наступил", "en": "Not yet due", "kk": "Мерзімі әлі келмеді"},
    "cp_no_due_date": {"ru": "Нет срока сдачи", "en": "No due date", "kk": "Тапсыру мерзімі жоқ"},
    "cp_received_share": {"ru": "Получено из подлежащих сдаче", "en": "Received of those due",
                          "kk": "Тапсырылуға тиістілердің ішінен түскені"},
    "cp_by_region": {"ru": "Сдача отчетов по регионам", "en": "Reports due by region", "kk": "Есептерді тапсыру өңірлер бойынша"},
    "cp_by_direction": {"ru": "По направлениям", "en": "By direction", "kk": "Бағыттар бойынша"},
    "cp_none_overdue": {"ru": "Просроченных отчетов нет.", "en": "No report is overdue.", "kk": "Мерзімі өткен есеп жоқ."},
    "cp_contract_list": {"ru": "Договоры", "en": "Contracts", "kk": "Шарттар"},
    "cp_without_contract": {"ru": "Отчеты без договора в списке ({n})", "en": "Reports with no contract in the list ({n})",
                            "kk": "Тізімде шарты жоқ есептер ({n})"},
    "cp_without_contract_note": {
        "ru": "Отчеты тех лет, которые охватывает список, не сопоставленные ни с одним договором.",
        "en": "Reports of the years the list covers that no contract is matched to.",
        "kk": "Тізім қамтитын жылдардың ешбір шартпен сәйкестендірілмеген есептері."},
    "cp_nothing": {"ru": "Ни один договор не подходит под фильтры.", "en": "No contract matches the filters.",
                   "kk": "Сүзгілерге сәйкес келетін шарт жоқ."},
    "col_contract_no": {"ru": "№ договора", "en": "Contract No.", "kk": "Шарт №"},
    "col_contract_date": {"ru": "Дата договора", "en": "Contract date", "kk": "Шарт күні"},
    "col_due_date": {"ru": "Срок сдачи", "en": "Due date", "kk": "Тапсыру мерзімі"},
    "col_days_overdue": {"ru": "Дней просрочки", "en": "Days overdue", "kk": "Кешіктірілген күндер"},
    "col_period_end": {"ru": "Окончание проекта", "en": "Project end", "kk": "Жобаның аяқталуы"},
    "col_due_stated": {"ru": "Срок из списка", "en": "Due date from the list", "kk": "Мерзім тізімнен"},
    "col_matched_by": {"ru": "Сопоставлен по", "en": "Matched by", "kk": "Сәйкестендіру белгісі"},
    "col_overdue_amount": {"ru": "Сумма просроченных", "en": "Amount overdue", "kk": "Мерзімі өткендердің сомасы"},
    "matched_contract": {"ru": "номеру договора", "en": "contract number", "kk": "шарт нөмірі"},
    "matched_grantee_title": {"ru": "НПО, теме и году", "en": "NGO, title and year", "kk": "ҮЕҰ, тақырып және жыл"},
    "yes": {"ru": "да", "en": "yes", "kk": "иә"},
    "no": {"ru": "нет", "en": "no", "kk": "жоқ"},
    "upload_kind": {"ru": "Что загружаете", "en": "What are you loading", "kk": "Не жүктейсіз"},
    "upload_kind_reports": {"ru": "Отчеты", "en": "Reports", "kk": "Есептер"},
    "upload_kind_contracts": {"ru": "Список договоров", "en": "Contracts list", "kk": "Шарттар тізімі"},
    "upload_contracts_intro": {
        "ru": "Список заключенных договоров: одна строка — один договор (номер и дата, грантополучатель, проект, "
              "регион, направление, сумма, период, срок сдачи отчета). Договор заменяет ранее загруженный с тем же "
              "номером и годом; остальные договоры остаются.",
        "en": "The list of awarded grants: one row a contract (number and date, grantee, project, region, direction, "
              "amount, period, report due date). A contract replaces the one loaded before with the same number and "
              "year; other contracts stay.",
        "kk": "Жасалған шарттар тізімі: бір жол — бір шарт (нөмірі мен күні, грант алушы, жоба, өңір, бағыт, сома, "
              "кезең, есепті тапсыру мерзімі). Шарт бұрын жүктелген нөмірі мен жылы бірдей шартты алмастырады; "
              "қалған шарттар сақталады."},
    "upload_contracts_files": {"ru": "Файлы списка договоров", "en": "Contracts list files", "kk": "Шарттар тізімінің файлдары"},
    "upload_contracts_counts": {"ru": "Договоров к загрузке: {contracts} · заменят прежние: {replacing}",
                                "en": "Contracts to load: {contracts} · replacing stored ones: {replacing}",
                                "kk": "Жүктелетін шарттар: {contracts} · бұрынғыларды алмастырады: {replacing}"},
    "upload_contracts_done": {"ru": "Загружено договоров: {contracts}.", "en": "Loaded {contracts} contracts.",
                              "kk": "Жүктелген шарттар: {contracts}."},
    # issue 17: peers and outliers (the NGO and report pages)
    "peers_title": {"ru": "Среди сопоставимых", "en": "Among peers", "kk": "Салыстырмалы топ ішінде"},
    "peers_note": {
        "ru": "Сопоставимые — отчеты того же направления за те же три года ({band}), по всему архиву. Выброс — значение "
              "дальше медианы ± 3 MAD (в логарифмической шкале); при менее чем {min} сопоставимых отчетах выбросы не "
              "отмечаются.",
        "en": "Peers are the reports of the same direction in the same three years ({band}), over the whole archive. "
              "An outlier lies beyond the median ± 3 MAD (on a log scale); with fewer than {min} peers nothing is "
              "flagged.",
        "kk": "Салыстырмалы есептер — бүкіл мұрағаттағы сол бағыттың сол үш жылдағы ({band}) есептері. Ерекше мән — "
              "медиана ± 3 MAD шегінен тыс мән (логарифмдік шкалада); салыстырмалы есептер {min}-ден аз болса, "
              "ерекше мәндер белгіленбейді."},
    "peers_ngo_note": {
        "ru": "Значение НПО — медиана его отчетов; медиана сопоставимых — медиана медиан групп, в которые входят его "
              "отчеты (каждый отчет — со своим направлением и годами).",
        "en": "The NGO's value is the median of its reports; the peer median is the median of its reports' peer-group "
              "medians (each report against its own direction and years).",
        "kk": "ҮЕҰ мәні — оның есептерінің медианасы; салыстырмалы медиана — оның есептері кіретін топтар "
              "медианаларының медианасы (әр есеп өз бағыты мен жылдарымен)."},
    "peer_metric": {"ru": "Показатель", "en": "Figure", "kk": "Көрсеткіш"},
    "metric_cost_per_beneficiary": {"ru": "Стоимость на бенефициара", "en": "Cost per beneficiary",
                                    "kk": "Бір бенефициарға шаққандағы құн"},
    "metric_achievement": {"ru": "Выполнение плана", "en": "Plan achievement", "kk": "Жоспар орындалуы"},
    "metric_participants_per_million": {"ru": "Участников на 1 млн ₸", "en": "Participants per 1 M ₸",
                                        "kk": "1 млн ₸-ге шаққандағы қатысушылар"},
    "col_peer_median": {"ru": "Медиана сопоставимых", "en": "Peer median", "kk": "Салыстырмалы медиана"},
    "col_peer_ratio": {"ru": "К медиане", "en": "Against the median", "kk": "Медианаға қатынасы"},
    "col_peers": {"ru": "Сопоставимых отчетов", "en": "Peer reports", "kk": "Салыстырмалы есептер"},
    "col_position": {"ru": "Место (от меньшего)", "en": "Place (from the lowest)", "kk": "Орны (кішісінен)"},
    "col_region_median": {"ru": "Медиана в регионе", "en": "Median in the region", "kk": "Өңірдегі медиана"},
    "col_outliers": {"ru": "Выбросов", "en": "Outliers", "kk": "Ерекше мәндер"},
    "col_flag": {"ru": "Оценка", "en": "Verdict", "kk": "Баға"},
    "flag_warning": {"ru": "сильный выброс", "en": "far outlier", "kk": "қатты ерекшеленеді"},
    "flag_info": {"ru": "выброс", "en": "outlier", "kk": "ерекшеленеді"},
    "flag_few_peers": {"ru": "мало сопоставимых", "en": "few peers", "kk": "салыстырмалы есептер аз"},
    "flag_none": {"ru": "в пределах", "en": "within range", "kk": "шек ішінде"},
    "peers_none": {"ru": "У отчета нет показателей для сравнения (нужны сумма, прямые бенефициары или участники).",
                   "en": "The report gives no figure to compare (it takes the amount, direct beneficiaries or participants).",
                   "kk": "Есепте салыстыруға көрсеткіш жоқ (сома, тікелей бенефициарлар немесе қатысушылар қажет)."},
    # issue 17: report health (pages/health.py)
    "page_health": {"ru": "Оценка отчетов", "en": "Report health", "kk": "Есептердің сапа бағасы"},
    "health_intro": {
        "ru": "100 баллов минус: за каждое открытое замечание (ошибка 15, предупреждение 5, сведение 1; принятые "
              "замечания не считаются) и за проверки, сравнивающие таблицы и годы между собой.",
        "en": "100 points, less: each open finding (error 15, warning 5, info 1; accepted findings cost nothing) and "
              "the checks that compare tables and years with one another.",
        "kk": "100 ұпайдан шегеріледі: әр ашық ескертпе үшін (қате 15, ескерту 5, мәлімет 1; қабылданған ескертпелер "
              "есепке алынбайды) және кестелер мен жылдарды бір-бірімен салыстыратын тексерулер үшін."},
    "health_median": {"ru": "Медиана оценки", "en": "Median score", "kk": "Бағаның медианасы"},
    "health_healthy": {"ru": "Отчетов с оценкой от 80", "en": "Reports scoring 80 or more", "kk": "80 және одан жоғары баға алған есептер"},
    "health_below_50": {"ru": "Отчетов ниже 50", "en": "Reports below 50", "kk": "50-ден төмен есептер"},
    "health_distribution": {"ru": "Распределение оценок", "en": "Scores", "kk": "Бағалардың таралуы"},
    "health_checks": {"ru": "Проверки между таблицами", "en": "Checks across tables", "kk": "Кестеаралық тексерулер"},
    "health_level": {"ru": "Уровень", "en": "Level", "kk": "Деңгей"},
    "level_report": {"ru": "Отчеты", "en": "Reports", "kk": "Есептер"},
    "level_ngo": {"ru": "НПО", "en": "NGOs", "kk": "ҮЕҰ"},
    "level_region": {"ru": "Регионы", "en": "Regions", "kk": "Өңірлер"},
    "health_pick": {"ru": "Щелкните строку, чтобы увидеть, за что сняты баллы, или выберите отчет:",
                    "en": "Click a row to see what took points off, or choose a report:",
                    "kk": "Ұпайлардың не үшін шегерілгенін көру үшін жолды басыңыз немесе есепті таңдаңыз:"},
    "health_explain_title": {"ru": "За что сняты баллы: {name}", "en": "What took points off: {name}",
                             "kk": "Ұпайлар не үшін шегерілді: {name}"},
    "health_full": {"ru": "Баллы не сняты: 100 из 100.", "en": "Nothing took points off: 100 of 100.",
                    "kk": "Ұпай шегерілмеген: 100-ден 100."},
    "col_score": {"ru": "Оценка", "en": "Score", "kk": "Баға"},
    "col_min_score": {"ru": "Худшая оценка", "en": "Lowest score", "kk": "Ең төмен баға"},
    "col_points": {"ru": "Снято баллов", "en": "Points off", "kk": "Шегерілген ұпай"},
    "col_finding_points": {"ru": "За замечания", "en": "For findings", "kk": "Ескертпелер үшін"},
    "col_check_points": {"ru": "За проверки", "en": "For checks", "kk": "Тексерулер үшін"},
    "col_checks": {"ru": "Проверки", "en": "Checks", "kk": "Тексерулер"},
    "col_kind": {"ru": "Что", "en": "What", "kk": "Не"},
    "kind_finding": {"ru": "замечание", "en": "finding", "kk": "ескертпе"},
    "kind_check": {"ru": "проверка", "en": "check", "kk": "тексеру"},
    "col_review": {"ru": "Разбор", "en": "Review", "kk": "Қарау"},
    # issue 17: where the shortfall came from (pages/shortfall.py)
    "page_shortfall": {"ru": "Откуда недобор", "en": "Where the shortfall came from", "kk": "Жетіспеушілік қайдан шықты"},
    "sf_intro": {
        "ru": "Недобор — сумма недовыполнений по отчетам ниже плана; перевыполнение других отчетов его не покрывает и "
              "показано отдельно, как и чистая разница (факт − план).",
        "en": "The shortfall is the sum of what the reports below plan fell short by; other reports' surplus does not "
              "cover it and is shown apart, as is the net (fact − plan).",
        "kk": "Жетіспеушілік — жоспардан төмен есептердің кем орындалуының қосындысы; басқа есептердің асыра "
              "орындалуы оны жаппайды және бөлек көрсетіледі, таза айырма (факт − жоспар) да солай."},
    "sf_shortfall": {"ru": "Недобор", "en": "Shortfall", "kk": "Жетіспеушілік"},
    "sf_surplus": {"ru": "Перевыполнение", "en": "Surplus", "kk": "Асыра орындалу"},
    "sf_net": {"ru": "Чистая разница", "en": "Net", "kk": "Таза айырма"},
    "sf_pareto": {"ru": "{n} из {short} отчетов с недобором дают {share} всего недобора ({value} из {total}).",
                  "en": "{n} of the {short} reports below plan make {share} of the whole shortfall ({value} of {total}).",
                  "kk": "Жоспардан төмен {short} есептің {n}-і жалпы жетіспеушіліктің {share} құрайды ({total}-ден {value})."},
    "sf_none": {"ru": "Недобора нет: все отчеты с планом и фактом выполнили план.",
                "en": "No shortfall: every report giving plan and fact met it.",
                "kk": "Жетіспеушілік жоқ: жоспары мен фактісі бар барлық есеп жоспарды орындады."},
    "sf_level_region": {"ru": "Недобор по регионам", "en": "Shortfall by region", "kk": "Өңірлер бойынша жетіспеушілік"},
    "sf_level_direction": {"ru": "Недобор по направлениям", "en": "Shortfall by direction",
                           "kk": "Бағыттар бойынша жетіспеушілік"},
    "sf_level_ngo": {"ru": "Недобор по НПО", "en": "Shortfall by NGO", "kk": "ҮЕҰ бойынша жетіспеушілік"},
    "sf_level_report": {"ru": "Недобор по отчетам", "en": "Shortfall by report", "kk": "Есептер бойынша жетіспеушілік"},
    "sf_drill": {"ru": "Углубиться: регион → направление → НПО → отчеты",
                 "en": "Drill down: region → direction → NGO → reports",
                 "kk": "Тереңдеу: өңір → бағыт → ҮЕҰ → есептер"},
    "sf_cumulative": {"ru": "Накопленная доля", "en": "Cumulative share", "kk": "Жинақталған үлес"},
    "col_cum_share": {"ru": "Накопленная доля", "en": "Cumulative share", "kk": "Жинақталған үлес"},
    "col_in_share": {"ru": "В 80 %", "en": "In the 80 %", "kk": "80 %-ға кіреді"},
    "col_reports_short": {"ru": "Ниже плана", "en": "Below plan", "kk": "Жоспардан төмен"},
    # issue 17: the brief for the minister (grantstats/brief.py, the overview's download)
    "brief_title": {"ru": "Государственные социальные гранты: справка", "en": "State social grants: a brief",
                    "kk": "Мемлекеттік әлеуметтік гранттар: анықтама"},
    "brief_filters": {"ru": "Выборка", "en": "Selection", "kk": "Іріктеме"},
    "brief_made": {"ru": "Сформировано", "en": "Made", "kk": "Қалыптастырылды"},
    "brief_contracts": {
        "ru": "На {date}: договоров {contracts}, отчеты получены по {received}, просрочены {overdue}, срок не наступил {not_due}.",
        "en": "On {date}: {contracts} contracts, reports received for {received}, overdue {overdue}, not yet due {not_due}.",
        "kk": "{date} күнге: шарттар {contracts}, есептер түскені {received}, мерзімі өткені {overdue}, мерзімі "
              "келмегені {not_due}."},
    "brief_overdue_title": {"ru": "Просроченные отчеты", "en": "Overdue reports", "kk": "Мерзімі өткен есептер"},
    "brief_quality_title": {"ru": "Качество данных", "en": "Data quality", "kk": "Деректер сапасы"},
    "brief_quality": {
        "ru": "Из {reports} отчетов {errors} содержат ошибки, {warnings} — предупреждения; медианная оценка отчета {score} из 100.",
        "en": "Of {reports} reports, {errors} hold errors and {warnings} warnings; the median report scores {score} of 100.",
        "kk": "{reports} есептің {errors}-інде қате, {warnings}-інде ескерту бар; есептің медианалық бағасы 100-ден {score}."},
    "brief_errors_left_out": {"ru": "Отчеты с ошибками в цифры справки не вошли.",
                              "en": "Reports with errors are left out of the figures.",
                              "kk": "Қателері бар есептер анықтама сандарына кірмеді."},
    "brief_source": {"ru": "Данные: {files} файлов, {reports} отчетов; последняя загрузка {last}.",
                     "en": "Data: {files} files, {reports} reports; last loaded {last}.",
                     "kk": "Деректер: {files} файл, {reports} есеп; соңғы жүктеу {last}."},
    "brief_download": {"ru": "Справка для министра (PDF)", "en": "Brief for the minister (PDF)",
                       "kk": "Министрге арналған анықтама (PDF)"},
    "brief_failed": {"ru": "Справку не удалось сформировать: {reason}", "en": "The brief could not be made: {reason}",
                     "kk": "Анықтаманы қалыптастыру мүмкін болмады: {reason}"},
    # issue 17: review of findings (pages/review.py, the NGO's letter)
    "page_review": {"ru": "Разбор замечаний", "en": "Review of findings", "kk": "Ескертпелерді қарау"},
    "review_intro": {
        "ru": "Отметьте замечание как «принято» (данные верны, как введены) — оно перестанет считаться ошибкой, — или "
              "«возвращено НПО» для исправления. Кто и когда отметил, сохраняется; при повторной загрузке того же "
              "отчета отметки сохраняются за замечаниями, которые остались.",
        "en": "Mark a finding “accepted” (the data is right as typed) — it no longer counts as an error — or “returned "
              "to the NGO” to be corrected. Who marked it and when is kept; reloading the same report keeps the marks "
              "of the findings that are still there.",
        "kk": "Ескертпені «қабылданды» деп белгілеңіз (деректер енгізілгендей дұрыс) — ол енді қате болып саналмайды — "
              "немесе түзету үшін «ҮЕҰ-ға қайтарылды» деп белгілеңіз. Кім және қашан белгілегені сақталады; сол есеп "
              "қайта жүктелгенде белгілер қалған ескертпелерде сақталады."},
    "review_list": {"ru": "Показать", "en": "Show", "kk": "Көрсету"},
    "review_open": {"ru": "открытые", "en": "open", "kk": "ашық"},
    "review_status_open": {"ru": "открыто", "en": "open", "kk": "ашық"},
    "review_accepted": {"ru": "принято", "en": "accepted", "kk": "қабылданды"},
    "review_returned": {"ru": "возвращено НПО", "en": "returned to the NGO", "kk": "ҮЕҰ-ға қайтарылды"},
    "review_all": {"ru": "все", "en": "all", "kk": "барлығы"},
    "review_reopen": {"ru": "снять отметку", "en": "clear the mark", "kk": "белгіні алып тастау"},
    "review_ngo": {"ru": "НПО", "en": "NGO", "kk": "ҮЕҰ"},
    "review_pick": {"ru": "Замечания для отметки (или выделите строки в таблице)",
                    "en": "Findings to mark (or select rows in the table)",
                    "kk": "Белгілейтін ескертпелер (немесе кестеде жолдарды белгілеңіз)"},
    "review_pick_none": {"ru": "ничего не выбрано", "en": "nothing chosen", "kk": "ештеңе таңдалмаған"},
    "review_as": {"ru": "Отметить как", "en": "Mark as", "kk": "Белгілеу"},
    "review_comment": {"ru": "Комментарий", "en": "Comment", "kk": "Түсініктеме"},
    "review_save": {"ru": "Сохранить отметку", "en": "Save the mark", "kk": "Белгіні сақтау"},
    "review_saved": {"ru": "Отмечено замечаний: {n}.", "en": "{n} findings marked.", "kk": "Белгіленген ескертпелер: {n}."},
    "review_who": {"ru": "Отмечает: {who}", "en": "Marking as: {who}", "kk": "Белгілеуші: {who}"},
    "review_read_only": {"ru": "Отмечать замечания могут сотрудники загрузки и администраторы; вам список доступен для чтения.",
                         "en": "Findings are marked by the loading staff and administrators; the list is read-only for you.",
                         "kk": "Ескертпелерді жүктеу қызметкерлері мен әкімшілер белгілейді; сіз үшін тізім тек оқуға арналған."},
    "review_none": {"ru": "Замечаний нет.", "en": "No findings.", "kk": "Ескертпелер жоқ."},
    "review_letter": {"ru": "Письмо НПО: открытые замечания (Excel)", "en": "Letter to the NGO: open findings (Excel)",
                      "kk": "ҮЕҰ-ға хат: ашық ескертпелер (Excel)"},
    "review_letter_hint": {"ru": "Выберите НПО, чтобы скачать письмо с его открытыми замечаниями.",
                           "en": "Choose an NGO to download the letter listing its open findings.",
                           "kk": "Ашық ескертпелері бар хатты жүктеу үшін ҮЕҰ-ны таңдаңыз."},
    "letter_title": {"ru": "{ngo}: замечания к итоговым отчетам на {date}", "en": "{ngo}: findings on the final reports, {date}",
                     "kk": "{ngo}: қорытынды есептерге ескертпелер, {date}"},
    "letter_sheet": {"ru": "Замечания", "en": "Findings", "kk": "Ескертпелер"},
    "col_comment": {"ru": "Комментарий", "en": "Comment", "kk": "Түсініктеме"},
    "col_reviewer": {"ru": "Кто отметил", "en": "Marked by", "kk": "Кім белгіледі"},
    "col_reviewed_at": {"ru": "Когда", "en": "When", "kk": "Қашан"},
    "upload_contracts_unchanged": {"ru": "«{name}»: этот список уже загружен", "en": "“{name}”: this list is already loaded",
                                   "kk": "«{name}»: бұл тізім бұрын жүктелген"},
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


from grantstats.i18n_access import ACCESS_TEXTS  # noqa: E402 - sign-in, access, audit and writer texts

TEXTS.update(ACCESS_TEXTS)
