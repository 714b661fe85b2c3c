"""Checking a call log a chunk of rows at a time, column by column.

The rules are in ``import_rows``' docstring; this is organised for speed: each column
of a chunk is converted in one tight loop and the per-row work is a dictionary lookup
or two. A row's reported problem is the first one in field order, as a row-wise check
would give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from zoneinfo import ZoneInfo

from qa_monitor.core.echo_text import shorten
from qa_monitor.core.text_keys import name_key
from qa_monitor.services.import_fields import TEXT_LIMITS
from qa_monitor.services.import_rows import (
    CHANNEL_WORDS,
    DIRECTION_WORDS,
    Cells,
    Lookups,
    RowError,
    fast_utc_text,
    length_problem,
)
from qa_monitor.services.import_values import (
    clean,
    parse_bool,
    parse_duration,
    parse_moment,
    parse_text,
)

CHUNK = 5000
Chunk = list[tuple[int, Sequence[object]]]
_TEXT_FIELDS = ("queue", "customer_ref", "contact_reason", "recording_path")


class InteractionColumns:
    """Interaction records from rows (see the module docstring)."""

    def __init__(
        self, cells: Cells, lookups: Lookups, zone: str, day_first: bool, *, text_only: bool
    ):
        self.cells = cells
        self.text_only = text_only  # every cell is a string (a CSV file)
        self._width = max(cells.index.values(), default=-1) + 1
        self._chunk: Chunk | None = None
        self._rows: list[Sequence[object]] = []
        self.lookups = lookups
        self.zone_name = zone
        self.zone = ZoneInfo(zone)
        self.day_first = day_first
        self.seen: dict[str, int] = {}
        self._keys: dict[str, str] = {}  # name -> name_key(name): logs repeat few names

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def parse_all(
        self, rows: Iterator[tuple[int, Sequence[object]]]
    ) -> Iterator[tuple[int, tuple | RowError]]:
        chunk: Chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                yield from self.parse_chunk(chunk)
                chunk = []
        if chunk:
            yield from self.parse_chunk(chunk)

    def _column(self, name: str, chunk: Chunk) -> list[object]:
        i = self.cells.index.get(name)
        if i is None:
            return [None] * len(chunk)
        if chunk is not self._chunk:
            self._chunk = chunk
            self._rows = _padded([row for _n, row in chunk], self._width, self.text_only)
        raw = list(map(itemgetter(i), self._rows))
        if not self.text_only:
            return [clean(v) for v in raw]
        # Every cell of a text file is a string; ASCII ones need only a strip.
        stripped = list(map(str.strip, raw))
        if all(map(str.isascii, stripped)):
            return [v or None for v in stripped]
        return [clean(v) for v in stripped]

    def _texts(self, name: str, chunk: Chunk, errors: dict[int, RowError]) -> list[str | None]:
        """The column's cells as text (None: blank); a cell longer than the field's limit
        (``TEXT_LIMITS``) refuses its row."""
        texts = [v if v.__class__ is str else parse_text(v) for v in self._column(name, chunk)]
        limit = TEXT_LIMITS.get(name)
        if limit is not None:
            for j, text in enumerate(texts):
                if text is not None and len(text) > limit:
                    problem = length_problem(name, text)
                    errors.setdefault(j, RowError(self.cells.header(name), str(problem)))
        return texts

    def _convert(
        self,
        name: str,
        values: list[object],
        convert: Callable[[object], object],
        errors: dict[int, RowError],
    ) -> list[object]:
        header = self.cells.header(name)
        out: list[object] = [None] * len(values)
        for j, value in enumerate(values):
            if value is None:
                continue
            try:
                out[j] = convert(value)
            except ValueError as exc:
                errors.setdefault(j, RowError(header, str(exc)))
        return out

    def _moment(self, value: object) -> datetime:
        if value.__class__ is str and len(value) >= 10 and value[4] == "-":
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone)
        return parse_moment(value, self.zone, self.day_first)

    def _with_time(self, moment: datetime, clock: object) -> datetime:
        if isinstance(clock, datetime):
            t = clock.time()
        elif hasattr(clock, "hour"):
            t = clock  # type: ignore[assignment]
        else:
            try:
                t = parse_moment(f"2000-01-01 {clock}", self.zone).time()
            except ValueError:
                raise ValueError(f"'{shorten(clock)}' is not a time") from None
        local = moment.astimezone(self.zone)
        return local.replace(hour=t.hour, minute=t.minute, second=t.second, microsecond=0)

    def parse_chunk(self, chunk: Chunk) -> Iterator[tuple[int, tuple | RowError]]:
        cells = self.cells
        errors: dict[int, RowError] = {}
        ids = self._texts("external_id", chunk, errors)
        for j, text in enumerate(ids):
            if text is None:
                errors.setdefault(
                    j, RowError(cells.header("external_id"), "the interaction id is empty")
                )
        starts = self._column("started_at", chunk)
        moments = self._convert("started_at", starts, self._moment, errors)
        for j, value in enumerate(starts):
            if value is None:
                errors.setdefault(
                    j, RowError(cells.header("started_at"), "the start date is empty")
                )
        if "start_time" in cells.index:
            for j, clock in enumerate(self._column("start_time", chunk)):
                if clock is not None and moments[j] is not None:
                    try:
                        moments[j] = self._with_time(moments[j], clock)  # type: ignore[arg-type]
                    except ValueError as exc:
                        errors.setdefault(j, RowError(cells.header("start_time"), str(exc)))
        agents = self._agents(chunk, errors)
        teams = self._teams(chunk, agents, errors)
        channels = self._words(
            "channel", chunk, CHANNEL_WORDS, "channel", "phone, chat, email or social", errors
        )
        directions = self._words(
            "direction", chunk, DIRECTION_WORDS, "direction", "inbound or outbound", errors
        )
        durations = self._convert("duration", self._column("duration", chunk), _seconds, errors)
        resolved = self._convert("resolved", self._column("resolved", chunk), parse_bool, errors)
        texts = [self._texts(name, chunk, errors) for name in _TEXT_FIELDS]
        zone, zone_name, seen = self.zone, self.zone_name, self.seen
        for j, (number, _row) in enumerate(chunk):
            error = errors.get(j)
            external_id = ids[j]
            if error is None and external_id in seen:
                error = RowError(
                    cells.header("external_id"),
                    f"interaction id '{shorten(external_id)}' is also on row {seen[external_id]}",
                )
            if error is not None:
                yield number, error
                continue
            assert external_id is not None
            seen[external_id] = number
            moment: datetime = moments[j]  # type: ignore[assignment]
            local = moment if moment.tzinfo is zone else moment.astimezone(zone)
            flag = resolved[j]
            yield (
                number,
                (
                    external_id,
                    fast_utc_text(moment),
                    local.date().isoformat(),
                    zone_name,
                    agents[j],
                    teams[j],
                    channels[j] or "phone",
                    directions[j] or "inbound",
                    durations[j],
                    texts[0][j],
                    texts[1][j],
                    texts[2][j],
                    texts[3][j],
                    None if flag is None else int(flag),  # type: ignore[call-overload]
                ),
            )

    def _agents(self, chunk: Chunk, errors: dict[int, RowError]) -> list[int | None]:
        by_id, by_name = self.lookups.agents_by_id, self.lookups.agents_by_name
        id_header = self.cells.header("agent_external_id")
        name_header = self.cells.header("agent_name")
        ids = self._texts("agent_external_id", chunk, errors)
        names = self._texts("agent_name", chunk, errors)
        found: list[int | None] = [None] * len(chunk)
        for j, (agent_id, name) in enumerate(zip(ids, names, strict=True)):
            agent = by_id.get(agent_id) if agent_id is not None else None
            if agent is None and name is not None:
                agent = by_name.get(self._key(name))
            if agent is not None:
                found[j] = agent.id
                continue
            if agent_id is None and name is None:
                errors.setdefault(j, RowError(id_header or name_header, "no agent given"))
            else:
                who = " / ".join(shorten(x) for x in (name, agent_id) if x)
                errors.setdefault(
                    j,
                    RowError(
                        id_header if agent_id else name_header,
                        f"agent '{who}' is not in the roster; import the roster first",
                    ),
                )
        return found

    def _teams(
        self, chunk: Chunk, agents: list[int | None], errors: dict[int, RowError]
    ) -> list[int | None]:
        team_of = {a.id: a.team_id for a in self.lookups.agents_by_name.values()}
        team_of.update({a.id: a.team_id for a in self.lookups.agents_by_id.values()})
        teams: list[int | None] = [team_of.get(a) if a is not None else None for a in agents]
        if "team" not in self.cells.index:
            return teams
        header = self.cells.header("team")
        by_name = self.lookups.teams_by_name
        for j, name in enumerate(self._texts("team", chunk, errors)):
            if name is None:
                continue
            team = by_name.get(self._key(name))
            if team is None:
                errors.setdefault(j, RowError(header, f"team '{shorten(name)}' does not exist"))
            else:
                teams[j] = team.id
        return teams

    def _words(
        self,
        name: str,
        chunk: Chunk,
        words: dict[str, str],
        what: str,
        choices: str,
        errors: dict[int, RowError],
    ) -> list[str | None]:
        header = self.cells.header(name)
        out: list[str | None] = []
        for j, value in enumerate(self._column(name, chunk)):
            if value is None:
                out.append(None)
                continue
            text = str(value)
            word = words.get(text.casefold()) or words.get(self._key(text))
            if word is None:
                errors.setdefault(
                    j, RowError(header, f"'{shorten(value)}' is not a {what} ({choices})")
                )
            out.append(word)
        return out


def _padded(rows: list[Sequence[object]], width: int, text: bool) -> list[Sequence[object]]:
    """Rows at least ``width`` cells long (short rows get blank cells)."""
    fill: object = "" if text else None
    return [row if len(row) >= width else [*row, *([fill] * (width - len(row)))] for row in rows]


def _seconds(value: object) -> float:
    if value.__class__ is str:
        try:
            seconds = float(value)
        except ValueError:
            return parse_duration(value)
        if seconds >= 0 and seconds == seconds and seconds != float("inf"):
            return seconds
    return parse_duration(value)
