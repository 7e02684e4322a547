"""Personal data kept out of what is stored: phones, e-mails, IINs and people's names in any text a report
carries, wherever a layout put them; and the organisation's BIN told from a person's IIN.

Columns and passport lines that name personal data (head, phone, e-mail, IIN, contacts) are never read
(catalog.PERSONAL_FIELDS); this is the second line, for the same data typed inside other cells («ТОО Альфа,
тел. 8 701 123 45 67» in a partners column, «руководитель Иванова А.Б.» in an activity). What it finds is
replaced by «***», and a figure is read again from the cleaned text, so a phone number never becomes a value.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from grantstats.model import Number, Report
from grantstats.numbers import parse_number

MASK = "***"

_UP = "А-ЯЁӘІҢҒҮҰҚӨҺ"
_LOW = "а-яёәіңғүұқөһ"
_PERSONAL = re.compile(
    "|".join((
        r"[\w.+-]+@[\w-]+(?:\s[\w-]+)?(?:\.[\w-]+)+",  # e-mail, also broken once by a narrow column («mai l.kz»)
        r"(?<![\w+])(?:\+ ?7|8)[ \xa0()\-]*7(?:[ \xa0()\-]*\d){9}(?!\d)",  # +7 7xx xxx xx xx / 8 7xx…: every KZ number
        r"(?:[Тт]ел|ТЕЛ|[Тт]елефон|[Мм]об|[Сс]от|[Фф]акс|[Tt]el|[Pp]hone|[Ұұ]ялы|[Ww]hats[Aa]pp|[Вв]атсап)\.?\s*[:№]?\s*\+?\d[\d ()\-]{4,}\d",
        # IIN: YYMMDD, century digit; also split in two where a narrow column broke it («850101 300123»)
        r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[0-6]\d{5}(?!\d)",
        rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?\s+[{_UP}]\.\s?[{_UP}]\.?",  # Иванова А.Б.
        rf"(?<![{_UP}{_LOW}])[{_UP}]\.\s?[{_UP}]\.\s?[{_UP}][{_LOW}]+",  # А.Б. Иванова
        # a full name with a patronymic: Киргизбаева Диана Уткирбековна, Серіков Нұрлан Асқарұлы
        rf"[{_UP}][{_LOW}]+\s+[{_UP}][{_LOW}]+\s+[{_UP}][{_LOW}]+(?:овна|евна|ична|инична|ович|евич|ич|"
        rf"улы|ұлы|кызы|қызы)(?![{_LOW}])",
    ))
)

# The first look, cheap enough for every text of every report (the patterns above cost a hundred times more):
# an @; an initial («А.Б.»); a patronymic's ending; or ten digits or more in a row, spaces, brackets and dashes
# between them aside (a phone, an IIN), found on the UTF-8 bytes with C-speed byte operations.
_INITIALS = re.compile(rf"\. ?[{_UP}]\.")
_PATRONYMIC_ENDINGS = ("овна", "евна", "ична", "ович", "евич", "улы", "ұлы", "кызы", "қызы")
_DIGITS_TABLE = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_SEPARATORS = b" ()-\xc2\xa0"  # (a no-break space is C2 A0 in UTF-8; other letters losing an A0 byte only
# make the look say «maybe» more often)
PHONE_DIGITS = 10  # a phone or an IIN has ten digits or more
_TEN_DIGITS = b"0" * PHONE_DIGITS


def may_hold_personal(text: str) -> bool:
    """Whether a text can hold personal data at all (no false negatives for what `scrub` takes out)."""
    return ("@" in text or _INITIALS.search(text) is not None or any(e in text for e in _PATRONYMIC_ENDINGS)
            or _TEN_DIGITS in text.encode("utf-8", "replace").translate(_DIGITS_TABLE, _SEPARATORS)
            or _local_phone(text))


# (a mobile number has ten digits or more: the digit run finds it; these words are for a town's short number)
_PHONE_WORDS = ("тел", "Тел", "ватсап", "Ватсап", "WhatsApp", "whatsapp")
_NUMBER_AFTER_WORD = re.compile(r"(?:ефон[а-я]*|[а-я]{0,3}\.)?\s*[:№]?\s*\+?\d")


def _local_phone(text: str) -> bool:
    """«тел. 53-45-12»: a phone word right before a number («деятельности 2 235» is none: the word goes on)."""
    for word in _PHONE_WORDS:
        i = text.find(word)
        while i >= 0:
            if _NUMBER_AFTER_WORD.match(text, i + len(word)):
                return True
            i = text.find(word, i + 1)
    return False


@lru_cache(maxsize=65536)
def scrub(text: str) -> str:
    """The text with phones, e-mails, IINs and people's names replaced by «***» (unchanged when it has none)."""
    if not may_hold_personal(text):
        return text
    return _PERSONAL.sub(MASK, text)


def holds_personal_data(text: str) -> bool:
    """Whether scrubbing would change the text."""
    return scrub(text) != text


def _clean_text(text: str | None) -> str | None:
    return scrub(text) if text.__class__ is str else text


def _clean_number(number: Number) -> Number:
    """The number with its raw text cleaned; a value read from personal data is read again without it."""
    raw = number.raw
    if raw.__class__ is not str or (len(raw) < PHONE_DIGITS and raw.isdigit()):
        return number
    cleaned = scrub(raw)
    if cleaned is raw or cleaned == raw:
        return number
    return replace(parse_number(cleaned), raw=cleaned)


ACTIVITY_TEXTS = ("task", "activity", "date_text", "place", "participants_text", "plan_text", "fact_text")


def _blob(report: Report) -> str:
    """Every text a report holds, one a line (personal data cannot reach across a line)."""
    texts = [report.grantee, report.title, report.region_text, report.direction_text, report.contract_no,
             report.grant_amount.raw, report.participants_total.raw, *report.field_texts.values()]
    for ind in report.indicators.values():  # (a label the catalog matched is no personal data)
        texts += (ind.plan.raw, ind.fact.raw)
    for a in report.activities:
        texts += (a.task, a.activity, a.date_text, a.place, a.participants_text, a.plan_text, a.fact_text)
    return "\n".join([t for t in texts if t.__class__ is str])


def clean_report(report: Report) -> None:
    """Take personal data out of every text a report holds (in place). Participant counts and the labels
    the catalog matched are left alone: neither can hold any."""
    blob = _blob(report)
    if not may_hold_personal(blob):
        return
    report.grantee, report.title = _clean_text(report.grantee), _clean_text(report.title)
    report.region_text, report.direction_text = _clean_text(report.region_text), _clean_text(report.direction_text)
    report.contract_no = _clean_text(report.contract_no)
    report.grant_amount = _clean_number(report.grant_amount)
    report.participants_total = _clean_number(report.participants_total)
    if report.field_texts:
        report.field_texts = {k: scrub(v) for k, v in report.field_texts.items()}
    for ind in report.indicators.values():
        ind.plan, ind.fact = _clean_number(ind.plan), _clean_number(ind.fact)
    for a in report.activities:
        for name in ACTIVITY_TEXTS:
            value = getattr(a, name)
            if value.__class__ is str:
                setattr(a, name, scrub(value))


# ----------------------------------------------------------------------------------------------------------
# BIN and IIN: both 12 digits. An IIN starts with the birth date (YYMMDD), so its 5th digit, a day's tens, is
# 0–3; a BIN starts with the year and month of registration and its 5th digit tells the kind of legal
# entity (4 resident, 5 non-resident, 6 branch): 4–6.

_TWELVE = re.compile(r"(?<!\d)(\d{12})(?!\d)")


def bin_of(raw) -> str | None:
    """The BIN a cell holds (12 digits, the 5th one 4–6), or None (blank, an IIN, anything else)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not raw.is_integer():
            return None
        raw = f"{int(raw):012d}"
    digits = re.sub(r"[\s\-]", "", str(raw))
    m = _TWELVE.search(digits)
    if not m or len(_TWELVE.findall(digits)) != 1:
        return None
    value = m.group(1)
    return value if value[4] in "456" else None
