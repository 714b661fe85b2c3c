"""Ids of forms, sections, questions and options, and making them from titles in any script.

An id is lowercase ASCII letters, digits and ``_``, starts with a letter and is at most
``ID_MAX`` characters (``ID_PATTERN``), so it reads the same in every file and language.
``slugify`` spells a title of any script in Latin (Cyrillic, Persian and Arabic by table,
accents dropped, digits of any script as Western digits); ``unique_id`` adds ``_2``,
``_3`` ... so an id stays unique within what is ``taken``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

ID_MAX = 64
ID_PATTERN = re.compile(rf"^[a-z][a-z0-9_]{{0,{ID_MAX - 1}}}$")
ID_HINT = "use lowercase letters, digits and _ (starting with a letter), e.g. 'greeting_used_name'"
SLUG_MAX = 40  # a readable id; the rest of the title stays in the text


# Latin spellings for the scripts our first users write in. Persian and Arabic write few
# vowels, so the ids read like abbreviations ("slam" for "سلام"), which is enough for an id.
def _table(letters: str, spellings: str) -> dict[str, str]:
    # "-" marks a letter that is left out (the hard and soft signs, the hamza).
    return {
        letter: "" if latin == "-" else latin
        for letter, latin in zip(letters, spellings.split(), strict=True)
    }


_CYRILLIC = _table(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u",
)
_ARABIC = _table(
    "اآأإءئؤبپتثجچحخدذرزژسشصضطظعغفقکكگلمنوهةیيىۀ",
    "a a a e - y o b p t s j ch h kh d z r z zh s sh s z t z a gh f q k k g l m n v h h y y a h",
)
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th"}
_TRANSLIT = {**_CYRILLIC, **_ARABIC, **_LATIN_EXTRA}
_APOSTROPHES = "'\u2019\u02bc"  # "caller's" -> "callers", not "caller_s"
_UNDERSCORES = re.compile(r"_+")


def slugify(text: str, fallback: str = "item") -> str:
    """A valid id read from ``text``: lowercase Latin letters, digits and ``_``.

    Accents are dropped (``é`` -> ``e``), Cyrillic, Persian and Arabic letters are spelled
    in Latin, digits of any script become Western digits, everything else separates words.
    The id starts with a letter (``fallback`` is put in front of a leading digit, and used
    alone when nothing readable is left) and is cut at a word boundary near ``SLUG_MAX``.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text).lower():
        if unicodedata.category(char) in ("Mn", "Cf") or char in _APOSTROPHES:
            continue  # vowel marks and joiners (Persian's zero-width non-joiner) are not letters
        if char in _TRANSLIT:
            out.append(_TRANSLIT[char])
            continue
        if char.isdigit():
            out.append(str(unicodedata.digit(char, 0)))
            continue
        ascii_char = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(ascii_char.lower() if ascii_char.isalnum() else "_")
    slug = _UNDERSCORES.sub("_", "".join(out)).strip("_")
    if len(slug) > SLUG_MAX:
        cut = slug.rfind("_", 0, SLUG_MAX + 1)
        slug = slug[: cut if cut >= SLUG_MAX // 2 else SLUG_MAX].strip("_")
    # A leading number is usually the author's numbering ("1. Opening"): drop it.
    unnumbered = slug.lstrip("0123456789_")
    if unnumbered:
        slug = unnumbered
    if not slug:
        return fallback
    if not slug[0].isalpha():
        slug = f"{fallback}_{slug}"[:SLUG_MAX].strip("_")
    assert ID_PATTERN.match(slug), slug
    return slug


def unique_id(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base_2``, ``base_3`` ... : the first that is not in ``taken``."""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"_{number}"
        candidate = base[: ID_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def id_from_title(title: str, taken: Collection[str], fallback: str = "item") -> str:
    """A valid id for ``title`` that no id in ``taken`` already uses."""
    return unique_id(slugify(title, fallback), taken)


def follows_title(item_id: str, title: str, fallback: str = "item") -> bool:
    """Whether ``item_id`` was made from ``title`` (possibly with a ``_2``-style suffix)."""
    base = slugify(title, fallback)
    return (
        item_id == base
        or re.fullmatch(re.escape(base[: ID_MAX - 4]) + r"_\d+", item_id) is not None
    )
