"""grantstats.text: normalising labels and matching them by meaning."""

from __future__ import annotations

import pytest

from grantstats.text import best_match, best_match_score, normalize, similarity, token_match, tokens

COLOURS = {
    "red": ["Красный цвет", "алый"],
    "green": ["Зелёный цвет"],
    "dark_green": ["тёмно-зелёный цвет"],
}


def test_normalize_none_and_numbers_become_text():
    assert normalize(None) == ""
    assert normalize(42) == "42"
    assert normalize("  ") == ""


def test_normalize_lowercases_and_folds_yo():
    assert normalize("ЗЕЛЁНЫЙ Ёж") == "зеленый еж"


def test_normalize_folds_kazakh_letters_to_russian_lookalikes():
    assert normalize("Әйелдер Ғ Қ Ң Ө Ұ Ү Һ І") == "айелдер г к н о у у х и"
    assert normalize("Батыс Қазақстан облысы") == "батыс казакстан облысы"


def test_normalize_removes_quotes_and_punctuation():
    assert normalize("ОО «Корган-М»") == "оо корган м"
    assert normalize('"Жас" „Ұрпақ“ \'x\' `y`') == "жас урпак x y"
    assert normalize("Налоги (СН, СО, ОСМС)!?") == "налоги сн со осмс"


@pytest.mark.parametrize(
    "label",
    ["1. Дата отчета", "4) Дата отчета", "1.2. Дата отчета", "2)Дата отчета", "а) Дата отчета", "12.Дата отчета"],
)
def test_normalize_drops_leading_numbering(label):
    assert normalize(label) == "дата отчета"


def test_normalize_keeps_numbers_that_are_not_numbering():
    assert normalize("13-16 лет") == "13 16 лет"
    assert normalize("2.5 млн") == "2 5 млн"
    assert normalize("59 лет и выше") == "59 лет и выше"


def test_normalize_collapses_no_break_and_repeated_spaces():
    assert normalize("2\u00a0160\u00a0000 \t тенге\n") == "2 160 000 тенге"


def test_tokens_are_normalized_words():
    assert tokens("4. Количество ПРЯМЫХ бенефициаров (человек)") == [
        "количество", "прямых", "бенефициаров", "человек",
    ]


def test_similarity_is_one_for_equal_and_high_for_a_typo():
    assert similarity("бенефициаров", "бенефициаров") == 1.0
    assert similarity("бенефициаров", "бенифициаров") > 0.9
    assert similarity("", "x") == 0.0
    assert similarity("мужчин", "женщин") < 0.6


def test_token_match_tolerates_inflection_and_typos_but_not_other_words():
    assert token_match("прямых", "прямые")
    assert token_match("бенифициаров", "бенефициаров")
    assert token_match("проеткного", "проектного")
    assert not token_match("мужчин", "женщин")
    assert not token_match("акта", "актау")  # short words: exact only
    assert not token_match("13", "16")
    assert not token_match("indirect", "direct")  # a prefix is not a typo


def test_best_match_exact_and_tolerant_forms():
    assert best_match("КРАСНЫЙ ЦВЕТ", COLOURS) == "red"
    assert best_match("1. «Красный» цвет:", COLOURS) == "red"
    assert best_match("Зеленый цвет", COLOURS) == "green"  # ё written as е


def test_best_match_accepts_extra_words_around_the_phrase():
    assert best_match("Основной цвет флага - красный цвет (оттенок)", COLOURS) == "red"


def test_best_match_tolerates_a_typo_in_a_long_word():
    candidates = {"direct": ["количество прямых бенефициаров"], "staff": ["количество штатных работников"]}
    assert best_match("Количество прямых бенифициаров", candidates) == "direct"
    assert best_match("Количество штатных работнков", candidates) == "staff"


def test_best_match_prefers_the_longer_phrase_that_contains_the_shorter():
    # "тёмно-зелёный цвет" contains every word of "зелёный цвет": the more specific code wins.
    assert best_match("Тёмно-зелёный цвет", COLOURS) == "dark_green"
    assert best_match("Тёмно-зелёный цвет листвы", COLOURS) == "dark_green"


def test_best_match_returns_none_below_threshold():
    assert best_match("синий", COLOURS) is None
    assert best_match("", COLOURS) is None
    assert best_match(None, COLOURS) is None


def test_best_match_returns_none_when_two_codes_fit_equally():
    candidates = {"a": ["общий итог"], "b": ["общий итог"]}
    assert best_match("Общий итог", candidates) is None
    # Both phrases are in the text with a similar share of it: ambiguous, not guessed.
    candidates = {"start": ["дата начала"], "end": ["дата окончания"]}
    assert best_match("дата начала, дата окончания", candidates) is None


def test_best_match_scattered_words_are_not_a_phrase():
    candidates = {"period_end": ["дата окончания реализации"]}
    assert best_match("Дата окончания: см. приложение к отчету о реализации", candidates) is None


def test_best_match_single_word_text_is_not_matched_to_a_longer_phrase():
    candidates = {"a": ["количество нпо"], "b": ["количество партнеров"]}
    assert best_match("Количество", candidates) is None


def test_one_letter_phrases_match_only_exactly():
    candidates = {"male": ["м", "мужчин"], "female": ["ж", "женщин"]}
    assert best_match("М", candidates) == "male"
    assert best_match("ж.", candidates) == "female"
    assert best_match("всего м ж", candidates) is None


def test_best_match_score_reports_the_score():
    code, score = best_match_score("Красный цвет", COLOURS)
    assert code == "red" and score == 1.0
    code, score = best_match_score("синий", COLOURS)
    assert code is None and score < 0.8


def test_best_match_answers_are_cached_per_candidate_mapping():
    candidates = {"x": ["икс"]}
    assert best_match("Икс", candidates) == "x"
    candidates["y"] = ["икс"]  # a mutated mapping is the caller's mistake: the cached answer stays
    other = {"x": ["икс"], "y": ["икс"]}
    assert best_match("Икс", other) is None
