"""Personal data in free text: phone numbers, e-mail addresses and IINs (a person's 12-digit number), removed.

Reports carry them in places whose text is kept: partners' contact lines, activity descriptions, notes. An
organisation's BIN (also 12 digits) is its public identifier and stays: an IIN starts with the birth date
(YYMMDD, so its fifth digit is 0–3), a BIN with the registration year and month and then the kind of
organisation (4, 5 or 6).
"""

from __future__ import annotations

import re

REMOVED = "[…]"

# A Kazakh number: +7 or 8, then ten digits starting with 7 (mobile 7xx, city codes 7xxx), grouped any way
# with spaces, dashes, dots or brackets (never across lines: a cell of figures one a line is not a phone): «+7 778 483 33 38», «8 (7252) 53-12-34», «87012345678».
_PHONE = re.compile(r"(?<![\w+])(?:\+[ \u00a0]?7|8)[ \u00a0\-.(]{0,3}7(?:[ \u00a0\-.()]{0,3}\d){9}(?!\d)")
# A number written after a phone word, whatever its form: «тел. 53-12-34», «моб.: 701 234 56 78».
_PHONE_AFTER_WORD = re.compile(r"(?i)(?<!\w)(?:тел(?:ефон)?|моб(?:ильный)?|phone|tel|whatsapp|ватсап)\.?\s*:?\s*"
                               r"(\+?\d[\d \u00a0\-.()]{4,18}\d)")
# An address, also with one space or line break inside its domain where a narrow column broke it («mai l.kz»).
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\s[\w\-]+)?(?:\.[\w\-]+)+")
# Runs of digits one space apart: an IIN is a run of twelve, or two runs making twelve where a narrow column
# broke it («850101 300123») — never an amount grouped by thousands («1 000 000 000 000»).
_DIGIT_RUNS = re.compile(r"\d+(?:\s\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+")  # «87 000 000 000»: an amount, not a phone
_QUICK = re.compile(r"@|\d{4}|\d[\s\-.()]+\d")


def scrub(text: str) -> str:
    """The text without phone numbers, e-mail addresses or IINs (each replaced by «[…]»)."""
    if not text or not _QUICK.search(text):
        return text
    text = _EMAIL.sub(REMOVED, text)
    text = _PHONE_AFTER_WORD.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + REMOVED, text)
    text = _PHONE.sub(_phone_or_amount, text)
    return _DIGIT_RUNS.sub(_without_iins, text)


def _without_iins(match: re.Match) -> str:
    """Digit runs with each IIN among them removed (a BIN kept)."""
    found = match.group(0)
    runs = re.split(r"(\s)", found)  # digits, separator, digits, ...
    digits = runs[0::2]
    if len(digits) > 1 and all(len(d) == 3 for d in digits[1:]) and len(digits[0]) <= 3:
        return found  # an amount grouped by thousands
    out: list[str] = []
    i = 0
    while i < len(digits):
        pair = digits[i] + digits[i + 1] if i + 1 < len(digits) else ""
        if len(digits[i]) == 12:
            out.append(digits[i] if is_bin(digits[i]) else REMOVED)
            i += 1
        elif len(pair) == 12 and len(digits[i]) != 12:
            out.append(digits[i] + runs[2 * i + 1] + digits[i + 1] if is_bin(pair) else REMOVED)
            i += 2
        else:
            out.append(digits[i])
            i += 1
        if i < len(digits):
            out.append(runs[2 * i - 1])
    return "".join(out)


def _phone_or_amount(match: re.Match) -> str:
    found = match.group(0)
    return found if _THOUSANDS.fullmatch(found.strip()) else REMOVED


def is_bin(digits: str) -> bool:
    """Whether 12 digits read as a BIN (an organisation's number) rather than an IIN (a person's)."""
    return len(digits) == 12 and digits.isdigit() and digits[4] in "456"


def holds_personal_data(text: str) -> bool:
    """Whether scrubbing would change the text."""
    return scrub(text) != text
