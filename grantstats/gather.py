"""Which files a load reads (named, or found in folders) and the one line each file's outcome gets: kept apart
from the saving so that a load can send the files to its workers before it loads DuckDB."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from grantstats.names import visible
from grantstats.readers.grid import SUPPORTED_SUFFIXES, expected_suffixes

# Reports in a format not read: handed to the safety gate like the others, so that each gets its one-line
# refusal saying what to do («a Word 97–2003 document (.doc) is not read; … save it as .docx»), not a skip.
REFUSED_BY_THE_GATE = {".doc"}


@dataclass
class FileResult:
    """The outcome for one file, as one line for the user."""

    name: str
    path: str
    status: str  # loaded | unchanged | refused | skipped
    reports: int = 0
    report_ids: list[str] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)
    message: str = ""
    sha256: str = ""
    sheets: list[tuple[str, int]] = field(default_factory=list)  # reports per sheet, in sheet order
    unread: list[str] = field(default_factory=list)  # sheets with a part not read (an unread_part finding)
    reason: str | None = None  # a refusal's reason (grantstats.refusals) and its particulars
    params: dict = field(default_factory=dict)

    def line(self) -> str:
        """The outcome as one line, with any invisible or direction-changing character in a name made visible."""
        return visible(self._line())

    def _line(self) -> str:
        if self.status == "refused":
            return f"refused   {self.name}: {self.message}"
        if self.status == "skipped":
            return f"skipped   {self.name}: {self.message}"
        if self.status == "unchanged":
            return f"unchanged {self.name}: already loaded, nothing changed"
        text = f"loaded    {self.name}: {self.reports} report{'s' if self.reports != 1 else ''}"
        if len(self.sheets) > 1:
            text += " (" + ", ".join(f"{sheet} {count}" for sheet, count in self.sheets) + ")"
        if self.unread:
            text += "; not read: " + ", ".join(f"sheet «{sheet}»" for sheet in self.unread) + " (see check)"
        if self.replaced:
            shown = ", ".join(f"{rid} (from {src})" for rid, src in self.replaced[:5])
            more = f" and {len(self.replaced) - 5} more" if len(self.replaced) > 5 else ""
            text += f"; replaced {len(self.replaced)}: {shown}{more}"
        return text


def collect_paths(inputs: Iterable[str | os.PathLike]) -> tuple[list[Path], list[FileResult]]:
    """Files named, or found in folders (recursively), to read; and a line for each one not read: missing,
    or in a folder but not a report file (another suffix, an Office lock file, a hidden file)."""
    found: list[Path] = []
    others: list[FileResult] = []
    for item in inputs:
        if not os.fspath(item).strip():  # Path("") is the current folder: a blank argument (an unset variable) is no folder
            others.append(FileResult("", "", "refused", message="an empty path: name a file or a folder"))
            continue
        path = Path(item)
        if path.is_dir():
            for p in sorted(p for p in path.rglob("*") if p.is_file()):
                reason = skip_reason(p)
                if reason is None:
                    found.append(p)
                else:
                    others.append(FileResult(p.name, str(p), "skipped", message=reason))
        elif path.is_file():
            found.append(path)
        else:
            others.append(FileResult(path.name, str(path), "refused", message="no such file or folder"))
    return found, others


def skip_reason(path: Path) -> str | None:
    """Why a file found in a folder is not read (None: it is read)."""
    if path.name.startswith("~$"):
        return "an Office lock file (the workbook is open in Excel), not a report file"
    if path.name.startswith("."):
        return "a hidden file, not a report file"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES and suffix not in REFUSED_BY_THE_GATE:
        return f"not a report file ({suffix or 'no suffix'}); expected {expected_suffixes()}"
    return None
