"""What the parsers read a file against: the form spec (columns, rules), the metrics, and the FormBook a campaign offers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class FormBook(Protocol):
    """What the parsers need of a campaign (routing's Campaign satisfies it): its forms, tick marks, offices, metrics."""

    forms: tuple[FormSpec, ...]
    ticks: tuple[str, ...]
    offices: Mapping[str, Any]
    metrics: tuple[Metric, ...]
    classified: Mapping[str, Any]

    def form(self, kind: str) -> FormSpec:
        """The form spec of a return kind."""


@dataclass(frozen=True)
class Column:
    """A column of a form as printed, with its header group for two-row headers."""

    name: str
    group: str | None = None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # a drop-down list: written into blank templates, checked on return


@dataclass(frozen=True)
class Metric:
    """One [[metrics]] entry: a number counted on each return of one form (parsers.forms.metrics computes it)."""

    key: str  # stable: stored with each submission and summed in the reports
    label: str
    form: str  # the kind of return it counts on
    kind: str  # count, count-items or sum-duration (parsers.forms.metrics.METRIC_KINDS)
    column: str = ""  # count-items, sum-duration: the column read
    minuend: str = ""  # the columns whose difference stands in when ``column`` is empty
    subtrahend: str = ""
    unit: str | None = None  # sum-duration: only days in this unit (natural, working)
    where: Mapping[str, Any] | None = None  # count: only rows this condition holds for (parsers.forms.rules.conditions)


@dataclass(frozen=True)
class FormSpec:
    """One return the campaign asks for: how to recognise it, read it and check it."""

    kind: str
    label: str
    title: str
    deadline: str
    layout: str
    columns: tuple[Column, ...] = ()
    rules: tuple[Mapping[str, Any], ...] = ()
    fields: tuple[Mapping[str, Any], ...] = ()
    keywords: tuple[str, ...] = ()
    unit_label: str = ""
    date_label: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        """The column printed as ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def groups(self) -> tuple[str, ...]:
        """The upper header cells of a two-row header, in order."""
        seen: list[str] = []
        for col in self.columns:
            if col.group and col.group not in seen:
                seen.append(col.group)
        return tuple(seen)
