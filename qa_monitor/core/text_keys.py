"""The key a person's or team's name is matched and searched by.

Names come from people typing on Persian, Arabic, Russian and Latin keyboards and from
phone systems that store Arabic code pages (Windows-1256), so the same name arrives in
forms that look identical but differ in code points. ``name_key`` folds exactly those
differences, and nothing more; the name itself is always stored and shown as typed.

What is folded (in this order):

1. Unicode NFKC: compatibility forms (Arabic presentation forms, full-width Latin,
   ligatures, no-break spaces) become their plain letters.
2. Invisible characters are dropped: every format character (Unicode category Cf:
   zero-width non-joiner U+200C and joiner U+200D, left-to-right / right-to-left marks,
   the byte-order mark, bidi embeddings and isolates, soft hyphen) and the tatweel
   (U+0640, a stretch of the joining line). A ZWNJ is dropped rather than made a space
   because after a letter that does not join leftwards (د ر ز ...) it is invisible:
   "محمد‌رضا" and "محمدرضا" look the same, while "محمد رضا" shows a gap.
3. Arabic diacritics (harakat U+064B–U+0652 and the superscript alef U+0670), which
   names are written with or without.
4. The Arabic forms of two letters the Persian keyboard types differently: Arabic yeh
   ي (U+064A) and alef maksura ى (U+0649) become Persian yeh ی (U+06CC); Arabic kaf
   ك (U+0643) becomes Persian keheh ک (U+06A9). Nothing else: ة and ه, أ and ا, و and
   ؤ are different letters of a name and stay apart.
5. Arabic-Indic (U+0660–U+0669) and Persian (U+06F0–U+06F9) digits become 0–9.
6. Case folding (``str.casefold``, so "Straße" matches "STRASSE"), then NFKC again.
7. Runs of white space become one space, and the ends are trimmed.

Accents on Latin letters are kept: "Núñez" and "Nunez" may be two people.
"""

from __future__ import annotations

import unicodedata

_DROP = {0x0640: None} | {code: None for code in range(0x064B, 0x0653)} | {0x0670: None}
_LETTERS = {0x064A: "\u06cc", 0x0649: "\u06cc", 0x0643: "\u06a9"}
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_FOLD = str.maketrans(_DROP | _LETTERS | _DIGITS)


def name_key(text: str) -> str:
    """The form of ``text`` that names are compared and searched by (module docstring)."""
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isascii():
        folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
        folded = folded.translate(_FOLD)
    folded = unicodedata.normalize("NFKC", folded.casefold())
    return " ".join(folded.split())
