"""Ids made from titles: "Verified the caller's identity" → ``verified_the_callers_identity``.

An id must match ``ID_PATTERN`` (lowercase ASCII letters, digits and _, starting with
a letter). Titles in Persian, Arabic or Russian are transliterated letter by letter,
so "Приветствие клиента" becomes ``privetstvie_klienta``; anything else that leaves no
letters gets a short checksum of the title. The same title always gives the same id,
so re-importing an edited sheet keeps the ids of unchanged questions (and their
history in reports).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from qa_monitor.core.form_validation import ID_PATTERN

MAX_SLUG = 40  # room for a "_12" suffix under the 64-character limit, and readable

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
# Persian and Arabic consonants (short vowels are not written, so ids read like
# abbreviations: "خوشامدگویی" → "khvshamdgvii"; still stable and valid).
_ARABIC = {
    "ا": "a", "آ": "a", "أ": "a", "إ": "e", "ٱ": "a", "ء": "", "ؤ": "o", "ئ": "e",
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ک": "k",
    "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "v", "ه": "h", "ة": "h",
    "ی": "i", "ي": "i", "ى": "a", "\u200c": "", "ـ": "",
}  # fmt: skip
_APOSTROPHES = str.maketrans("", "", "'’`ʼ")
_NOT_ID = re.compile(r"[^a-z0-9]+")


def _ascii_letters(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower()):
        if unicodedata.combining(ch):
            continue  # accents, Arabic short-vowel marks
        if ch.isdigit():
            out.append(str(unicodedata.digit(ch, 0)))  # Persian/Arabic digits too
        elif ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _ARABIC:
            out.append(_ARABIC[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(" ")
    return "".join(out)


def slugify(text: str, *, prefix: str = "q") -> str:
    """A valid id for ``text`` (see the module doc); ``prefix`` starts ids that would
    begin with a digit and names checksum ids."""
    words = [w for w in _NOT_ID.split(_ascii_letters(text)) if w]
    slug = ""
    for word in words:
        candidate = f"{slug}_{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            slug = slug or word[:MAX_SLUG]
            break
        slug = candidate
    if not slug:
        return f"{prefix}_{zlib.crc32(text.strip().encode('utf-8')):08x}"
    if not slug[0].isalpha():
        slug = f"{prefix}_{slug}"
    return slug


class IdMaker:
    """Unique ids within one namespace (a form's questions, or its sections)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.taken: set[str] = set()

    def reserve(self, ident: str) -> None:
        """An id the author chose: slugs made later will not take it."""
        self.taken.add(ident)

    def make(self, text: str) -> str:
        base = slugify(text, prefix=self.prefix)
        ident, n = base, 1
        while ident in self.taken:
            n += 1
            ident = f"{base}_{n}"
        self.taken.add(ident)
        assert ID_PATTERN.match(ident), ident
        return ident
