"""File names as shown to people: bidi overrides and invisible characters made visible, so a name cannot
pass for another (``report\u202eslx.exe`` would show as ``reportexe.xls``)."""

from __future__ import annotations

import re

INVISIBLE = re.compile("[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffb]")
"""Control characters, bidi embeddings, overrides, isolates and marks, zero-width and other invisible
formatting characters."""


def visible(text: str) -> str:
    """``text`` with every invisible or direction-changing character written as ``<U+XXXX>``."""
    if not text or not INVISIBLE.search(text):
        return text
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
