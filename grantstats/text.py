"""Normalising labels and matching them by meaning against phrase lists (see catalog.py).

Labels in real reports differ in case, ё/е, Kazakh letters, punctuation, quotes, numbering, extra words
and small typos. ``normalize`` removes the noise; ``best_match`` finds the code whose phrase the label
means, and refuses to guess when two codes fit about equally well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

__all__ = ["normalize", "tokens", "stem", "similarity", "token_match", "best_match", "best_match_score", "exact_match"]

_FOLD = str.maketrans(
    {
        "ё": "е",
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
    }
)
# Leading list numbering: "1.", "4)", "1.2.", "1.2)", "а)", "b)" (not "2.5" nor "13-16").
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)](?!\d)|[a-zа-я]\)(?=\s|$))\s*")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def _normalize_str(text: str) -> str:
    s = text.lower().translate(_FOLD)
    for _ in range(3):  # "1. а) ..." has two levels of numbering
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return _NON_WORD.sub(" ", s).strip()


def normalize(text: Any) -> str:
    """Lower-case words separated by single spaces: no punctuation, quotes, numbering; ё->е, Kazakh->Russian."""
    if text is None:
        return ""
    return _normalize_str(str(text))


def tokens(text: Any) -> list[str]:
    """The normalised words of a text."""
    return normalize(text).split()


def similarity(a: str, b: str) -> float:
    """How alike two (normalised) strings are, 0..1 (difflib ratio)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


# Common Russian inflectional endings; stripped only from words of 6+ letters, keeping a 4+ letter stem.
_ENDING = re.compile(
    r"(?:ами|ями|ого|его|ому|ему|ыми|ими|ов|ев|ей|ий|ый|ой|ая|яя|ое|ее|ые|ие|ых|их|ую|юю|ам|ям|ах|ях"
    r"|ом|ем|ью|а|я|о|е|ы|и|у|ю|ь|й)$"
)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if len(word) < 6 or not word.isalpha():
        return word
    stem = _ENDING.sub("", word)
    return stem if len(stem) >= 4 else word


def stem(word: str) -> str:
    """A normalised Russian word without its inflectional ending («достигнутых» -> «достигнут»); short words,
    and words of other languages, as they are."""
    return _stem(word)


@lru_cache(maxsize=262144)
def token_match(a: str, b: str) -> bool:
    """Whether two normalised words are the same word: equal, same stem, or a 1–2 letter typo apart."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    sa, sb = _stem(a), _stem(b)
    if sa == sb:
        return True
    shorter = min(len(sa), len(sb))
    # A typo keeps the first letter and the length (give or take two): "indirect" is not "direct".
    if shorter < 5 or sa[0] != sb[0] or abs(len(sa) - len(sb)) > 2:
        return False
    ratio = SequenceMatcher(None, sa, sb, autojunk=False).ratio()
    return ratio >= 0.85 or (shorter >= 8 and ratio >= 0.8)


def _closest(places: list[list[int]]) -> list[int] | None:
    """Distinct positions, one from each list, standing as close together as possible (None if impossible)."""
    if not all(places):
        return None
    best: list[int] | None = None
    for anchor in places[0]:
        used = [anchor]
        for options in places[1:]:
            free = [i for i in options if i not in used]
            if not free:
                break
            used.append(min(free, key=lambda i: (abs(i - anchor), i)))
        else:
            if best is None or max(used) - min(used) < max(best) - min(best):
                best = used
    return best


# Little words that may stand inside a phrase without breaking it ("прямых, в том числе, из ...").
_FILLERS = frozenset("в во и или из них на по с со от до для а также за счет о об т ч том числе том их".split())


def _together(found: list[int], words: tuple[str, ...]) -> bool:
    """Whether matched words form the phrase: side by side in any order, or in the phrase's order with
    at most one stray word (besides little words like «в том числе») between them."""
    if max(found) - min(found) == len(found) - 1:
        return True
    if found != sorted(found):
        return False
    inside = set(found)
    stray = [w for i, w in enumerate(words[found[0]:found[-1] + 1], found[0]) if i not in inside and w not in _FILLERS]
    return len(stray) <= 1


def _find_in(phrase: tuple[str, ...], words: tuple[str, ...]) -> list[int] | None:
    """Positions of distinct words matching each phrase word (any order, closest together), or None."""
    return _closest([[i for i, w in enumerate(words) if token_match(w, p)] for p in phrase])


class _Phrase:
    __slots__ = ("code", "text", "length", "words", "wordset", "chars", "matcher", "glued")

    def __init__(self, code: str, text: str) -> None:
        self.code = code
        self.text = text
        self.length = len(text)
        self.words = tuple(text.split())
        self.wordset = frozenset(self.words)
        self.chars = sum(len(w) for w in self.words)
        self.matcher = SequenceMatcher(None, "", text, autojunk=False)  # seq2 analysed once
        self.glued = text.replace(" ", "")


class _Prepared:
    """A candidate mapping normalised once, with its own caches of answers per text and per word."""

    def __init__(self, candidates: Mapping[str, Iterable[str]]) -> None:
        self.source = candidates
        self.phrases: list[_Phrase] = []
        seen: set[tuple[str, str]] = set()
        for code, phrases in candidates.items():
            if isinstance(phrases, str):
                phrases = [phrases]
            for phrase in phrases:
                norm = normalize(phrase)
                if norm and (code, norm) not in seen:
                    seen.add((code, norm))
                    self.phrases.append(_Phrase(code, norm))
        self.vocabulary = frozenset(w for p in self.phrases for w in p.words)
        with_word: dict[str, list[int]] = {}
        for i, p in enumerate(self.phrases):
            for w in p.wordset:
                with_word.setdefault(w, []).append(i)
        self.with_word = {w: tuple(ids) for w, ids in with_word.items()}  # phrase word -> the phrases holding it
        self._stems: frozenset[str] | None = None
        # token_match keeps a word's first letter (stems only lose endings; a typo must keep it), so a text
        # word is compared only with the phrase words that begin as it does.
        by_initial: dict[str, list[str]] = {}
        for w in sorted(self.vocabulary):
            by_initial.setdefault(w[:1], []).append(w)
        self.by_initial = {k: tuple(v) for k, v in by_initial.items()}
        self.hits: dict[str, frozenset[str]] = {}
        self.answers: dict[tuple[str, float, float], tuple[str | None, float]] = {}
        codes_of: dict[str, set[str]] = {}
        for p in self.phrases:
            codes_of.setdefault(p.text, set()).add(p.code)
        # a text equal to one phrase (normalised) means that phrase's code; one shared by two codes, none
        self.exact = {text: next(iter(codes)) if len(codes) == 1 else None for text, codes in codes_of.items()}

    def mend(self, words: tuple[str, ...], hits: list[frozenset[str]]) -> tuple[tuple[str, ...], list[frozenset[str]]]:
        """A word a page layout broke in two or three («количес тво», «бенефициа ров») joined back: pieces side
        by side, one of which matches no phrase word, whose joining is a phrase word (or its stem)."""
        out_words: list[str] = []
        out_hits: list[frozenset[str]] = []
        i = 0
        while i < len(words):
            for size in (3, 2):
                pieces = words[i:i + size]
                if len(pieces) < size or any(p.isdigit() for p in pieces) or all(hits[i:i + size]):
                    continue
                joined = "".join(pieces)
                if joined in self.vocabulary or _stem(joined) in self.stems:
                    out_words.append(joined)
                    out_hits.append(self.word_hits(joined))
                    i += size
                    break
            else:
                out_words.append(words[i])
                out_hits.append(hits[i])
                i += 1
        return tuple(out_words), out_hits

    @property
    def stems(self) -> frozenset[str]:
        if self._stems is None:
            self._stems = frozenset(_stem(w) for w in self.vocabulary)
        return self._stems

    def word_hits(self, word: str) -> frozenset[str]:
        """The phrase words a text word matches."""
        hits = self.hits.get(word)
        if hits is None:
            pool = self.by_initial.get(word[:1], ()) if word else self.vocabulary
            hits = frozenset(v for v in pool if token_match(word, v))
            if len(self.hits) > 200_000:
                self.hits.clear()
            self.hits[word] = hits
        return hits


_PREPARED: dict[int, _Prepared] = {}


def _prepare(candidates: Mapping[str, Iterable[str]]) -> _Prepared:
    prepared = _PREPARED.get(id(candidates))
    if prepared is None or prepared.source is not candidates:
        prepared = _Prepared(candidates)
        if len(_PREPARED) > 256:
            _PREPARED.clear()
        _PREPARED[id(candidates)] = prepared
    return prepared


# What kind of match a score came from: the text equals the phrase, contains it, is contained in it, or
# is only similar as a whole string.
_EXACT, _CONTAINS, _INSIDE, _SIMILAR = "exact", "contains", "inside", "similar"


def _score(
    text: str, words: tuple[str, ...], hits: list[frozenset[str]], found_words: frozenset[str], chars: int,
    phrase: _Phrase,
) -> tuple[float, str]:
    """Word-level score: exact, the text contains the phrase, or the text is a good part of the phrase."""
    if text == phrase.text:
        return 1.0, _EXACT
    if len(phrase.text) > 2:  # one- and two-letter phrases ("м", "ж") only ever match exactly
        if phrase.wordset <= found_words:
            found = _closest([[i for i, h in enumerate(hits) if p in h] for p in phrase.words])
            if found is not None and _together(found, words):
                covered = sum(len(words[i]) for i in found) / chars
                inexact = sum(1 for p, i in zip(phrase.words, found) if words[i] != p)
                return min(0.99, 0.8 + 0.2 * covered - 0.005 * inexact), _CONTAINS
        if all(h & phrase.wordset for h in hits):
            # The text is a part of a longer phrase: a match only if it is a good part of it.
            if len(words) == 1:
                return 0.0, _INSIDE
            return min(0.95, 0.75 + 0.2 * chars / phrase.chars), _INSIDE
    return 0.0, _SIMILAR


def _similar(text: str, phrase: _Phrase, floor: float) -> float:
    """Whole-string similarity, computed only when it can reach ``floor`` (the caller has ruled out the
    phrases whose length or words already keep it below)."""
    matcher = phrase.matcher
    matcher.set_seq1(text)
    if matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def _has_word_like(phrase: _Phrase, word: str) -> bool:
    """Whether a phrase holds this word misspelt or inflected past token_match («прмых», «годы» for «год»), or
    glued to its neighbours."""
    return word in phrase.glued or any(_word_alike(word, w) for w in phrase.words)


@lru_cache(maxsize=65536)
def _word_alike(a: str, b: str) -> bool:
    if a[:1] != b[:1]:
        return False
    return any(SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.8 for x, y in ((a, b), (_stem(a), _stem(b))))


def _dominated(runner: _Phrase, kind: str, best_contained: list[_Phrase]) -> bool:
    """A runner-up whose matched phrase is part of a longer phrase the winner also found in the text."""
    if kind not in (_EXACT, _CONTAINS):
        return False
    return any(
        len(big.words) > len(runner.words) and _find_in(runner.words, big.words) is not None
        for big in best_contained
    )


def best_match_score(
    text: Any,
    candidates: Mapping[str, Iterable[str]],
    *,
    threshold: float = 0.8,
    margin: float = 0.06,
) -> tuple[str | None, float]:
    """Like ``best_match`` but also returns the best score found (0 when nothing came close)."""
    norm = normalize(text)
    if not norm:
        return None, 0.0
    prepared = _prepare(candidates)
    key = (norm, threshold, margin)
    answer = prepared.answers.get(key)
    if answer is not None:
        return answer
    words = tuple(norm.split())
    hits = [prepared.word_hits(w) for w in words]
    if len(words) > 1 and not all(hits):
        words, hits = prepared.mend(words, hits)
        norm = " ".join(words)
    chars = sum(len(w) for w in words)
    found_words = frozenset().union(*hits)
    floor = max(0.0, threshold - margin)
    best: dict[str, tuple[float, str, _Phrase]] = {}
    contained: dict[str, list[_Phrase]] = {}
    # First the word-level scores (cheap), then whole-string similarity only where it could still matter.
    similar_left: list[_Phrase] = []
    many_words = len(words) > 2
    phrases = prepared.phrases
    if many_words:  # a phrase sharing no word with a text of several words scores 0 either way (see below)
        phrases = [phrases[i] for i in sorted({i for w in found_words for i in prepared.with_word.get(w, ())})]
    for phrase in phrases:
        if phrase.wordset.isdisjoint(found_words):
            similar_left.append(phrase)  # no word in common: not equal, containing or inside (see _score)
            continue
        score, kind = _score(norm, words, hits, found_words, chars, phrase)
        if kind == _SIMILAR:
            similar_left.append(phrase)
            continue
        if kind in (_EXACT, _CONTAINS):
            contained.setdefault(phrase.code, []).append(phrase)
        current = best.get(phrase.code)
        if current is None or score > current[0]:
            best[phrase.code] = (score, kind, phrase)
    top_so_far = max((v[0] for v in best.values()), default=0.0)
    floor = max(floor, top_so_far - margin)
    length = len(norm)
    # A word of the text that is not like any word of a phrase, nor its words glued, is a word the phrase lacks: a
    # text alike as a whole but naming something else («количество обученных» is not «количество охваченных нпо»).
    strangers = [w for w, h in zip(words, hits) if not h and len(w) > 3] if len(words) > 1 else []
    for phrase in similar_left:
        # a phrase that cannot reach the floor scores 0, which changes no answer: skip it
        other = phrase.length
        if 2.0 * (length if length < other else other) / (length + other) < floor:
            continue  # too different in length
        if many_words and phrase.wordset.isdisjoint(found_words):
            continue  # alike strings of several words share a word, unless glued
        if strangers and not all(_has_word_like(phrase, w) for w in strangers):
            continue
        score = _similar(norm, phrase, floor)
        current = best.get(phrase.code)
        if current is None or score > current[0]:
            best[phrase.code] = (score, _SIMILAR, phrase)
    ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)
    answer = (None, ranked[0][1][0] if ranked else 0.0)
    if ranked and ranked[0][1][0] >= threshold:
        code, (top, top_kind, _) = ranked[0]
        winner_phrases = contained.get(code, [])
        ambiguous = any(
            top - score < margin
            and not (top_kind == _EXACT and kind != _EXACT)  # the label is one of the phrases: no doubt
            and not _dominated(phrase, kind, winner_phrases)
            for _, (score, kind, phrase) in ranked[1:]
        )
        answer = (None, top) if ambiguous else (code, top)
    if len(prepared.answers) > 100_000:
        prepared.answers.clear()
    prepared.answers[key] = answer
    return answer


def exact_match(text: Any, candidates: Mapping[str, Iterable[str]]) -> str | None:
    """The code one of whose phrases the text is, word for word after normalising (a dictionary lookup:
    what ``best_match_score`` gives with a score of 1.0); None otherwise or when two codes share it."""
    return _prepare(candidates).exact.get(normalize(text))


def best_match(
    text: Any,
    candidates: Mapping[str, Iterable[str]],
    *,
    threshold: float = 0.8,
    margin: float = 0.06,
) -> str | None:
    """The code whose phrase the text means, or None when nothing fits or two codes fit about equally.

    ``candidates`` maps a code to its phrases (any case and punctuation). Pass the same mapping object
    each time: its phrases are normalised once and answers are cached per text.
    """
    return best_match_score(text, candidates, threshold=threshold, margin=margin)[0]
