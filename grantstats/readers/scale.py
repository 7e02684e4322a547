"""Figures a label or a unit cell says are in thousands or millions («Сумма гранта, тыс. тенге», a unit cell
«тыс. тенге»): read in units, as the person who typed «4 000» under «тыс. тенге» meant 4 000 000."""

from __future__ import annotations

import re
from typing import Any

from grantstats.model import Number
from grantstats.text import normalize

SCALE_WORDS = (("тыс", 1_000.0), ("тысяч", 1_000.0), ("мын", 1_000.0), ("млн", 1_000_000.0),
               ("миллион", 1_000_000.0))
_OWN_MULTIPLIER = re.compile(r"тыс|млн|млрд|мың|миллион|миллиард", re.I)


def scale_of(text: Any) -> float:
    """1000 or 1 000 000 when a label or unit says «тыс.»/«млн» (normalised words; Kazakh «мың» too), else 1."""
    words = normalize(text).split()
    return next((factor for word, factor in SCALE_WORDS if word in words), 1.0)


def scaled(number: Number, scale: float) -> Number:
    """A figure in units; one typed with its own multiplier («140 тыс.») or as a percent stays as it is."""
    if scale == 1.0 or number.value is None or number.percent or _OWN_MULTIPLIER.search(number.raw or ""):
        return number
    return Number(number.value * scale, number.qualifier, number.raw, number.percent)
