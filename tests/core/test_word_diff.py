"""The word-level diff of two texts: only the words that differ are marked."""

from __future__ import annotations

from qa_monitor.core.word_diff import WordChange, word_diff


def test_only_the_changed_words_are_marked_and_both_texts_can_be_rebuilt():
    before = "Used the customer name at least twice."
    after = "Used the customer's name at least three times."
    pieces = word_diff(before, after)
    assert [(k, t) for k, t in pieces if k is not WordChange.SAME] == [
        (WordChange.ADDED, "'s"),
        (WordChange.REMOVED, "twice"),
        (WordChange.ADDED, "three times"),
    ]
    assert "".join(t for k, t in pieces if k is not WordChange.ADDED) == before
    assert "".join(t for k, t in pieces if k is not WordChange.REMOVED) == after


def test_identical_and_empty_texts():
    assert word_diff("Same words", "Same words") == ((WordChange.SAME, "Same words"),)
    assert word_diff("", "New guidance") == ((WordChange.ADDED, "New guidance"),)
    assert word_diff("", "") == ()
