"""Time-ordered identities and a hybrid logical clock for team sync.

Every record that travels between installations carries a UUIDv7 (RFC 9562): 48 bits
of Unix milliseconds, then random bits, so new ids sort by creation time and index
well. Python 3.11's ``uuid`` module has no v7, hence this small generator.

The hybrid logical clock (Kulkarni et al., 2014) orders changes across machines whose
wall clocks disagree. A timestamp is one integer: ``physical_ms << 16 | counter``.
Rules: a local event takes ``max(wall, last + 1)``; receiving a remote timestamp
moves ``last`` to ``max(last, remote)``, so any change made after seeing another
sorts after it. Ties between sites break on the site id, so every machine picks the
same winner.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

COUNTER_BITS = 16
_COUNTER_MASK = (1 << COUNTER_BITS) - 1


def uuid7(ms: int | None = None, rand: bytes | None = None) -> str:
    """A UUIDv7 string: time-ordered by the millisecond, random within it."""
    ms = int(time.time() * 1000) if ms is None else ms
    rand = os.urandom(10) if rand is None else rand
    rand_a = int.from_bytes(rand[:2], "big") & 0x0FFF
    rand_b = int.from_bytes(rand[2:10], "big") & ((1 << 62) - 1)
    # 48 bits ms | 4 bits version (7) | 12 bits rand_a | 2 bits variant (10) | 62 bits rand_b
    value = ((ms & ((1 << 48) - 1)) << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def uuid7_ms(text: str) -> int:
    """The creation time (Unix ms) inside a UUIDv7."""
    return uuid.UUID(text).int >> 80


def hlc_pack(physical_ms: int, counter: int) -> int:
    return (physical_ms << COUNTER_BITS) | (counter & _COUNTER_MASK)


def hlc_physical_ms(stamp: int) -> int:
    return stamp >> COUNTER_BITS


@dataclass
class HybridClock:
    """A hybrid logical clock; ``last`` is the newest timestamp issued or seen."""

    last: int = 0
    wall_ms: Callable[[], int] = lambda: int(time.time() * 1000)

    def now(self) -> int:
        """A timestamp for a local event, later than every one issued or seen."""
        self.last = max(hlc_pack(self.wall_ms(), 0), self.last + 1)
        return self.last

    def observe(self, remote: int) -> None:
        """Remember a remote timestamp so later local events sort after it."""
        self.last = max(self.last, remote)
