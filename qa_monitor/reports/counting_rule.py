"""Which evaluations a report counts, the same for the dashboard and every export.

Rules:
- By default a report counts regular evaluations that were submitted (submitted,
  acknowledged, disputed or resolved), the dashboard's rule: drafts have no score yet,
  a calibration interaction is scored by several reviewers (it would count several
  times) and a self-review is the agent's own opinion. The user asks for the others
  explicitly (``include_drafts``, ``kinds``).
- The rule narrows the filter it is applied to and never widens it: a filter that
  already names statuses or kinds keeps only those the rule allows too. When nothing is
  left, the filter selects no evaluation at all (never "any", which an empty tuple
  means in ``EvaluationFilter``).
- Every sheet of an export states, in one sentence, which kinds and statuses it holds
  (``counted_sentence``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qa_monitor.core.records import EvaluationFilter, EvaluationKind, EvaluationStatus

SUBMITTED = tuple(s for s in EvaluationStatus if s is not EvaluationStatus.DRAFT)
# SQLite row ids start at 1, so no evaluation has id 0: the filter of "no evaluation".
_NO_EVALUATION = (0,)
_KIND_WORDS = {
    EvaluationKind.REGULAR: "regular",
    EvaluationKind.CALIBRATION: "calibration",
    EvaluationKind.SELF: "self-review",
}
_STATUS_WORDS = {
    EvaluationStatus.DRAFT: "draft",
    EvaluationStatus.SUBMITTED: "submitted",
    EvaluationStatus.ACKNOWLEDGED: "acknowledged",
    EvaluationStatus.DISPUTED: "disputed",
    EvaluationStatus.RESOLVED: "resolved",
}


def parse_kinds(text: str) -> tuple[EvaluationKind, ...]:
    """Kinds from a comma-separated list such as "regular,calibration,self" (ignoring
    case and spaces; "self-review" is "self"). Raises ValueError naming the bad word."""
    kinds: list[EvaluationKind] = []
    for word in text.split(","):
        name = word.strip().casefold().replace("self-review", "self")
        if not name:
            continue
        try:
            kind = EvaluationKind(name)
        except ValueError:
            known = ", ".join(k.value for k in EvaluationKind)
            raise ValueError(
                f"'{word.strip()}' is not a kind of evaluation; use one or more of {known}, "
                "separated by commas."
            ) from None
        if kind not in kinds:
            kinds.append(kind)
    if not kinds:
        raise ValueError(
            "No kind of evaluation given; use one or more of regular, calibration, self."
        )
    return tuple(kinds)


@dataclass(frozen=True, slots=True)
class CountingRule:
    """Which statuses and kinds count (see the module rules); the default is the
    dashboard's: regular evaluations, submitted or later."""

    include_drafts: bool = False
    kinds: tuple[EvaluationKind, ...] = (EvaluationKind.REGULAR,)

    @classmethod
    def asked_by(cls, flt: EvaluationFilter) -> CountingRule:
        """The rule a filter asks for explicitly: drafts when it names the draft status,
        calibration or self-reviews when it names those kinds; else the default."""
        kinds = tuple(k for k in EvaluationKind if k in flt.kinds) or cls().kinds
        return cls(EvaluationStatus.DRAFT in flt.statuses, kinds)

    @property
    def statuses(self) -> tuple[EvaluationStatus, ...]:
        return tuple(EvaluationStatus) if self.include_drafts else SUBMITTED

    def apply(self, flt: EvaluationFilter) -> EvaluationFilter:
        """``flt`` narrowed to the evaluations this rule counts (see the module rules)."""
        statuses = tuple(s for s in (flt.statuses or EvaluationStatus) if s in self.statuses)
        kinds = tuple(k for k in (flt.kinds or EvaluationKind) if k in self.kinds)
        if not statuses or not kinds:
            return replace(
                flt,
                statuses=statuses or SUBMITTED,
                kinds=kinds or self.kinds,
                evaluation_ids=_NO_EVALUATION,
            )
        return replace(flt, statuses=statuses, kinds=kinds)


def counted_sentence(flt: EvaluationFilter) -> str:
    """The kinds and statuses ``flt`` (a filter the rule was applied to) holds, as one
    sentence for the top of a sheet; the lists are values, so the sentence translates
    whole."""
    kinds = ", ".join(_KIND_WORDS[k] for k in EvaluationKind if k in (flt.kinds or EvaluationKind))
    statuses = [s for s in EvaluationStatus if s in (flt.statuses or EvaluationStatus)]
    listed = ", ".join(_STATUS_WORDS[s] for s in statuses)
    if EvaluationStatus.DRAFT in statuses:
        return f"Counts evaluations of kind {kinds} with status {listed}; drafts are included."
    return f"Counts evaluations of kind {kinds} with status {listed}; drafts are left out."
