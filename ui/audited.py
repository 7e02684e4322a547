"""Downloads recorded in the audit log: the bytes a person takes away, with who, the file name, its SHA-256,
the report ids it holds and the filter, written when the file is made (on the click)."""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Iterable

from grantstats import audit
from ui import data, gate, state

MAX_IDS = 1000
"""Report ids kept in one event (a national table holds 100 000: its count is kept instead)."""


def download(make: Callable[[], bytes], file_name: str, report_ids: Iterable[Any] | None = None) -> Callable[[], bytes]:
    """A download button's ``data`` callable that makes the bytes and records the download. Who and which filter
    are taken now, while the page runs (Streamlit calls ``data`` outside the page's run)."""
    user, via, db, flt = gate.user_name(), gate.via(), data.db_path(), state.current_filter()

    def produce() -> bytes:
        payload = make()
        ids = [str(r) for r in dict.fromkeys(() if report_ids is None else report_ids) if r is not None and r == r]
        audit.record(db, "download", user, via=via, file_name=file_name, sha256=hashlib.sha256(payload).hexdigest(),
                     report_ids=ids[:MAX_IDS], filters=flt,
                     detail={"reports": len(ids)} if len(ids) > MAX_IDS else None)
        return payload

    return produce
