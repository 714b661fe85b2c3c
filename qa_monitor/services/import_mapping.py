"""What each import reads, and which file column feeds each field.

Headers are matched ignoring case, spaces and punctuation, with English synonyms and
the obvious Persian, Arabic and Russian ones (Arabic and Persian letter variants and
the zero-width non-joiner are folded). An exact synonym wins over a header that
merely contains one. A ``ColumnMapping`` is what the mapping dialog edits; the last
one used for each kind is kept in the settings table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from qa_monitor.services.import_fields import FIELDS, NEEDS_ONE_OF, ImportKind

_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ё": "е",
        "\u200c": " ",
        "\u0640": None,
    }
)
_NON_WORD = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """Header text folded for matching: case, accents/diacritics, letter variants,
    punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", folded).split())


def _field_names(kind: ImportKind) -> set[str]:
    return {f.name for f in FIELDS[kind]}


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which header feeds each field (by header text); ``day_first`` None: detect."""

    kind: ImportKind
    columns: Mapping[str, str] = field(default_factory=dict)
    day_first: bool | None = None

    def header_for(self, name: str) -> str | None:
        return self.columns.get(name)

    def with_column(self, name: str, header: str | None) -> ColumnMapping:
        """A copy with ``name`` fed by ``header`` (None: not imported)."""
        if name not in _field_names(self.kind):
            raise ValueError(f"{self.kind.value} imports have no field '{name}'")
        columns = {k: v for k, v in self.columns.items() if k != name}
        if header is not None:
            columns[name] = header
        return replace(self, columns=columns)

    def missing(self) -> list[str]:
        """Labels of what must still be mapped before importing."""
        needed = [f.label for f in FIELDS[self.kind] if f.required and f.name not in self.columns]
        group = NEEDS_ONE_OF[self.kind]
        if group and not any(name in self.columns for name in group):
            labels = {f.name: f.label for f in FIELDS[self.kind]}
            needed.append(" or ".join(labels[n] for n in group))
        return needed

    def to_json(self) -> str:
        return json.dumps(
            {"columns": dict(self.columns), "day_first": self.day_first}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, kind: ImportKind, text: str) -> ColumnMapping:
        data = json.loads(text)
        names = _field_names(kind)
        columns = {k: str(v) for k, v in dict(data.get("columns", {})).items() if k in names}
        day_first = data.get("day_first")
        return cls(kind, columns, day_first if isinstance(day_first, bool) else None)


def _match_score(header: str, synonym: str) -> int:
    if header == synonym:
        return 1000 + len(synonym)
    if f" {synonym} " in f" {header} ":
        return len(synonym)
    return 0


def auto_mapping(kind: ImportKind, headers: Sequence[str]) -> ColumnMapping:
    """The best guess of which header feeds each field; each header feeds one field."""
    normal = [normalise_header(h) for h in headers]
    candidates: list[tuple[int, int, str, int]] = []  # (score, -field order, name, header)
    for order, f in enumerate(FIELDS[kind]):
        synonyms = [normalise_header(s) for s in (f.name.replace("_", " "), f.label, *f.synonyms)]
        for index, header in enumerate(normal):
            score = max((_match_score(header, s) for s in synonyms if s), default=0)
            if score:
                candidates.append((score, -order, f.name, index))
    columns: dict[str, str] = {}
    used: set[int] = set()
    for _score, _order, name, index in sorted(candidates, reverse=True):
        if name not in columns and index not in used and headers[index].strip():
            columns[name] = headers[index]
            used.add(index)
    return ColumnMapping(kind, columns)


def known_header_count(kind: ImportKind, row: Sequence[object]) -> int:
    """How many cells of ``row`` are headers this kind knows (finds the header row)."""
    synonyms = {normalise_header(s) for f in FIELDS[kind] for s in (f.label, *f.synonyms)}
    return sum(1 for v in row if isinstance(v, str) and normalise_header(v) in synonyms)


def settings_key(kind: ImportKind) -> str:
    return f"import_mapping.{kind.value}"
