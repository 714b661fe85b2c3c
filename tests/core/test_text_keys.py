"""The name key: what it folds (Persian/Arabic letter forms, invisible marks, digits,
diacritics, compatibility forms, case, spacing) and what it keeps apart."""

from __future__ import annotations

import pytest

from qa_monitor.core.echo_text import shorten
from qa_monitor.core.text_keys import name_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("علی", "علي"),  # Persian yeh / Arabic yeh
        ("مصطفی", "مصطفى"),  # Persian yeh / alef maksura
        ("کاظمی", "كاظمي"),  # keheh / Arabic kaf
        ("محمد‌رضا", "محمدرضا"),  # ZWNJ after د is invisible
        ("زهرا\u200d", "زهرا"),  # zero-width joiner
        ("\u200fمریم\u200e", "مریم"),  # right-to-left and left-to-right marks
        ("\ufeffAli", "Ali"),  # a byte-order mark at the start of a cell
        ("محـــمد", "محمد"),  # tatweel
        ("عَلِيّ", "علی"),  # harakat
        ("Agent ۱۲", "agent 12"),  # Persian digits
        ("Agent ١٢", "AGENT 12"),  # Arabic-Indic digits
        ("ﻋﻠﻲ", "علی"),  # Arabic presentation forms (NFKC)
        ("Ｓａｒａ", "sara"),  # full-width Latin (NFKC)
        ("  Sara \u00a0  Ahmadi ", "sara ahmadi"),  # no-break space, runs of spaces
        ("STRASSE", "straße"),  # case folding
    ],
)
def test_same_name_same_key(typed: str, stored: str) -> None:
    assert name_key(typed) == name_key(stored)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("فاطمة", "فاطمه"),  # teh marbuta and heh are different letters
        ("أحمد", "احمد"),  # alef with hamza and bare alef
        ("مؤمن", "مومن"),  # waw with hamza and waw
        ("Núñez", "Nunez"),  # accents on Latin letters
        ("محمد رضا", "محمدرضا"),  # a visible space is not folded away
    ],
)
def test_different_letters_stay_apart(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_the_key_is_stable() -> None:
    for text in ("علي", "Agent ۱۲", "محمد‌رضا", "STRASSE", "ﻋﻠﻲ"):
        assert name_key(name_key(text)) == name_key(text)


def test_shorten_cuts_long_values_with_an_ellipsis() -> None:
    assert shorten("x" * 40_000) == "x" * 59 + "…"
    assert len(shorten("y" * 40_000, 20)) == 20
    assert shorten("short") == "short"
    assert shorten("two\nlines") == "two lines"
    assert shorten(None) == ""
