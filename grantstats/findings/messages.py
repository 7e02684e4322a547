"""A finding's message in the page's language (ru, kk, en), from its rule's template and its parameters.

A finding is stored as its rule code plus its parameters (``findings.params``, JSON): ``{"key": template key,
placeholder: term, …}``. A term is language-neutral and becomes text here:

* a number — a figure written as the language writes it (``formatting.figure``); None — «—»;
* a string — text as it was (a label, a raw value, a file name, a year);
* ``{"name": [kind, code]}`` — the catalog's name of a code (``"lower": true`` in lower case);
* ``{"phrase": key, …}`` — a small template of PHRASES, its own placeholders filled likewise;
* ``{"join": [terms], "sep": "; "}`` — terms one after another;
* ``{"sum": [[name, number], …], "total": number, "unit": "%"}`` — «мужчин 10 + женщин 12 = 22».

The stored ``message_ru``/``message_en`` columns keep the text rendered at load (older databases and readers
of exports have only those); a finding without parameters, or whose parameters cannot be rendered, shows that
stored text (Russian for Kazakh). Invisible and direction-changing characters are shown as the store shows them
(``names.visible``).
"""

from __future__ import annotations

import json
import string
from typing import Any

from grantstats import catalog
from grantstats.formatting import figure
from grantstats.names import visible

LANGS = ("ru", "kk", "en")

# One template per kind of message (most are a checks.CHECKS row's name); "rule" is the rule code it belongs to.
TEMPLATES: dict[str, dict[str, str]] = {
    "gender_parts_sum": {"rule": "sum_mismatch",
        "ru": "Сумма {table} ({left}) не равна общему числу участников {right}: расхождение {diff}",
        "kk": "Қатысушылар {table} бөліктерінің қосындысы ({left}) олардың жалпы санына {right} тең емес: айырмашылық {diff}",
        "en": "{table} parts ({left}) do not add up to the participants' total {right}: off by {diff}"},
    "age_parts_sum": {"rule": "sum_mismatch",
        "ru": "Сумма {table} ({left}) не равна общему числу участников {right}: расхождение {diff}",
        "kk": "Қатысушылар {table} бөліктерінің қосындысы ({left}) олардың жалпы санына {right} тең емес: айырмашылық {diff}",
        "en": "{table} parts ({left}) do not add up to the participants' total {right}: off by {diff}"},
    "gender_percent_sum": {"rule": "sum_mismatch",
        "ru": "Проценты {table} в сумме не дают 100%: {left}",
        "kk": "Қатысушылар {table} пайыздарының қосындысы 100% емес: {left}",
        "en": "{table} percentages do not add up to 100%: {left}"},
    "age_percent_sum": {"rule": "sum_mismatch",
        "ru": "Проценты {table} в сумме не дают 100%: {left}",
        "kk": "Қатысушылар {table} пайыздарының қосындысы 100% емес: {left}",
        "en": "{table} percentages do not add up to 100%: {left}"},
    "direct_vs_participants": {"rule": "sum_mismatch",
        "ru": "Прямые бенефициары (факт) {left} не равны общему числу участников {right}: расхождение {diff}",
        "kk": "Тікелей бенефициарлар (факт) {left} қатысушылардың жалпы санына {right} тең емес: айырмашылық {diff}",
        "en": "Direct beneficiaries (fact) {left} differ from the participants' total {right}: off by {diff}"},
    "unit_column": {"rule": "unit_mismatch",
        "ru": "В строке «{what}» единица измерения «{unit}», а должна быть «{expected}» (план {plan}, факт {fact}):"
              " значения, похоже, сдвинуты на строку",
        "kk": "«{what}» жолында өлшем бірлігі «{unit}», ал «{expected}» болуы керек (жоспар {plan}, факт {fact}):"
              " мәндер бір жолға ығысқан сияқты",
        "en": "The row «{what}» has the unit «{unit}» where «{expected}» belongs (plan {plan}, fact {fact}):"
              " the values look shifted by a row"},
    "percent_in_count": {"rule": "unit_mismatch",
        "ru": "{what}: значение в процентах («{raw}») там, где нужно число",
        "kk": "{what}: сан керек жерде пайыздық мән («{raw}»)",
        "en": "{what}: a percent («{raw}») where a count belongs"},
    "realigned_rows": {"rule": "unit_mismatch",
        "ru": "Таблица индикаторов сдвинута на строку: у «{label}» единица измерения «{unit}». Значения выровнены по"
              " столбцу единиц измерения и загружены исправленными: {rows}{more}",
        "kk": "Индикаторлар кестесі бір жолға ығысқан: «{label}» өлшем бірлігі «{unit}». Мәндер өлшем бірліктері"
              " бағаны бойынша түзетіліп, жүктелді: {rows}{more}",
        "en": "The indicator table is shifted by a row: «{label}» has the unit «{unit}». Values were realigned by the"
              " unit column and loaded corrected: {rows}{more}"},
    "amount_years_sum": {"rule": "sum_mismatch",
        "ru": "Суммы по годам ({left}) не равны сумме гранта {right}: расхождение {diff}",
        "kk": "Жылдар бойынша сомалар ({left}) грант сомасына {right} тең емес: айырмашылық {diff}",
        "en": "The amounts by year ({left}) do not add up to the grant amount {right}: off by {diff}"},
    "expenses_within_grant": {"rule": "budget_exceeds_grant",
        "ru": "Расходы по факту ({left}) превышают сумму гранта {right} на {diff}",
        "kk": "Нақты шығыстар ({left}) грант сомасынан {right} {diff} асады",
        "en": "Spending (fact: {left}) exceeds the grant amount {right} by {diff}"},
    "negative": {"rule": "implausible_value",
        "ru": "Отрицательное значение: {what} = {value}",
        "kk": "Теріс мән: {what} = {value}",
        "en": "Negative value: {what} = {value}"},
    "fractional_count": {"rule": "implausible_value",
        "ru": "Дробное число там, где считают людей или организации: {what} = {value}",
        "kk": "Адамдар немесе ұйымдар саналатын жерде бөлшек сан: {what} = {value}",
        "en": "A fraction where people or organizations are counted: {what} = {value}"},
    "too_large": {"rule": "implausible_value",
        "ru": "{how}: {what} = {value} ({limit})", "kk": "{how}: {what} = {value} ({limit})",
        "en": "{how}: {what} = {value} ({limit})"},
    "impossible_date": {"rule": "impossible_date",
        "ru": "{what}: даты «{date}» не бывает; текст сохранён как введён: «{text}»",
        "kk": "{what}: «{date}» деген күн болмайды; мәтін енгізілгендей сақталды: «{text}»",
        "en": "{what}: the date «{date}» does not exist; the text is kept as typed: «{text}»"},
    "bin_not_a_bin": {"rule": "personal_data",
        "ru": "В ячейке БИН не БИН организации (12 цифр, 5-я — 4, 5 или 6): значение не сохранено",
        "kk": "БСН ұяшығында ұйымның БСН-і жоқ (12 цифр, 5-шісі — 4, 5 немесе 6): мән сақталмады",
        "en": "The BIN cell holds no organisation's BIN (12 digits, the 5th one 4, 5 or 6): the value is not stored"},
    "fact_over_10x_plan": {"rule": "implausible_value",
        "ru": "{what}: факт {fact} больше плана {plan} более чем в 10 раз ({times}×)",
        "kk": "{what}: факт {fact} жоспардан {plan} 10 еседен астам көп ({times}×)",
        "en": "{what}: fact {fact} is more than 10 times the plan {plan} ({times}×)"},
    "year_out_of_range": {"rule": "implausible_value",
        "ru": "{what}: {year} год вне лет программы государственных грантов ({first}–{last})",
        "kk": "{what}: {year} жыл мемлекеттік гранттар бағдарламасының жылдарынан тыс ({first}–{last})",
        "en": "{what}: the year {year} is outside the state grant programme's years ({first}–{last})"},
    "table_totals_differ": {"rule": "sum_mismatch",
        "ru": "Итоги таблиц участников расходятся: {items}",
        "kk": "Қатысушылар кестелерінің қорытындылары сәйкес келмейді: {items}",
        "en": "The participant tables' totals disagree: {items}"},
    "category_above_total": {"rule": "implausible_value",
        "ru": "Категория «{what}»: {value} — больше общего числа участников {total}",
        "kk": "«{what}» санаты: {value} — қатысушылардың жалпы санынан {total} көп",
        "en": "Category «{what}»: {value} — more than the participants' total {total}"},
    "elderly_vs_46_plus": {"rule": "category_age_conflict",
        "ru": "Людей старшего возраста (от 50 лет) {left} — больше, чем участников от 46 лет и старше ({right})",
        "kk": "Егде жастағы адамдар (50 жастан бастап) {left} — 46 жастан асқан қатысушылардан көп ({right})",
        "en": "Older people (50+) {left} — more than the participants aged 46 and over ({right})"},
    "children_vs_under_23": {"rule": "category_age_conflict",
        "ru": "Детей {left} — больше, чем участников моложе 23 лет ({right})",
        "kk": "Балалар {left} — 23 жасқа толмаған қатысушылардан көп ({right})",
        "en": "Children {left} — more than the participants aged under 23 ({right})"},
    "required_fields": {"rule": "missing_field",
        "ru": "Не указано обязательное поле: {what} — {how}",
        "kk": "Міндетті өріс көрсетілмеген: {what} — {how}",
        "en": "Missing field: {what} — {how}"},
    "percent_table": {"rule": "derived_from_percent",
        "ru": "Таблица {table} дана в процентах и {how}",
        "kk": "Қатысушылар {table} кестесі пайызбен берілген және {how}",
        "en": "The {table} table is given in percent and {how}"},
    "figure_not_read": {"rule": "unreadable_value",
        "ru": "{what}: «{raw}» — не одно число, значение не учтено",
        "kk": "{what}: «{raw}» — бір сан емес, мән есепке алынбады",
        "en": "{what}: «{raw}» is not one number and is left out"},
    "one_cell": {"rule": "plan_fact_one_cell",
        "ru": "{what}: одно значение «{raw}» в ячейке {range}, объединённой над планом и фактом, — учтено и как план, "
              "и как факт; проверьте",
        "kk": "{what}: жоспар мен нақтының үстінен біріктірілген {range} ұяшығындағы бір мән «{raw}» жоспар да, нақты "
              "да ретінде алынды; тексеріңіз",
        "en": "{what}: one value «{raw}» in cell {range}, merged over the plan and the fact, is taken as both; "
              "check it"},
    "qualified_value": {"rule": "approximate_value",
        "ru": "{what}: «{raw}» учтено как {value} ({q})",
        "kk": "{what}: «{raw}» {value} ретінде есепке алынды ({q})",
        "en": "{what}: «{raw}» counted as {value} ({q})"},
    "duplicate_same_key": {"rule": "duplicate_report",
        "ru": "Похоже, тот же отчёт ({grantee}, «{title}», {year}) загружен ещё раз под другим номером договора: {others}",
        "kk": "Сол есеп ({grantee}, «{title}», {year}) басқа шарт нөмірімен қайта жүктелген сияқты: {others}",
        "en": "Apparently the same report ({grantee}, «{title}», {year}) is loaded again under another contract"
              " number: {others}"},
    "duplicate_replaced": {"rule": "duplicate_report",
        "ru": "Тот же отчёт ({what}) есть и в другом файле: {others}; в базе оставлен отчёт из {file}",
        "kk": "Сол есеп ({what}) басқа файлда да бар: {others}; дерекқорда {file} файлындағы есеп қалдырылды",
        "en": "The same report ({what}) is also in another file: {others}; the one from {file} is kept"},
    "duplicate_repeated": {"rule": "duplicate_report",
        "ru": "Тот же отчёт ({what}) повторяется: {others}",
        "kk": "Сол есеп ({what}) қайталанады: {others}",
        "en": "The same report ({what}) appears again: {others}"},
    "outlier": {"rule": "outlier",
        "ru": "{metric}: {value} — в {times} раза {side} медианы {median} по {peers} отчетам того же направления"
              " ({direction}) за {band} гг. (отклонение {deviations} MAD)",
        "kk": "{metric}: {value} — сол бағыттағы ({direction}) {band} жылдардағы {peers} есептің медианасынан"
              " {median} {times} есе {side} ({deviations} MAD ауытқу)",
        "en": "{metric}: {value} is {times} times {side} the median {median} of {peers} reports of the same"
              " direction ({direction}) in {band} ({deviations} MAD off)"},
    "unread_part": {"rule": "unread_part",
        "ru": "Часть файла не прочитана — лист «{sheet}»: {reason}",
        "kk": "Файлдың бір бөлігі оқылмады — «{sheet}» парағы: {reason}",
        "en": "Part of the file was not read — sheet «{sheet}»: {reason}"},
}

# The pieces a message is made of (a name with its role, a limit, a reason).
PHRASES: dict[str, dict[str, str]] = {
    # a report health check that failed (grantstats.health): its explanation
    "health_copied_plan": {"ru": "Факт равен плану во всех {n} индикаторах, где даны оба",
                           "kk": "Екеуі де берілген барлық {n} индикаторда факт жоспарға тең",
                           "en": "The fact equals the plan in all {n} indicators giving both"},
    "health_round_figures": {"ru": "Все {n} числа от 100 и больше (факты и участники) кратны 100",
                             "kk": "100-ден асатын барлық {n} сан (фактілер мен қатысушылар) 100-ге еселі",
                             "en": "All {n} figures of 100 or more (facts and participants) are multiples of 100"},
    "health_yoy_jump": {"ru": "Прямые бенефициары НПО за год: {now} против {before} годом раньше (в {times} раза больше)",
                        "kk": "ҮЕҰ-ның жылдағы тікелей бенефициарлары: {now}, бір жыл бұрын {before} ({times} есе көп)",
                        "en": "The NGO's direct beneficiaries in the year: {now} against {before} the year before"
                              " ({times} times as many)"},
    "health_gender_age_disagree": {"ru": "По полу {gender} человек, по возрасту {age}",
                                   "kk": "Жынысы бойынша {gender} адам, жасы бойынша {age}",
                                   "en": "By gender {gender} people, by age {age}"},
    "plan_of": {"ru": "{indicator} (план)", "kk": "{indicator} (жоспар)", "en": "{indicator} (plan)"},
    "fact_of": {"ru": "{indicator} (факт)", "kk": "{indicator} (факт)", "en": "{indicator} (fact)"},
    "participants_bucket": {"ru": "участники: {bucket}", "kk": "қатысушылар: {bucket}", "en": "participants: {bucket}"},
    "amount_for_year": {"ru": "сумма гранта на {year} год", "kk": "{year} жылға грант сомасы",
                        "en": "grant amount for {year}"},
    "implausibly_many": {"ru": "Неправдоподобно много", "kk": "Ақылға сыймайтындай көп", "en": "Implausibly many"},
    "unusually_large": {"ru": "Необычно много", "kk": "Әдеттен тыс көп", "en": "Unusually large"},
    "above_ceiling": {"ru": "больше предела {ceiling}", "kk": "{ceiling} шегінен көп", "en": "above the ceiling of {ceiling}"},
    "unusually_small": {"ru": "Необычно мало", "kk": "Әдеттен тыс аз", "en": "Unusually small"},
    "below_grant_floor": {"ru": "грант — от сотен тысяч тенге: не в тысячах ли указано?",
                          "kk": "грант — жүздеген мың теңгеден: мыңмен көрсетілмеді ме?",
                          "en": "a grant is hundreds of thousands of tenge or more: written in thousands?"},
    "above_unusual": {"ru": "больше {limit}: проверьте", "kk": "{limit}-ден көп: тексеріңіз", "en": "above {limit}: check it"},
    "percent": {"ru": "{value}%", "kk": "{value}%", "en": "{value}%"},
    "percent_nbsp": {"ru": "{value}\u00a0%", "kk": "{value}\u00a0%", "en": "{value}\u00a0%"},
    "tenge_nbsp": {"ru": "{value}\u00a0₸", "kk": "{value}\u00a0₸", "en": "{value}\u00a0₸"},
    "derived_people": {"ru": "{people} ({percent}% от {total})", "kk": "{people} ({total} ішінен {percent}%)",
                       "en": "{people} ({percent}% of {total})"},
    "table_total": {"ru": "{table} — {value}{cell}", "kk": "{table} — {value}{cell}", "en": "{table} — {value}{cell}"},
    "not_recognised": {"ru": "не распознано («{text}»)", "kk": "танылмады («{text}»)", "en": "not recognised («{text}»)"},
    "not_given": {"ru": "не указано", "kk": "көрсетілмеген", "en": "not given"},
    "not_converted": {"ru": "не пересчитана в людей: нет общего числа участников",
                      "kk": "адамға қайта есептелмеді: қатысушылардың жалпы саны жоқ",
                      "en": "could not be converted to people: no participants' total"},
    "converted": {"ru": "пересчитана в людей от общего числа {total}: {items}",
                  "kk": "жалпы саннан {total} адамға қайта есептелді: {items}",
                  "en": "converted to people of the total {total}: {items}"},
    "percent_to_people": {"ru": "{bucket} {percent}% → {people}", "kk": "{bucket} {percent}% → {people}",
                          "en": "{bucket} {percent}% → {people}"},
    "contract_of": {"ru": "договор № {no} от {date}", "kk": "{date} № {no} шарт", "en": "contract No. {no} of {date}"},
    "contract": {"ru": "договор № {no}", "kk": "№ {no} шарт", "en": "contract No. {no}"},
    "above": {"ru": "выше", "kk": "жоғары", "en": "above"},
    "below": {"ru": "ниже", "kk": "төмен", "en": "below"},
    "cost_per_beneficiary": {"ru": "Стоимость на прямого бенефициара", "kk": "Бір тікелей бенефициарға шаққандағы құны",
                             "en": "Cost per direct beneficiary"},
    "achievement": {"ru": "Выполнение плана по прямым бенефициарам", "kk": "Тікелей бенефициарлар бойынша жоспардың орындалуы",
                    "en": "Plan achievement (direct beneficiaries)"},
    "participants_per_million": {"ru": "Участников на 1 млн ₸ гранта", "kk": "Гранттың 1 млн ₸-на қатысушылар",
                                 "en": "Participants per 1 M ₸ of grant"},
    "realigned_row": {"ru": "«{label}»: план {plan}, факт {fact} (строка {row})",
                      "kk": "«{label}»: жоспар {plan}, факт {fact} ({row}-жол)",
                      "en": "«{label}»: plan {plan}, fact {fact} (row {row})"},
    "realigned_row_from": {"ru": "«{label}»: план {plan}, факт {fact} (строка {row}, а не {old_plan} / {old_fact} из"
                                 " строки {old_row})",
                           "kk": "«{label}»: жоспар {plan}, факт {fact} ({row}-жол, {old_row}-жолдағы {old_plan} /"
                                 " {old_fact} емес)",
                           "en": "«{label}»: plan {plan}, fact {fact} (row {row}, not {old_plan} / {old_fact} from"
                                 " row {old_row})"},
    "and_more": {"ru": "; и ещё {n}", "kk": "; және тағы {n}", "en": "; and {n} more"},
    # why a sheet (or a part of it) was not read: the readers' notes
    "unreadable_sheet": {"ru": "лист не читается ({error})", "kk": "парақ оқылмайды ({error})",
                         "en": "the sheet cannot be read ({error})"},
    "figures_beside_labels": {
        "ru": "цифры рядом с известными подписями ({labels}), но нет ни заголовка реестра с организацией или темой,"
              " ни паспорта формы, чтобы отнести их к отчёту",
        "kk": "белгілі жазбалардың ({labels}) жанында цифрлар бар, бірақ оларды есепке жатқызатын ұйымы немесе"
              " тақырыбы бар тізілім тақырыбы да, форманың паспорты да жоқ",
        "en": "figures beside known labels ({labels}), but no registry header naming an organisation or a title and"
              " no form passport to tie them to a report"},
    "passport_without_form": {
        "ru": "есть строки паспорта ({labels}), но нет ни организации, ни цифр, или их слишком мало для формы",
        "kk": "паспорт жолдары бар ({labels}), бірақ ұйым да, цифрлар да жоқ немесе олар нысан үшін тым аз",
        "en": "passport labels ({labels}) but no organisation and no figure, or too few to be a form"},
    "nothing_known": {"ru": "ничего знакомого каталогу", "kk": "каталогқа таныс ештеңе жоқ",
                      "en": "nothing the catalog knows"},
    "contracts_list": {
        "ru": "список договоров (есть срок сдачи отчета, нет цифр): загрузите его как список договоров "
              "(ingest --contracts или список договоров на странице загрузки)",
        "kk": "шарттар тізімі (есепті тапсыру мерзімі бар, цифрлар жоқ): оны шарттар тізімі ретінде жүктеңіз "
              "(ingest --contracts немесе жүктеу бетіндегі шарттар тізімі)",
        "en": "a contracts list (a report due-date column, no figures): load it as a contracts list "
              "(ingest --contracts, or the contracts list on the Upload page)"},
    "registry_without_rows": {
        "ru": "заголовок реестра есть, но ни одна строка не называет организацию и не содержит цифр",
        "kk": "тізілім тақырыбы бар, бірақ бірде-бір жол ұйымды атамайды және цифрлар жоқ",
        "en": "a registry header, but no row names an organisation or holds a figure"},
    "plan_or_fact_unclear": {
        "ru": "не понять, план или факт, — столбцы не прочитаны: {columns}",
        "kk": "жоспар ма, нақты ма — анықталмады, бағандар оқылмады: {columns}",
        "en": "cannot be told plan or fact, so these columns were not read: {columns}"},
    "registry_columns_twice": {
        "ru": "столбцы не прочитаны — то же называет столбец левее (в скобках), его цифры и взяты; какой верен, "
              "проверьте: {columns}",
        "kk": "бағандар оқылмады — дәл соны сол жақтағы баған (жақшада) атайды, соның цифрлары алынды; қайсысы дұрыс, "
              "тексеріңіз: {columns}",
        "en": "columns not read — a column to their left (in brackets) names the same, and its figures were taken; "
              "check which is right: {columns}"},
    "registry_columns_unknown": {
        "ru": "столбцы с цифрами не прочитаны — их заголовок не назван в справочнике: {columns}",
        "kk": "цифрлары бар бағандар оқылмады — олардың тақырыбы анықтамалықта жоқ: {columns}",
        "en": "columns of figures not read — their header names nothing in the catalog: {columns}"},
    "rows_not_reports": {"ru": "строки не прочитаны как отчёты — {rows}", "kk": "жолдар есеп ретінде оқылмады — {rows}",
                         "en": "rows not read as reports — {rows}"},
    "rows_totals": {"ru": "итоговые строки {rows}", "kk": "қорытынды жолдар {rows}", "en": "totals rows {rows}"},
    "rows_subtotals": {"ru": "промежуточные итоги по регионам {rows}", "kk": "өңірлер бойынша аралық қорытындылар {rows}",
                       "en": "region subtotals {rows}"},
    "rows_headers": {"ru": "повтор заголовка {rows}", "kk": "қайталанған тақырып {rows}", "en": "repeated header {rows}"},
    "rows_label_only": {"ru": "строки без цифр, договора и года (примечания, подписи, группы) {rows}",
                        "kk": "цифрсыз, шартсыз және жылсыз жолдар (ескертпелер, қолтаңбалар, топтар) {rows}",
                        "en": "rows with no figure, contract or year (notes, signatures, groups) {rows}"},
    "second_table": {"ru": "таблица с другим заголовком со строки {row} не прочитана",
                     "kk": "{row}-жолдан басталатын басқа тақырыпты кесте оқылмады",
                     "en": "a table with another header from row {row} is not read"},
    "hidden_columns": {"ru": "скрытые столбцы не прочитаны: {columns}", "kk": "жасырын бағандар оқылмады: {columns}",
                       "en": "hidden columns not read: {columns}"},
    "hidden_rows": {"ru": "скрытые строки не прочитаны: {rows}", "kk": "жасырын жолдар оқылмады: {rows}",
                    "en": "hidden rows not read: {rows}"},
    "hidden_sheet": {"ru": "скрытый лист: не прочитан", "kk": "жасырын парақ: оқылмады", "en": "a hidden sheet: not read"},
    "hidden_sheet_figures": {
        "ru": "скрытый лист не прочитан, хотя в нём цифры рядом с известными подписями ({labels})",
        "kk": "жасырын парақ оқылмады, бірақ онда белгілі жазбалардың ({labels}) жанында цифрлар бар",
        "en": "a hidden sheet is not read, though it holds figures beside known labels ({labels})"},
    "part_twice": {"ru": "{part} с ячейки {cell} не прочитана: у отчёта уже есть такая ({where})",
                   "kk": "{cell} ұяшығынан басталатын {part} оқылмады: есепте мұндай бөлік бар ({where})",
                   "en": "{part} from cell {cell} is not read: the report already has one ({where})"},
    "columns_twice": {"ru": "{part}: столбцы {columns} не прочитаны — такие столбцы в ней уже есть (другой год или "
                            "другой отчёт рядом?)",
                      "kk": "{part}: {columns} бағандары оқылмады — мұндай бағандар онда бар (басқа жыл немесе "
                            "қасындағы басқа есеп пе?)",
                      "en": "{part}: columns {columns} are not read — it already has such columns (another year, or "
                            "another report beside it?)"},
    "participants_unread": {"ru": "{part} ({cell}): под заголовком нет ни одного числа, которое можно прочитать",
                            "kk": "{part} ({cell}): тақырыбының астында сан ретінде оқылатын ештеңе жоқ",
                            "en": "{part} ({cell}): nothing under its header could be read as a number"},
    "participant_columns_unknown": {
        "ru": "таблица участников ({cell}): столбцы, которых нет в справочнике (другие группы?), не прочитаны: "
              "{columns}",
        "kk": "қатысушылар кестесі ({cell}): анықтамалықта жоқ бағандар (басқа топтар ма?) оқылмады: {columns}",
        "en": "the participant table ({cell}): columns the catalog does not know (other groups?) are not read: "
              "{columns}"},
    "indicator_twice": {
        "ru": "строка индикаторов «{label}» ({cell}) не прочитана: этот индикатор уже прочитан из строки выше "
              "({first}) — другой год или старая строка? Проверьте, какая верна",
        "kk": "«{label}» индикатор жолы ({cell}) оқылмады: бұл индикатор жоғарыдағы жолдан ({first}) оқылды — басқа "
              "жыл ма, әлде ескі жол ма? Қайсысы дұрыс екенін тексеріңіз",
        "en": "the indicator row «{label}» ({cell}) is not read: the indicator was read from a row above ({first}) — "
              "another year, or an old row? Check which is right"},
    "indicator_unknown": {"ru": "строка индикаторов «{label}» ({cell}) не прочитана: такого индикатора нет в справочнике",
                          "kk": "«{label}» индикатор жолы ({cell}) оқылмады: анықтамалықта мұндай индикатор жоқ",
                          "en": "the indicator row «{label}» ({cell}) is not read: no such indicator in the catalog"},
    "part_indicators": {"ru": "таблица индикаторов", "kk": "индикаторлар кестесі", "en": "the indicator table"},
    "part_activities": {"ru": "таблица мероприятий", "kk": "іс-шаралар кестесі", "en": "the activities table"},
    "part_participants:gender": {"ru": "таблица участников по полу", "kk": "қатысушылардың жынысы бойынша кестесі",
                                 "en": "the participant table by gender"},
    "part_participants:age": {"ru": "таблица участников по возрасту", "kk": "қатысушылардың жасы бойынша кестесі",
                              "en": "the participant table by age"},
    "part_participants:category": {"ru": "таблица участников по категориям",
                                   "kk": "қатысушылардың санаттары бойынша кестесі",
                                   "en": "the participant table by category"},
    "part_passport": {"ru": "паспорт", "kk": "паспорт", "en": "the passport"},
    "part_of_no_report": {"ru": "не прочитано ({part}): не ясно, к какому отчёту книги это относится",
                          "kk": "оқылмады ({part}): бұл кітаптың қай есебіне жататыны белгісіз",
                          "en": "not read ({part}): it cannot be told which report of the workbook it belongs to"},
    # a workbook's own summary of its reports (readers.summary): set aside so that no report counts twice
    "summary_registry": {"ru": "сводка отчётов других листов ({sheets}): как отчёты не прочитана",
                         "kk": "басқа парақтардағы есептердің жиынтығы ({sheets}): есеп ретінде оқылмады",
                         "en": "a summary of the reports of the other sheets ({sheets}): not read as reports"},
    "summary_registry_rows": {
        "ru": "строки {rows} перечисляют отчёты других листов ({sheets}): как отчёты не прочитаны (остальные строки"
              " прочитаны)",
        "kk": "{rows} жолдары басқа парақтардағы есептерді ({sheets}) қайталайды: есеп ретінде оқылмады (қалған"
              " жолдар оқылды)",
        "en": "rows {rows} list the reports of the other sheets ({sheets}): not read as reports (the other rows"
              " are)"},
    "summary_figures_differ": {"ru": "цифры расходятся с отчётами, взяты цифры отчётов — {figures}",
                               "kk": "цифрлар есептердікінен өзгеше, есептердің цифрлары алынды — {figures}",
                               "en": "figures differing from their reports', whose figures are kept — {figures}"},
    "summary_form": {"ru": "итоги отчётов других листов ({sheets}): как отчёт не прочитан",
                     "kk": "басқа парақтардағы есептердің қорытындысы ({sheets}): есеп ретінде оқылмады",
                     "en": "the totals of the reports of the other sheets ({sheets}): not read as a report"},
    "summary_form_differs": {
        "ru": "назван итогом («{label}») отчётов других листов ({sheets}): как отчёт не прочитан, хотя не все его"
              " цифры равны их суммам — {figures}",
        "kk": "басқа парақтардағы есептердің ({sheets}) қорытындысы деп аталған («{label}»): есеп ретінде"
              " оқылмады, бірақ оның барлық цифрлары олардың қосындысына тең емес — {figures}",
        "en": "titled as the totals («{label}») of the reports of the other sheets ({sheets}): not read as a report,"
              " though not all its figures equal their sums — {figures}"},
    "figure_differs": {"ru": "{what} {here} ≠ {there}", "kk": "{what} {here} ≠ {there}", "en": "{what} {here} ≠ {there}"},
    "in_row": {"ru": "строка {row}: {what}", "kk": "{row}-жол: {what}", "en": "row {row}: {what}"},
}


def _format_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def placeholders(key: str, table: dict[str, dict[str, str]] = TEMPLATES) -> dict[str, set[str]]:
    """The placeholders of a template (or a phrase) in each language: tests check they agree."""
    return {lang: _format_fields(table[key][lang]) for lang in LANGS}


def term_text(term: Any, lang: str) -> str:
    """One parameter as text in ``lang`` (see the module's docstring for the kinds of term)."""
    if term is None or isinstance(term, (int, float)) and not isinstance(term, bool):
        return figure(term, lang)
    if isinstance(term, str):
        return term
    if isinstance(term, dict):
        if "name" in term:
            kind, code = term["name"]
            text = catalog.name(kind, code, lang)
            return text.lower() if term.get("lower") else text
        if "phrase" in term:
            return _fill(PHRASES[term["phrase"]][lang], term, lang)
        if "join" in term:
            return term.get("sep", "; ").join(term_text(t, lang) for t in term["join"])
        if "sum" in term:
            unit = term.get("unit", "")
            text = " + ".join(f"{term_text(name, lang)} {figure(value, lang)}{unit}" for name, value in term["sum"])
            if len(term["sum"]) > 1:
                text += f" = {figure(term['total'], lang)}{unit}"
            return text
        if "fixed" in term:  # a ratio always written with one decimal: «2,5», «2.5»
            text = f"{term['fixed']:.1f}"
            return text if lang == "en" else text.replace(".", ",")
    raise ValueError(f"not a finding parameter: {term!r}")


def _fill(template: str, values: dict[str, Any], lang: str) -> str:
    return template.format(**{name: term_text(values[name], lang) for name in _format_fields(template)})


def render(params: dict[str, Any], lang: str) -> str:
    """The message of a finding's parameters in ``lang`` (KeyError/ValueError when they do not fit a template); a
    message that is one phrase (a health check's explanation) is that phrase."""
    if "phrase" in params:
        return term_text(params, lang)
    return _fill(TEMPLATES[params["key"]][lang], params, lang)


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), its encoder made once
_RENDERED: dict[str, tuple[str, str]] = {}  # params as JSON -> (ru, en): thousands of files share few messages
_RENDERED_KEPT = 8192


def texts(params: dict[str, Any]) -> tuple[str, str, str]:
    """(ru, en, params as JSON) of a finding: what the store keeps. Parameters equal as JSON render alike, so each
    distinct message is rendered once a process."""
    key = _to_json(params)
    rendered = _RENDERED.get(key)
    if rendered is None:
        rendered = render(params, "ru"), render(params, "en")
        if len(_RENDERED) >= _RENDERED_KEPT:
            _RENDERED.clear()
        _RENDERED[key] = rendered
    return rendered[0], rendered[1], key


def message(params: Any, lang: str, stored_ru: Any = None, stored_en: Any = None) -> str:
    """A finding's message in ``lang``: in Russian and English the text stored at load (rendered from the same
    parameters then); in Kazakh rendered from its parameters (JSON text or a dict); a finding of an older database,
    or parameters no template fits, shows the stored text (Russian for Kazakh)."""
    stored = stored_en if lang == "en" else stored_ru
    stored = "" if stored is None or stored != stored else str(stored)  # None, NaN
    if stored and lang in ("ru", "en"):
        return stored
    if params is None or params != params or params == "":
        return stored
    try:
        return visible(render(json.loads(params) if isinstance(params, str) else params, lang))
    except (KeyError, ValueError, TypeError, IndexError, AttributeError):  # a template changed since: the stored text
        return stored


def messages(frame, lang: str) -> list[str]:
    """``message`` of every row of a frame with columns params, message_ru and message_en (params may be absent)."""
    params = frame["params"] if "params" in frame else [None] * len(frame)
    done: dict[tuple, str] = {}  # many findings share one message: each rendered once
    out = []
    for p, ru, en in zip(params, frame["message_ru"], frame["message_en"]):
        key = (p if isinstance(p, str) else None, ru if lang != "en" else en) if not isinstance(p, dict) else None
        if key is None:
            out.append(message(p, lang, ru, en))
        else:
            out.append(done[key] if key in done else done.setdefault(key, message(p, lang, ru, en)))
    return out
