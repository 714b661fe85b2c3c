"""The people of the demo centre: names, teams, agents' skill over time, reviewers' strictness.

Names mix Persian, Arabic, Russian and English given names (our first users read
Persian, Arabic and Russian); a few are written in their own script to exercise
right-to-left text and Unicode in every screen and export.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

TEAM_NAMES: tuple[str, ...] = ("Retention", "Customer Care", "Digital Support")

AGENT_NAMES: tuple[str, ...] = (
    # Retention
    "Sara Ahmadi",
    "Dmitri Volkov",
    "Layla Haddad",
    "James Carter",
    "Reza Hosseini",
    "مریم رضایی",
    "Natalia Ivanova",
    "Karim Mansour",
    "Emily Walsh",
    "Farhad Jafari",
    # Customer Care
    "Niloufar Sadeghi",
    "Omar Nasser",
    "Sergei Morozov",
    "Hannah Brooks",
    "Omid Tavakoli",
    "يوسف خليل",
    "Olga Sokolova",
    "Daniel Hughes",
    "Shirin Kazemi",
    "Rania Saleh",
    # Digital Support
    "Arash Mohammadi",
    "Анна Смирнова",
    "Lucy Bennett",
    "Hassan Al-Amin",
    "Parisa Ghasemi",
    "Ivan Petrov",
    "Nour Barakat",
    "Thomas Reid",
    "علی کریمی",
    "Yekaterina Orlova",
)

# (name, strictness, is_expert): strictness multiplies the miss rate a reviewer marks.
REVIEWERS: tuple[tuple[str, float, bool], ...] = (
    ("Nasrin Tehrani", 1.0, True),
    ("Omar Farouk", 0.85, False),
    ("Elena Petrova", 1.25, False),
    ("Michael Grant", 0.75, False),
    ("Zahra Moradi", 1.12, False),
)

_FIRST = (
    "Sara", "Dmitri", "Layla", "James", "Reza", "Maryam", "Natalia", "Karim", "Emily", "Farhad",
    "Niloufar", "Omar", "Sergei", "Hannah", "Amir", "Yousef", "Olga", "Daniel", "Shirin", "Rania",
    "Arash", "Anna", "Lucy", "Hassan", "Parisa", "Ivan", "Nour", "Thomas", "Ali", "Yekaterina",
    "Mina", "Pavel", "Fatima", "George", "Kian", "Salma", "Alexei", "Grace", "Dariush", "Hiba",
)  # fmt: skip
_LAST = (
    "Ahmadi", "Volkov", "Haddad", "Carter", "Hosseini", "Rezaei", "Ivanova", "Mansour", "Walsh",
    "Jafari", "Sadeghi", "Nasser", "Morozov", "Brooks", "Tavakoli", "Khalil", "Sokolova",
    "Hughes", "Kazemi", "Saleh", "Mohammadi", "Smirnova", "Bennett", "Al-Amin", "Ghasemi",
    "Petrov", "Barakat", "Reid", "Karimi", "Orlova", "Rahimi", "Lebedev", "Aziz", "Foster",
    "Najafi", "Darwish", "Kuznetsov", "Turner", "Amini", "Youssef",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SkillCurve:
    """An agent's expected score / 100 over the period: ``start`` at t=0, ``end`` at t=1,
    plus a slow personal wobble so flat agents are not perfectly flat."""

    start: float
    end: float
    wobble: float = 0.02
    phase: float = 0.0

    def at(self, t: float) -> float:
        """Skill at ``t`` in [0, 1] (0 = start of the period, 1 = its end)."""
        base = self.start + (self.end - self.start) * t
        return base + self.wobble * math.sin(2 * math.pi * (t * 1.5 + self.phase))


def skill_curves(
    count: int, rng: random.Random, *, improving: int, declining: int
) -> list[SkillCurve]:
    """One curve per agent: flat skills 0.70-0.95, except the agent at index ``improving``
    (about 65 -> 92 over the period) and the one at ``declining`` (about 90 -> 68)."""
    curves = []
    for i in range(count):
        if i == improving:
            curves.append(SkillCurve(0.62, 0.92, 0.0))
        elif i == declining:
            curves.append(SkillCurve(0.93, 0.58, 0.0))
        else:
            level = rng.uniform(0.70, 0.95)
            curves.append(SkillCurve(level, level, rng.uniform(0.0, 0.015), rng.random()))
    return curves


def generated_names(count: int, rng: random.Random) -> Iterator[str]:
    """``count`` distinct full names for large generated centres (the scale benchmark)."""
    pairs = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(pairs)
    produced = 0
    round_ = 1
    while produced < count:
        for name in pairs:
            if produced >= count:
                return
            yield name if round_ == 1 else f"{name} {round_}"
            produced += 1
        round_ += 1
