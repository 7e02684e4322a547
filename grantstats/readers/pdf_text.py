"""A column's lines of a PDF joined back into the text typed into it (a table cell, or the page's text).

A line that is full (the next word would not have fitted on it) was wrapped: it joins the next with a space,
or with nothing when a word too wide for a narrow column was broken by the layout («Количес|тво»). Telling
the two apart: the text layer writes a line's closing space whenever it fits, so a line with one was wrapped
at a space, and a line without one that still had room for a space was broken inside a word. Where the page
cannot tell (no room for a space either way), the document's own words decide: a piece, or the joined word,
seen whole elsewhere in the document or in the catalog; failing those, how often the document's words end
with the first piece's last two letters and start with the second's first two, against how often those
letters stand inside a word. A line that is not full ended a paragraph; a taller gap is an empty paragraph.
"""

from __future__ import annotations

from collections import Counter

from grantstats import catalog
from grantstats.readers.pdf_page import Line, Page, all_lines, line_columns

SPACE = 0.22  # of the line pitch: the width of a space
BOUNDARY_ODDS = 2.0  # a word boundary needs letters this much likelier at words' ends and starts than inside
KNOWN_ODDS = 4.0  # a piece that is a whole word elsewhere in the document makes a word boundary this much likelier
BREAKS = "-/\u2010\u2011"  # a line may wrap right after these, with no space


_PUNCTUATION = "«»\"'()[]{}.,;:!?…–—"


def word_key(text: str) -> str:
    """A word as compared with the known words: lower case, ё as е, no punctuation around it."""
    return text.strip(_PUNCTUATION).lower().replace("ё", "е")


class Joiner:
    """Joins a column's lines back into the text typed (see the module's docstring), knowing the document's
    whole words (`known`), its letter pairs at words' ends, starts and insides, and its line pitch."""

    def __init__(self, known: frozenset[str], pitch: float = 12.0) -> None:
        self.known = known
        self.pitch = pitch
        self.ends: Counter = Counter()
        self.starts: Counter = Counter()
        self.inside: Counter = Counter()
        for word in known:
            if len(word) >= 3 and word.isalpha():
                self.ends[word[-2:]] += 1
                self.starts[word[:2]] += 1
                for k in range(1, len(word) - 2):
                    self.inside[word[k:k + 2]] += 1

    @classmethod
    def for_pages(cls, pages: list[Page]) -> Joiner:
        """Known words: the catalog's, and the document's words standing between two spaces. The pitch: the
        step from one line to the next that most lines keep (a low fifth of all steps: wider ones hold
        paragraph spacing or empty lines)."""
        known = set(catalog.vocabulary())
        steps: list[float] = []
        for page in pages:
            for line in all_lines(page):
                whole = line.words[1:] if line.trailing_space else line.words[1:-1]
                known.update(word_key(w.text) for w in whole)
            for lines in line_columns(page):
                steps += [b.base - a.base for a, b in zip(lines, lines[1:]) if b.base - a.base > 1]
        steps.sort()
        return cls(frozenset(known), steps[len(steps) // 5] if steps else 12.0)

    def boundary_odds(self, head: str, tail: str) -> float:
        """How much likelier a word boundary is than the inside of a word between `head` and `tail`."""
        end, start = head[-2:], tail[:2]
        return ((self.ends[end] + 1) / (self.inside[end] + 1)) * ((self.starts[start] + 1) / (self.inside[start] + 1))

    def join(self, lines: list[Line], left: float, right: float) -> str:
        """The text of a column from `left` to `right` (a cell's inside, the page's text column)."""
        if not lines:
            return ""
        out = [lines[0].text]
        for a, b in zip(lines, lines[1:]):
            out.append(self.separator(a, b, left, right))
            out.append(b.text)
        return "".join(out)

    def separator(self, a: Line, b: Line, left: float, right: float) -> str:
        """What stood between two lines as typed: a space, nothing (a broken word), a new line, empty lines."""
        h = self.pitch
        if not b.after_break:
            blanks = round((b.base - a.base) / h) - 1  # paragraph spacing is under half a line
            if blanks > 0:
                return "\n" * (blanks + 1)
        last, first = a.words[-1], b.words[0]
        if a.x1 + SPACE * h + (first.x1 - first.x0) <= right + 0.5:
            return "\n"  # the next word would have fitted: the line ended a paragraph
        if a.trailing_space:
            return " "  # wrapped at a space
        tight = right - a.x1 < first.first_width + 0.5  # not even the next character would have fitted
        end, start = last.text[-1:], first.text[:1]
        if end in BREAKS and len(last.text) > 1 and a.x1 + (first.x1 - first.x0) > right + 0.5:
            return ""  # «сентябрь-|октябрь», «Корган-|М»»: the rest did not fit even with no space before it
        if tight and end.isalnum() and start in ",.;:!?)»%":
            return ""  # «Онлайн|, платформа»: a word with its punctuation too wide for the column
        if end.isdigit() and start.isdigit():  # «850101|300123»: a long number broken, or «701 234|56 78»
            return "" if a.trailing_space is False and right - a.x1 > SPACE * h + 0.3 else " "
        if not (tight and end.isalpha() and start.isalpha() and (start.islower() or end.isupper())):
            return " "
        head, tail = word_key(last.text), word_key(first.text)
        if head + tail in self.known:
            return ""
        if a.trailing_space is False and right - a.x1 > SPACE * h + 0.3:
            return ""  # a space would have fitted, and the text layer writes it when it does: a broken word
        if head in self.known and (tail in self.known or len(head) <= 3):
            return " "  # two whole words («участие|в», «Количество|участников»), a little word («для|»)
        odds = self.boundary_odds(head, tail) * (KNOWN_ODDS if head in self.known else 1.0) * (
            KNOWN_ODDS if tail in self.known else 1.0)
        return " " if odds > BOUNDARY_ODDS else ""
