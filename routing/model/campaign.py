"""The campaign as typed values, built from the parsed campaign file (no I/O here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from parsers.forms.spec import FormSpec, Metric
from routing.errors import CampaignError
from routing.model.campaign_texts import CampaignTexts


@dataclass(frozen=True)
class Office:
    """One receiving office and its inboxes."""

    key: str
    name: str
    short: str
    inboxes: tuple[str, ...]
    contact: str = ""
    phone: str = ""
    paper_address: str = ""
    full_name: str = ""

    @property
    def address(self) -> str:
        """The address departments should use (the first inbox)."""
        return self.inboxes[0]


@dataclass(frozen=True)
class Deadline:
    """A due date; returns are due at the end of that day."""

    key: str
    label: str
    date: dt.date
    source: str = ""

    def end(self, tz: ZoneInfo) -> dt.datetime:
        """The last instant of the due day in the campaign's time zone."""
        return dt.datetime.combine(self.date + dt.timedelta(days=1), dt.time(0), tz)


@dataclass(frozen=True)
class Campaign:
    """Everything a notice says, as data."""

    id: str
    name: str
    notice: str
    title: str
    timezone: ZoneInfo
    offices: Mapping[str, Office]
    routing: Mapping[str, Mapping[str, str]]
    deadlines: Mapping[str, Deadline]
    forms: tuple[FormSpec, ...]
    receipt_format: str = "{office_short}〔{year}〕收字第{seq:04d}号"
    classified_rule: str = ""
    ticks: tuple[str, ...] = ("√",)
    classified: Mapping[str, Any] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()  # [[metrics]], checked and typed at load
    # The [reminders] table as written: mailbot.worker_config.load_policy lays the site's [reminders] over it key by key
    # and only then builds the ReminderPolicy (routing.model.schedule.policy_from_config), blaming the right file.
    reminders_table: Mapping[str, Any] = field(default_factory=dict)
    texts: CampaignTexts = field(default_factory=CampaignTexts)

    def form(self, kind: str) -> FormSpec:
        """The form spec for a return kind."""
        for spec in self.forms:
            if spec.kind == kind:
                return spec
        raise KeyError(kind)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every return kind, in the notice's order."""
        return tuple(spec.kind for spec in self.forms)

    @property
    def categories(self) -> tuple[str, ...]:
        """The unit categories the routing table knows (e.g. 党群, 政府); ("",) when the notice has none."""
        return tuple(self.routing)

    def office_for_inbox(self, address: str) -> Office | None:
        """The office that owns an inbox address (aliases included), case-insensitively."""
        address = address.strip().lower()
        for office in self.offices.values():
            if address in (a.lower() for a in office.inboxes):
                return office
        return None

    def handler(self, category: str, kind: str) -> Office:
        """The office that handles ``kind`` returns from units of ``category``."""
        try:
            return self.offices[self.routing[category][kind]]
        except KeyError as exc:
            raise CampaignError(f"路由表中没有“{category}”类单位的“{kind}”报送去向") from exc

    def deadline_for(self, kind: str) -> Deadline:
        """The deadline of a return kind."""
        return self.deadlines[self.form(kind).deadline]

    def kinds_for(self, category: str, office_key: str | None = None) -> tuple[str, ...]:
        """Return kinds required of a unit category, optionally only those one office handles."""
        table = self.routing.get(category, {})
        return tuple(k for k in self.kinds if k in table and (office_key is None or table[k] == office_key))

    def receipt_number(self, office: Office, year: int, seq: int) -> str:
        """Render a receipt number such as 编办〔2023〕收字第0042号."""
        return self.receipt_format.format(office_short=office.short, office=office.name, year=year, seq=seq)
