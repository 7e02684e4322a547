"""Why a file is refused, in Russian, Kazakh and English: one entry per reason, filled from the particulars the
check or reader that refused the file gives (sizes, limits, a part's name).

The gate and the readers raise ``refusal(reason, file_name, **params)``: a ReadError whose message is the English
line (what the command line prints) and which carries ``reason`` and ``params``, so that a page can say the same
in its own language with :func:`refusal_text`. A ``what`` parameter names a kind of content (``content_<what>``
below) and ``{expected}`` is the list of what is accepted, both in the same language as the line.
"""

from __future__ import annotations

import string
from typing import Any

from grantstats.model import ReadError

_EXPECTED = {
    "ru": "ожидается книга .xlsx, .xlsm, .xlsb, .xls или .ods, текст CSV, документ Word (.docx) или PDF, сохраненный из Word",
    "kk": "күтілетіні: .xlsx, .xlsm, .xlsb, .xls немесе .ods кітабы, CSV мәтіні, Word құжаты (.docx) немесе Word-тан "
          "сақталған PDF",
    "en": "expected an .xlsx, .xlsm, .xlsb, .xls or .ods workbook, CSV text, a Word document (.docx) or a PDF exported "
          "from Word",
}
_SAVE_UTF8 = {"ru": "выгрузите таблицу заново как CSV в UTF-8", "kk": "кестені қайтадан UTF-8 CSV ретінде экспорттаңыз",
              "en": "export the table again as UTF-8 CSV"}
_SAVE_AS_XLSX = {"ru": "откройте его в Excel и сохраните как .xlsx", "kk": "оны Excel-де ашып, .xlsx ретінде сақтаңыз",
                 "en": "open it in Excel and save it as .xlsx"}
_LOAD_WORD = {"ru": "загрузите файл Word или PDF, сохраненный из Word (Файл → Сохранить как PDF)",
              "kk": "Word файлын немесе Word-тан сақталған PDF-ті жүктеңіз (Файл → PDF ретінде сақтау)",
              "en": "load the Word file, or a PDF saved from Word (File → Save as PDF)"}

CONTENTS: dict[str, dict[str, str]] = {
    "png": {"ru": "изображение PNG", "kk": "PNG суреті", "en": "a PNG image"},
    "jpeg": {"ru": "изображение JPEG", "kk": "JPEG суреті", "en": "a JPEG image"},
    "gif": {"ru": "изображение GIF", "kk": "GIF суреті", "en": "a GIF image"},
    "rar": {"ru": "архив RAR", "kk": "RAR мұрағаты", "en": "a RAR archive"},
    "7z": {"ru": "архив 7-Zip", "kk": "7-Zip мұрағаты", "en": "a 7-Zip archive"},
    "gzip": {"ru": "архив gzip", "kk": "gzip мұрағаты", "en": "a gzip archive"},
    "program": {"ru": "программа", "kk": "бағдарлама", "en": "a program"},
    "empty_zip": {"ru": "пустой zip-архив", "kk": "бос zip мұрағаты", "en": "an empty zip archive"},
    "split_zip": {"ru": "часть разбитого zip-архива", "kk": "бөлінген zip мұрағатының бөлігі", "en": "a split zip archive"},
    "rtf": {"ru": "документ RTF", "kk": "RTF құжаты", "en": "an RTF document"},
    "powerpoint": {"ru": "презентация PowerPoint", "kk": "PowerPoint презентациясы", "en": "a PowerPoint presentation"},
    "zip_other": {"ru": "zip-архив других файлов", "kk": "басқа файлдардың zip мұрағаты",
                  "en": "a zip archive of other files"},
    "ole2_other": {"ru": "составной файл OLE2 без книги внутри", "kk": "ішінде кітабы жоқ OLE2 құрама файлы",
                   "en": "an OLE2 compound file with no workbook in it"},
    "binary": {"ru": "двоичные данные неизвестного вида", "kk": "белгісіз түрдегі екілік деректер",
               "en": "binary data of no known kind"},
    "binary_controls": {"ru": "двоичные данные или управляющие коды, а не текст CSV",
                        "kk": "CSV мәтіні емес, екілік деректер немесе басқару кодтары",
                        "en": "binary data or control codes, not CSV text"},
}
"""Kinds of content a file turned out to be (the ``what`` of ``not_report``)."""

REFUSALS: dict[str, dict[str, str]] = {
    # the safety gate (grantstats.safety)
    "cannot_open": {"ru": "файл не открывается ({detail})", "kk": "файл ашылмайды ({detail})",
                    "en": "cannot be opened ({detail})"},
    "cannot_read": {"ru": "файл не читается ({detail})", "kk": "файл оқылмайды ({detail})",
                    "en": "cannot be read ({detail})"},
    "not_regular": {"ru": "это не обычный файл; {expected}", "kk": "бұл кәдімгі файл емес; {expected}",
                    "en": "not a regular file; {expected}"},
    "empty": {"ru": "файл пуст (0 байт); {expected}", "kk": "файл бос (0 байт); {expected}",
              "en": "the file is empty (0 bytes); {expected}"},
    "too_large": {"ru": "файл весит {size_mb:.1f} МБ — больше предела {limit_mb:g} МБ на один файл "
                        "(GRANTSTATS_MAX_FILE_MB)",
                  "kk": "файлдың көлемі {size_mb:.1f} МБ — бір файлға арналған {limit_mb:g} МБ шегінен асады "
                        "(GRANTSTATS_MAX_FILE_MB)",
                  "en": "the file is {size_mb:.1f} MB, over the {limit_mb:g} MB limit for one file (GRANTSTATS_MAX_FILE_MB)"},
    "not_report": {"ru": "это не файл отчета: внутри {what}; {expected}",
                   "kk": "бұл есеп файлы емес: ішінде {what}; {expected}",
                   "en": "not a report file: the content is {what}; {expected}"},
    "opendocument": {"ru": "это не файл отчета: внутри файл OpenDocument ({kind}); {expected}",
                     "kk": "бұл есеп файлы емес: ішінде OpenDocument файлы ({kind}); {expected}",
                     "en": "not a report file: the content is an OpenDocument {kind} file; {expected}"},
    "damaged": {"ru": "файл поврежден или неполон ({detail}); {expected}",
                "kk": "файл зақымдалған немесе толық емес ({detail}); {expected}",
                "en": "the file is damaged or incomplete ({detail}); {expected}"},
    "password": {"ru": "файл защищен паролем (зашифрован); сохраните его без пароля и загрузите снова",
                 "kk": "файл құпиясөзбен қорғалған (шифрланған); оны құпиясөзсіз сақтап, қайта жүктеңіз",
                 "en": "the file is password-protected (encrypted); save it without a password and load it again"},
    "zip_parts": {"ru": "в архиве {count:,} частей — больше предела {limit:,}; отклонен как возможная zip-бомба",
                  "kk": "мұрағатта {count:,} бөлік бар — {limit:,} шегінен көп; ықтимал zip-бомба ретінде қабылданбады",
                  "en": "the archive holds {count:,} parts, over the {limit:,} limit; refused as a possible zip bomb"},
    "zip_ratio": {"ru": "часть {part!r} сжата в {ratio:,.0f} раз ({unpacked_mb:,.0f} МБ в распакованном виде) — больше "
                        "предела {limit:g}; отклонен как возможная zip-бомба",
                  "kk": "{part!r} бөлігі {ratio:,.0f} есе сығылған (ашқанда {unpacked_mb:,.0f} МБ) — {limit:g} "
                        "шегінен көп; ықтимал zip-бомба ретінде қабылданбады",
                  "en": "part {part!r} is compressed {ratio:,.0f} to 1 ({unpacked_mb:,.0f} MB unpacked), over the "
                        "{limit:g} to 1 limit; refused as a possible zip bomb"},
    "zip_size": {"ru": "архив распаковывается в {size_mb:,.0f} МБ — больше предела {limit_mb:g} МБ; отклонен как "
                       "возможная zip-бомба",
                 "kk": "мұрағат ашқанда {size_mb:,.0f} МБ болады — {limit_mb:g} МБ шегінен көп; ықтимал zip-бомба "
                       "ретінде қабылданбады",
                 "en": "the archive unpacks to {size_mb:,.0f} MB, over the {limit_mb:g} MB limit; refused as a "
                       "possible zip bomb"},
    "xml_dtd_office": {"ru": "часть {part!r} содержит объявление типа документа XML (DTD или сущности), которого не "
                             "бывает в таблицах и документах Word; отклонен как потенциально опасный",
                       "kk": "{part!r} бөлігінде XML құжат түрінің жариялануы (DTD немесе мәндер) бар, ол кестелер мен "
                             "Word құжаттарында болмайды; ықтимал қауіпті ретінде қабылданбады",
                       "en": "part {part!r} holds an XML document type declaration (DTD or entities), which "
                             "spreadsheets and Word documents never use; refused as potentially hostile"},
    "xml_dtd_sheet": {"ru": "часть {part!r} содержит объявление типа документа XML (DTD или сущности), которого не "
                            "бывает в таблицах; отклонен как потенциально опасный",
                      "kk": "{part!r} бөлігінде XML құжат түрінің жариялануы (DTD немесе мәндер) бар, ол кестелерде "
                            "болмайды; ықтимал қауіпті ретінде қабылданбады",
                      "en": "part {part!r} holds an XML document type declaration (DTD or entities), which "
                            "spreadsheets never use; refused as potentially hostile"},
    "xml_no_element": {"ru": "в первых {size:,} байтах части {part!r} нет ни одного элемента XML; отклонен как "
                             "поврежденный или опасный",
                       "kk": "{part!r} бөлігінің алғашқы {size:,} байтында бірде-бір XML элементі жоқ; зақымдалған "
                             "немесе қауіпті ретінде қабылданбады",
                       "en": "part {part!r} shows no XML element in its first {size:,} bytes; refused as damaged or "
                             "hostile"},
    "sheet_cells": {"ru": "лист {sheet} объявляет {cells:,} ячеек ({ref}) — больше предела {limit:,}; удалите пустые "
                          "строки и столбцы после данных и сохраните снова",
                    "kk": "{sheet} парағы {cells:,} ұяшық жариялайды ({ref}) — {limit:,} шегінен көп; деректерден "
                          "кейінгі бос жолдар мен бағандарды жойып, қайта сақтаңыз",
                    "en": "sheet {sheet} declares {cells:,} cells ({ref}), over the {limit:,} limit; delete the empty "
                          "rows and columns after the data and save again"},
    "ods_sheet_cells": {"ru": "лист {sheet!r} занимает {cells:,} ячеек — больше предела {limit:,}; удалите повторенные "
                              "строки и столбцы после данных и сохраните снова",
                        "kk": "{sheet!r} парағы {cells:,} ұяшықты алады — {limit:,} шегінен көп; деректерден кейінгі "
                              "қайталанған жолдар мен бағандарды жойып, қайта сақтаңыз",
                        "en": "sheet {sheet!r} spans {cells:,} cells, over the {limit:,} limit; delete the repeated "
                              "rows and columns after the data and save again"},
    "ods_unpacks": {"ru": "content.xml распаковывается больше чем в {limit_mb:g} МБ, больше, чем заявлено в архиве; "
                          "отклонен как возможная zip-бомба",
                    "kk": "content.xml ашқанда {limit_mb:g} МБ-тан асады, мұрағатта жарияланғаннан көп; ықтимал "
                          "zip-бомба ретінде қабылданбады",
                    "en": "content.xml unpacks past {limit_mb:g} MB, more than its zip directory declares; refused "
                          "as a possible zip bomb"},
    "doc97": {"ru": "документ Word 97–2003 (.doc) не читается; откройте его в Word и сохраните как документ Word "
                    "(.docx)",
              "kk": "Word 97–2003 құжаты (.doc) оқылмайды; оны Word-та ашып, Word құжаты (.docx) ретінде сақтаңыз",
              "en": "a Word 97–2003 document (.doc) is not read; open it in Word and save it as a Word document (.docx)"},
    "utf16_cut": {"ru": "текст UTF-16 оборван (нечетное число байт): усеченная копия?",
                  "kk": "UTF-16 мәтіні үзілген (байт саны тақ): қысқартылған көшірме ме?",
                  "en": "the UTF-16 text is cut short (an odd number of bytes): a truncated copy?"},
    "bad_encoding": {"ru": "текст не в кодировке {encoding} (поврежден или сохранен в другой кодировке)",
                     "kk": "мәтін {encoding} кодтауында емес (зақымдалған немесе басқа кодтауда сақталған)",
                     "en": "the text is not valid {encoding} (damaged, or saved in another encoding)"},
    "unreadable_text": {"ru": "текст не в UTF-8, UTF-16 и не в cp1251 (нечитаемые символы)",
                        "kk": "мәтін UTF-8, UTF-16 немесе cp1251 кодтауында емес (оқылмайтын таңбалар)",
                        "en": "the text is not in UTF-8, UTF-16 or cp1251 (unreadable characters)"},
    "replacement_chars": {"ru": "в тексте символы замены (\ufffd) там, где буквы потерялись при прежнем "
                                "преобразовании; {save_utf8}",
                          "kk": "мәтінде бұрынғы түрлендіру кезінде әріптер жоғалған жерлерде ауыстыру таңбалары "
                                "(\ufffd) бар; {save_utf8}",
                          "en": "the text holds replacement characters (\ufffd) where letters were lost in an earlier "
                                "conversion; {save_utf8}"},
    "garbled": {"ru": "текст искажен (как «РЎСѓРјРјР°»: UTF-8 прочитан в чужой кодировке и сохранен снова); {save_utf8}",
                "kk": "мәтін бұрмаланған («РЎСѓРјРјР°» сияқты: UTF-8 басқа кодтауда оқылып, қайта сақталған); "
                      "{save_utf8}",
                "en": "the text is garbled (like «РЎСѓРјРјР°»: UTF-8 read in a wrong encoding and saved again); "
                      "{save_utf8}"},
    "other_codepage": {"ru": "текст не читается по-русски или по-казахски ни в UTF-8, ни в UTF-16, ни в cp1251 "
                             "(другая кодовая страница, например cp866?); {save_utf8}",
                       "kk": "мәтін UTF-8, UTF-16 немесе cp1251 кодтауында орысша не қазақша оқылмайды (басқа код "
                             "беті, мысалы cp866?); {save_utf8}",
                       "en": "the text does not read as Russian or Kazakh in UTF-8, UTF-16 or cp1251 (another code "
                             "page, such as cp866?); {save_utf8}"},
    "koi8": {"ru": "текст не читается по-русски или по-казахски ни в UTF-8, ни в UTF-16, ни в cp1251 (KOI8-R?); "
                   "{save_utf8}",
             "kk": "мәтін UTF-8, UTF-16 немесе cp1251 кодтауында орысша не қазақша оқылмайды (KOI8-R?); {save_utf8}",
             "en": "the text does not read as Russian or Kazakh in UTF-8, UTF-16 or cp1251 (KOI8-R?); {save_utf8}"},
    "html": {"ru": "это не файл отчета: внутри веб-страница (HTML), как пишет «выгрузка в Excel» некоторых систем; "
                   "{save_as_xlsx}",
             "kk": "бұл есеп файлы емес: ішінде кейбір жүйелердің «Excel-ге экспорты» жазатын веб-бет (HTML); "
                   "{save_as_xlsx}",
             "en": "not a report file: the content is a web page (HTML), as some systems' «export to Excel» writes; "
                   "{save_as_xlsx}"},
    "xml_file": {"ru": "это не файл отчета: внутри файл XML, а не книга и не CSV; {save_as_xlsx}",
                 "kk": "бұл есеп файлы емес: ішінде кітап та, CSV да емес, XML файлы; {save_as_xlsx}",
                 "en": "not a report file: the content is an XML file, not a workbook or CSV; {save_as_xlsx}"},
    "excel2003_xml": {"ru": "это не файл отчета: внутри таблица Excel 2003 XML; {save_as_xlsx}",
                      "kk": "бұл есеп файлы емес: ішінде Excel 2003 XML кестесі; {save_as_xlsx}",
                      "en": "not a report file: the content is an Excel 2003 XML spreadsheet; {save_as_xlsx}"},
    "csv_cells": {"ru": "в таблице около {cells:,} ячеек — больше предела {limit:,}",
                  "kk": "кестеде шамамен {cells:,} ұяшық бар — {limit:,} шегінен көп",
                  "en": "the table has about {cells:,} cells, over the {limit:,} limit"},
    "pdf_too_large": {"ru": "PDF весит {size_mb:.1f} МБ — больше предела {limit_mb:g} МБ для PDF (GRANTSTATS_MAX_PDF_MB)",
                      "kk": "PDF көлемі {size_mb:.1f} МБ — PDF үшін {limit_mb:g} МБ шегінен асады (GRANTSTATS_MAX_PDF_MB)",
                      "en": "the PDF is {size_mb:.1f} MB, over the {limit_mb:g} MB limit for a PDF (GRANTSTATS_MAX_PDF_MB)"},
    "pdf_pages": {"ru": "в PDF {pages:,} страниц — больше предела {limit:,} (GRANTSTATS_MAX_PDF_PAGES)",
                  "kk": "PDF-те {pages:,} бет бар — {limit:,} шегінен көп (GRANTSTATS_MAX_PDF_PAGES)",
                  "en": "the PDF has {pages:,} pages, over the {limit:,} page limit (GRANTSTATS_MAX_PDF_PAGES)"},
    "pdf_no_pages": {"ru": "в PDF нет страниц", "kk": "PDF-те бет жоқ", "en": "the PDF has no pages"},
    "pdf_damaged": {"ru": "PDF поврежден или неполон; {expected}", "kk": "PDF зақымдалған немесе толық емес; {expected}",
                    "en": "the PDF is damaged or incomplete; {expected}"},
    # the parsing workers (grantstats.worker)
    "limits": {"ru": "файл не удалось прочитать в пределах памяти и времени (он может быть поврежден или опасен)",
               "kk": "файлды жад пен уақыт шегінде оқу мүмкін болмады (ол зақымдалған немесе қауіпті болуы мүмкін)",
               "en": "the file could not be parsed within the memory/time limits (it may be damaged or hostile)"},
    "time_limit": {"ru": "файл не удалось прочитать за {seconds:g} с (он может быть поврежден или опасен)",
                   "kk": "файлды {seconds:g} с ішінде оқу мүмкін болмады (ол зақымдалған немесе қауіпті болуы мүмкін)",
                   "en": "the file could not be parsed within the time limit of {seconds:g} s (it may be damaged or "
                         "hostile)"},
    "memory_limit": {"ru": "файл не удалось прочитать в пределах {mb:g} МБ памяти (он может быть поврежден или опасен)",
                     "kk": "файлды {mb:g} МБ жад шегінде оқу мүмкін болмады (ол зақымдалған немесе қауіпті болуы "
                           "мүмкін)",
                     "en": "the file could not be parsed within the memory limit of {mb:g} MB (it may be damaged or "
                           "hostile)"},
    "nesting_limit": {"ru": "файл не удалось прочитать в пределах вложенности (он может быть поврежден или опасен)",
                      "kk": "файлды кірістіру шегінде оқу мүмкін болмады (ол зақымдалған немесе қауіпті болуы мүмкін)",
                      "en": "the file could not be parsed within the nesting limit (it may be damaged or hostile)"},
    "reader_failed": {"ru": "программа чтения не справилась с этим файлом ({error}: {detail})",
                      "kk": "оқу бағдарламасы бұл файлды оқи алмады ({error}: {detail})",
                      "en": "the reader failed on this file ({error}: {detail})"},
    "unreadable": {"ru": "файл не удалось прочитать ({error})", "kk": "файлды оқу мүмкін болмады ({error})",
                   "en": "the file could not be read ({error})"},
    # the readers (grantstats.readers)
    "unsupported_suffix": {"ru": "это не файл отчета (ожидается .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .docx или .pdf)",
                           "kk": "бұл есеп файлы емес (күтілетіні: .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .docx немесе "
                                 ".pdf)",
                           "en": "not a report file (expected .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .docx or .pdf)"},
    "no_cells": {"ru": "файл пуст", "kk": "файл бос", "en": "the file is empty"},
    "no_cells_in_sheets": {"ru": "файл пуст (нет заполненных ячеек на листах {sheets})",
                           "kk": "файл бос ({sheets} парақтарында толтырылған ұяшық жоқ)",
                           "en": "the file is empty (no filled cell in sheet {sheets})"},
    "no_report_in_sheets": {"ru": "отчет не найден — {why}; ожидается строка заголовков реестра с полями отчета "
                                  "(грантополучатель, регион, сумма гранта, бенефициары…) или форма итогового отчета "
                                  "(подписи паспорта, таблица индикаторов, таблицы участников)",
                            "kk": "есеп табылмады ({why}); күтілетіні: есеп өрістерін атайтын тізілім тақырып жолы "
                                  "(грант алушы, өңір, грант сомасы, бенефициарлар…) немесе қорытынды есеп нысаны "
                                  "(паспорт белгілері, индикаторлар кестесі, қатысушылар кестелері)",
                            "en": "no report found — {why}; expected a registry header row naming report fields "
                                  "(grantee, region, grant amount, beneficiaries…) or a final-report form (passport "
                                  "labels, an indicator table, participant tables)"},
    "no_report": {"ru": "отчет не найден: нет строки заголовков с полями отчета (грантополучатель, регион, сумма "
                        "гранта, бенефициары…) и нет формы итогового отчета (ни подписей паспорта, ни таблицы "
                        "индикаторов, ни таблиц участников)",
                  "kk": "есеп табылмады: есеп өрістерін атайтын тақырып жолы жоқ (грант алушы, өңір, грант сомасы, "
                        "бенефициарлар…), қорытынды есеп нысаны да жоқ (паспорт белгілері де, индикаторлар кестесі "
                        "де, қатысушылар кестелері де)",
                  "en": "no report found — no header row naming report fields (grantee, region, grant amount, "
                        "beneficiaries…), and not a final-report form either ({missing})"},
    "not_spreadsheet": {"ru": "это не таблица (ожидается .xlsx, .xlsm, .xlsb, .xls, .ods или .csv)",
                        "kk": "бұл кесте емес (күтілетіні: .xlsx, .xlsm, .xlsb, .xls, .ods немесе .csv)",
                        "en": "not a spreadsheet (expected .xlsx, .xlsm, .xlsb, .xls, .ods or .csv)"},
    "workbook_password": {"ru": "книга защищена паролем; сохраните ее без пароля",
                          "kk": "кітап құпиясөзбен қорғалған; оны құпиясөзсіз сақтаңыз",
                          "en": "the workbook is password-protected; save it without a password"},
    "not_readable_spreadsheet": {"ru": "таблица не читается ({error})", "kk": "кесте оқылмайды ({error})",
                                 "en": "not a readable spreadsheet ({error})"},
    "sheet_unreadable": {"ru": "лист не читается ({error})", "kk": "парақ оқылмайды ({error})",
                         "en": "a sheet cannot be read ({error})"},
    "tidy_no_id": {"ru": "лист reports, строка {row}: report_id пуст", "kk": "reports парағы, {row}-жол: report_id бос",
                   "en": "sheet reports, row {row}: report_id is empty"},
    "pdf_no_text": {"ru": "у PDF нет текстового слоя (скан или изображения страниц), поэтому цифры не прочитать; "
                          "{load_word}",
                    "kk": "PDF-тің мәтін қабаты жоқ (скан немесе беттердің суреттері), сондықтан сандарды оқу мүмкін "
                          "емес; {load_word}",
                    "en": "the PDF has no text layer (a scan or images of pages), so its figures cannot be read; "
                          "{load_word}"},
    "pdf_no_cmap": {"ru": "текстовый слой PDF не читается (у его шрифтов нет таблицы символов); {load_word}",
                    "kk": "PDF мәтін қабаты оқылмайды (қаріптерінде таңбалар кестесі жоқ); {load_word}",
                    "en": "the PDF's text layer cannot be read (its fonts carry no character map); {load_word}"},
    "word_no_body": {"ru": "в документе Word нет тела (word/document.xml поврежден)",
                     "kk": "Word құжатының денесі жоқ (word/document.xml зақымдалған)",
                     "en": "the Word document has no body (word/document.xml is damaged)"},
    "word_no_main": {"ru": "в документе Word нет основной части (word/document.xml)",
                     "kk": "Word құжатының негізгі бөлігі жоқ (word/document.xml)",
                     "en": "the Word document has no main part (word/document.xml)"},
    "word_damaged": {"ru": "документ Word поврежден ({detail})", "kk": "Word құжаты зақымдалған ({detail})",
                     "en": "the Word document is damaged ({detail})"},
    "word_unpacks": {"ru": "word/document.xml распаковывается больше чем в {limit_mb:g} МБ; отклонен как возможная "
                           "zip-бомба",
                     "kk": "word/document.xml ашқанда {limit_mb:g} МБ-тан асады; ықтимал zip-бомба ретінде "
                           "қабылданбады",
                     "en": "word/document.xml unpacks past {limit_mb:g} MB; refused as a possible zip bomb"},
    "word_dtd": {"ru": "документ Word содержит объявление типа документа XML (DTD или сущности) в {part}, которого Word "
                       "никогда не пишет; отклонен как потенциально опасный",
                 "kk": "Word құжатының {part} бөлігінде XML құжат түрінің жариялануы (DTD немесе мәндер) бар, оны Word "
                       "ешқашан жазбайды; ықтимал қауіпті ретінде қабылданбады",
                 "en": "the Word document holds an XML document type declaration (DTD or entities) in {part}, which "
                       "Word never writes; refused as potentially hostile"},
    # the store (grantstats.ingest)
    "not_stored": {"ru": "данные не удалось сохранить ({error}: значение вне допустимого диапазона или не того типа)",
                   "kk": "деректерді сақтау мүмкін болмады ({error}: мән рұқсат етілген ауқымнан тыс немесе басқа "
                         "түрде)",
                   "en": "the data could not be stored ({error}: a value is out of range or of the wrong type)"},
    # a load by someone limited to some regions (grantstats.upload)
    "outside_regions": {"ru": "отчет {report} ({grantee}) относится к региону «{where}» — вне ваших регионов ({allowed})",
                        "kk": "{report} есебі ({grantee}) «{where}» өңіріне жатады — сіздің өңірлеріңізден тыс "
                              "({allowed})",
                        "en": "report {report} ({grantee}) is of {where}, outside your regions ({allowed})"},
    "replaces_other_region": {"ru": "он заменил бы отчет {report} другого региона (ваши регионы: {allowed})",
                              "kk": "ол басқа өңірдің {report} есебін алмастырар еді (сіздің өңірлеріңіз: {allowed})",
                              "en": "it would replace report {report} of another region (your regions: {allowed})"},
    # the grantor's list of contracts (grantstats.contracts)
    "contract_outside_regions": {"ru": "договор {contract} ({grantee}) относится к региону «{where}» — вне ваших "
                                       "регионов ({allowed})",
                                 "kk": "{contract} шарты ({grantee}) «{where}» өңіріне жатады — сіздің өңірлеріңізден "
                                       "тыс ({allowed})",
                                 "en": "contract {contract} ({grantee}) is of {where}, outside your regions ({allowed})"},
    "contract_replaces_other_region": {"ru": "он заменил бы договор {contract} другого региона (ваши регионы: "
                                             "{allowed})",
                                       "kk": "ол басқа өңірдің {contract} шартын алмастырар еді (сіздің өңірлеріңіз: "
                                             "{allowed})",
                                       "en": "it would replace contract {contract} of another region (your regions: "
                                             "{allowed})"},
    "no_contracts": {"ru": "список договоров не найден: нет строки заголовков с полями договора (номер договора, "
                           "грантополучатель, проект, регион, период, срок сдачи отчета…)",
                     "kk": "шарттар тізімі табылмады: шарт өрістерін атайтын тақырып жолы жоқ (шарт нөмірі, грант "
                           "алушы, жоба, өңір, кезең, есепті тапсыру мерзімі…)",
                     "en": "no contracts list found — no header row naming contract fields (contract number, grantee, "
                           "project, region, period, report due date…)"},
    "contracts_empty": {"ru": "в списке договоров нет ни одной строки договора",
                        "kk": "шарттар тізімінде бірде-бір шарт жолы жоқ",
                        "en": "the contracts list holds no contract row"},
    "document_cells": {"ru": "в документе больше {limit:,} ячеек таблиц и абзацев — больше предела "
                             "(GRANTSTATS_MAX_SHEET_CELLS)",
                       "kk": "құжатта кесте ұяшықтары мен абзацтар {limit:,}-дан көп — шектен асады "
                             "(GRANTSTATS_MAX_SHEET_CELLS)",
                       "en": "the document holds over {limit:,} table cells and paragraphs, over the limit "
                             "(GRANTSTATS_MAX_SHEET_CELLS)"},
    "document_no_text": {"ru": "в документе ({document}) нет текста", "kk": "құжатта ({document}) мәтін жоқ",
                         "en": "the {document} holds no text"},
    "document_no_form": {"ru": "в документе ({document}) не найдена форма итогового отчета (ни подписей паспорта, ни "
                               "таблицы индикаторов, ни таблиц участников)",
                         "kk": "құжатта ({document}) қорытынды есеп нысаны табылмады (паспорт белгілері де, "
                               "индикаторлар кестесі де, қатысушылар кестелері де жоқ)",
                         "en": "no final-report form found in the {document} ({missing})"},
}
"""Every reason a file is refused: its line in each language (``{expected}`` and the other shared phrases are
filled in by :func:`refusal_text`)."""

DOCUMENTS = {"Word document": {"ru": "документ Word", "kk": "Word құжаты"}, "PDF": {"ru": "PDF", "kk": "PDF"}}
"""The kinds of document the document readers name (their English words are the parameter's value)."""


def _shared(lang: str) -> dict[str, str]:
    return {"expected": _EXPECTED[lang], "save_utf8": _SAVE_UTF8[lang], "save_as_xlsx": _SAVE_AS_XLSX[lang],
            "load_word": _LOAD_WORD[lang]}


class _Numbers(string.Formatter):
    """str.format, with numbers grouped and decimals marked as the language writes them (1 000,5 in Russian)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        text = format(value, format_spec)
        if self.lang != "en" and isinstance(value, (int, float)) and not isinstance(value, bool):
            text = text.replace(",", "\0").replace(".", ",").replace("\0", "\u00a0")
        return text


def _params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    out = dict(params)
    if f"why_{lang}" in out:  # a reader's own clause, given in each language
        out["why"] = out[f"why_{lang}"]
    elif lang != "en" and "why_ru" in out:  # (a refusal recorded before the Kazakh clause existed)
        out["why"] = out["why_ru"]
    if "what" in out:
        out["what"] = CONTENTS.get(out["what"], {}).get(lang) or CONTENTS.get(out["what"], {}).get("en") or out["what"]
    if "document" in out and lang != "en":
        out["document"] = DOCUMENTS.get(out["document"], {}).get(lang, out["document"])
    return out | _shared(lang)


def refusal_line(reason: str, params: dict[str, Any] | None = None) -> str:
    """The English line of ``reason`` (without a file's name): what the command line and the logs say."""
    return REFUSALS[reason]["en"].format(**_params(params or {}, "en"))


def refusal(reason: str, name: str, **params: Any) -> ReadError:
    """The ReadError refusing file ``name`` for ``reason`` (a key of :data:`REFUSALS`): its line the English text,
    its ``sheet`` and ``cell`` fields those of ``params`` (a reader that names where it stopped passes them)."""
    return ReadError(refusal_line(reason, params), reason, params, name, params.get("sheet"), params.get("cell"))


def refusal_text(error_or_reason: ReadError | str | None, params: dict[str, Any] | None = None, lang: str = "ru",
                 fallback: str = "") -> str:
    """Why a file was refused, in ``lang`` (without the file name): from a ReadError, or a reason and its params;
    ``fallback`` (the English line) for a refusal no reason names."""
    if isinstance(error_or_reason, ReadError):
        reason, params = error_or_reason.reason, error_or_reason.params
        fallback = fallback or str(error_or_reason)
    else:
        reason = error_or_reason
    texts = REFUSALS.get(reason or "")
    if texts is None:
        return fallback
    return _Numbers(lang).format(texts.get(lang) or texts["en"], **_params(params or {}, lang))


__all__ = ["refusal", "refusal_line", "refusal_text", "REFUSALS", "CONTENTS"]
