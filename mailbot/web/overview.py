"""The overview a coordinator reads first: per office and material, how many units reported, and arrivals per day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from mailbot.ledger.status import Standing
from routing.model.campaign import Campaign

# Statuses grouped as the overview counts them (a unit's cell is in exactly one).
REPORTED = (Standing.VALID, Standing.OVERDUE_DONE, Standing.NEEDS_FIX)
VALID = (Standing.VALID, Standing.OVERDUE_DONE)
OWING = (Standing.MISSING, Standing.OVERDUE_MISSING)
BAR = (("valid", VALID, "合格"), ("fix", (Standing.NEEDS_FIX,), "待修改"), ("classified", (Standing.CLASSIFIED,), "待光盘"),
       ("owing", (Standing.MISSING,), "未报送"), ("overdue", (Standing.OVERDUE_MISSING,), "逾期未报"))


@dataclass(frozen=True)
class MaterialLine:
    """One material (of one office): the units owing it and how many stand where, with the bar's segments."""

    office: str
    kind: str
    label: str
    title: str
    total: int
    counts: Counter

    def count(self, standings) -> int:
        """Units whose cell is in one of ``standings``."""
        return sum(self.counts[s] for s in standings)

    @property
    def reported(self) -> int:
        """Units that sent a version (valid or not)."""
        return self.count(REPORTED)

    @property
    def valid(self) -> int:
        """Units whose counting version is valid."""
        return self.count(VALID)

    @property
    def fix(self) -> int:
        """Units whose counting version needs fixing."""
        return self.counts[Standing.NEEDS_FIX]

    @property
    def missing(self) -> int:
        """Units that sent nothing, before the deadline."""
        return self.counts[Standing.MISSING]

    @property
    def overdue(self) -> int:
        """Units that sent nothing by the deadline."""
        return self.counts[Standing.OVERDUE_MISSING]

    @property
    def classified(self) -> int:
        """Units whose 涉密 mail was refused, owing a CD."""
        return self.counts[Standing.CLASSIFIED]

    def segments(self, width: int = 300) -> list[tuple[str, str, int, int, int]]:
        """(css name, label, units, x, width) of each non-empty part of a ``width``-pixel bar."""
        parts, x = [], 0
        for name, standings, label in BAR:
            n = self.count(standings)
            if n:
                w = round(width * n / self.total) if self.total else 0
                parts.append((name, label, n, x, w))
                x += w
        return parts


def material_lines(campaign: Campaign, rows, office: str | None) -> list[MaterialLine]:
    """One line per (handling office, material) over the units shown, exempt units left out of the total."""
    tally: dict[tuple[str, str], Counter] = {}
    for row in rows:
        for cell in row.cells:
            if cell.standing is not Standing.EXEMPT:
                tally.setdefault((cell.handled_by, cell.kind), Counter())[cell.standing] += 1
    order = {kind: i for i, kind in enumerate(campaign.kinds)}
    keys = sorted(tally, key=lambda k: (list(campaign.offices).index(k[0]), order[k[1]]))
    return [MaterialLine(o, k, campaign.form(k).label, campaign.form(k).title, sum(tally[(o, k)].values()), tally[(o, k)]) for o, k in keys]


def units_reported(rows) -> tuple[int, int]:
    """(units that sent at least one of the returns shown, units shown)."""
    return sum(1 for r in rows if any(c.versions for c in r.cells)), len(rows)


def arrivals_by_day(messages, campaign: Campaign) -> list[tuple[dt.date, int]]:
    """Messages registered for a unit per local day, from the first arrival to the last (empty days included)."""
    days = Counter(m.received_at.astimezone(campaign.timezone).date() for m in messages if m.unit_id is not None)
    if not days:
        return []
    first, last = min(days), max(days)
    return [(first + dt.timedelta(days=i), days.get(first + dt.timedelta(days=i), 0)) for i in range((last - first).days + 1)]


def day_chart(arrivals: list[tuple[dt.date, int]], deadlines: list[tuple[str, dt.date]], height: int = 120, step: int = 26) -> dict:
    """Bars and deadline marks of the arrivals chart, as SVG coordinates (no script, no inline style: the CSP allows neither)."""
    if not arrivals:
        return {}
    start = min([arrivals[0][0], *(d for _l, d in deadlines)])
    end = max([arrivals[-1][0], *(d for _l, d in deadlines)])
    span = (end - start).days + 1
    top = max(n for _d, n in arrivals) or 1
    bars = [{"x": (day - start).days * step + 2, "h": round((height - 20) * n / top), "n": n, "day": day} for day, n in arrivals if n]
    for bar in bars:
        bar["y"] = height - bar["h"]
    width = span * step + 4
    marks = []
    for row, (label, day) in enumerate(sorted(deadlines, key=lambda d: d[1])):
        x = (day - start).days * step + step // 2
        # Labels on their own lines, written leftward from a mark in the right half, so none runs off or over another.
        marks.append({"x": x, "label": label, "day": day, "y": height + 14 + 13 * row, "anchor": "end" if x > width / 2 else "start"})
    return {"width": width, "height": height, "bars": bars, "marks": marks, "start": start, "end": end, "bar_width": step - 4,
            "bottom": height + 14 + 13 * len(marks)}
