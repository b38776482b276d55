"""The reminder schedule: which slots a deadline has, when they fire, and which one is due now (pure)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from routing.errors import CampaignError
from routing.model.campaign import Campaign, Deadline
from routing.model.workdays import is_working_day, next_working_day, previous_working_day, shift_working_days


class Phase(str, enum.Enum):
    """Where a slot stands relative to its deadline."""

    BEFORE = "before"
    ON_DAY = "on_day"
    AFTER = "after"


@dataclass(frozen=True)
class Before:
    """A reminder ``working_days`` working days before the due day, at ``at``."""

    working_days: int
    at: dt.time


@dataclass(frozen=True)
class After:
    """Reminders after the due day: every ``every`` working days at ``at``, at most ``max`` times."""

    at: dt.time
    max: int
    every: int = 1


@dataclass(frozen=True)
class DeadlinePlan:
    """The reminder slots configured for one deadline."""

    deadline: str
    before: tuple[Before, ...] = ()
    on_day: dt.time | None = None
    after: After | None = None


@dataclass(frozen=True)
class ReminderPolicy:
    """Everything [reminders] says: plans per deadline, the send window, the grace for missed slots, the digest."""

    plans: tuple[DeadlinePlan, ...] = ()
    window: tuple[dt.time, dt.time] = (dt.time(8, 30), dt.time(17, 30))
    grace: dt.timedelta = dt.timedelta(hours=8)
    digest_at: dt.time = dt.time(17, 0)
    inbox_alert_after: dt.timedelta = dt.timedelta(minutes=30)
    intake_every: int = 90
    outbox_every: int = 30
    reminders_every: int = 60

    def plan(self, deadline: str) -> DeadlinePlan | None:
        """The plan of one deadline, if reminders are configured for it."""
        return next((p for p in self.plans if p.deadline == deadline), None)

    def in_window(self, moment: dt.datetime) -> bool:
        """Whether a (local) moment is inside the send window, i.e. outside quiet hours."""
        return self.window[0] <= moment.time() <= self.window[1]


@dataclass(frozen=True)
class Slot:
    """One reminder occasion of a deadline; ``key`` is its local date, so a unit hears at most once a day per deadline."""

    deadline: str
    key: str
    fire_at: dt.datetime
    phase: Phase
    label: str


def slots_for(plan: DeadlinePlan, deadline: Deadline, tz: ZoneInfo) -> list[Slot]:
    """Every slot of a deadline in time order; two falling on one day keep the earlier."""
    due = deadline.date
    found = [_slot(deadline.key, shift_working_days(due, -b.working_days), b.at, tz, Phase.BEFORE, f"截止前{b.working_days}个工作日")
             for b in plan.before if b.working_days > 0]
    if plan.on_day is not None:
        found.append(_slot(deadline.key, previous_working_day(due, include=True), plan.on_day, tz, Phase.ON_DAY, "截止当日" if is_working_day(due) else "截止前最后一个工作日"))
    if plan.after is not None:
        found += _after_slots(deadline, plan.after, tz)
    by_day: dict[str, Slot] = {}
    for slot in sorted(found, key=lambda s: s.fire_at):
        by_day.setdefault(slot.key, slot)
    return list(by_day.values())


def _after_slots(deadline: Deadline, after: After, tz: ZoneInfo) -> list[Slot]:
    slots, day = [], next_working_day(deadline.date)
    for n in range(1, after.max + 1):
        slots.append(_slot(deadline.key, day, after.at, tz, Phase.AFTER, f"逾期第{n}次催报"))
        day = shift_working_days(day, after.every)
    return slots


def _slot(deadline: str, day: dt.date, at: dt.time, tz: ZoneInfo, phase: Phase, label: str) -> Slot:
    return Slot(deadline, day.isoformat(), dt.datetime.combine(day, at, tz), phase, label)


def all_slots(policy: ReminderPolicy, campaign: Campaign) -> list[Slot]:
    """Every slot of every configured deadline, in time order."""
    slots = [s for p in policy.plans if p.deadline in campaign.deadlines for s in slots_for(p, campaign.deadlines[p.deadline], campaign.timezone)]
    return sorted(slots, key=lambda s: (s.fire_at, s.deadline))


def due_slots(policy: ReminderPolicy, campaign: Campaign, now: dt.datetime) -> list[Slot]:
    """Per deadline, the latest slot already fired, if it is still fresh: missed older slots are never sent."""
    now = now.astimezone(campaign.timezone)
    if not policy.in_window(now):
        return []
    latest: dict[str, Slot] = {}
    for slot in all_slots(policy, campaign):
        if slot.fire_at <= now:
            latest[slot.deadline] = slot
    return [s for s in latest.values() if s.fire_at.date() == now.date() and now - s.fire_at <= policy.grace]


def next_slot(policy: ReminderPolicy, campaign: Campaign, at: dt.datetime) -> Slot | None:
    """The first slot firing at or after ``at``."""
    return next((s for s in all_slots(policy, campaign) if s.fire_at >= at), None)


def digest_day(policy: ReminderPolicy, now: dt.datetime, tz: ZoneInfo) -> dt.date | None:
    """Today, when it is a working day and the digest hour has passed; else None."""
    local = now.astimezone(tz)
    return local.date() if is_working_day(local.date()) and local.time() >= policy.digest_at else None


def next_digest(policy: ReminderPolicy, after: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """When the next daily digest is due, at or after ``after``."""
    local = after.astimezone(tz)
    day = next_working_day(local.date(), include=True)
    if day == local.date() and local.time() > policy.digest_at:
        day = next_working_day(day)
    return dt.datetime.combine(day, policy.digest_at, tz)


# The keys each table of [reminders] may hold: a typo (working_day) is named, never a crash or silently ignored.
TOP_KEYS = ("send_window", "grace_hours", "digest_at", "inbox_alert_after_minutes", "intake_every_seconds",
            "outbox_every_seconds", "reminders_every_seconds", "deadlines")
PLAN_KEYS = ("before", "on_day", "after")
BEFORE_KEYS = ("working_days", "at")
AFTER_KEYS = ("every_working_days", "at", "max")


def policy_from_config(raw: Mapping[str, Any] | None, campaign: Campaign) -> ReminderPolicy:
    """Read a [reminders] table; raise CampaignError in Chinese, naming the key, on a bad value."""
    raw = _table(raw or {}, "[reminders]", TOP_KEYS)
    window = tuple(_time(v, "send_window") for v in _list(raw.get("send_window", ("08:30", "17:30")), "[reminders] send_window"))
    if len(window) != 2 or window[0] >= window[1]:
        raise CampaignError("[reminders] send_window 应写作 [\"08:30\", \"17:30\"]，且开始早于结束")
    deadlines = _table(raw.get("deadlines", {}), "[reminders.deadlines]")
    plans = tuple(_plan(key, table, campaign) for key, table in deadlines.items())
    policy = ReminderPolicy(
        plans=plans, window=window, grace=dt.timedelta(hours=_number(raw, "grace_hours", 8, "[reminders]")),
        digest_at=_time(raw.get("digest_at", "17:00"), "digest_at"),
        inbox_alert_after=dt.timedelta(minutes=_number(raw, "inbox_alert_after_minutes", 30, "[reminders]")),
        intake_every=int(_number(raw, "intake_every_seconds", 90, "[reminders]")),
        outbox_every=int(_number(raw, "outbox_every_seconds", 30, "[reminders]")),
        reminders_every=int(_number(raw, "reminders_every_seconds", 60, "[reminders]")),
    )
    _check_window(policy)
    return policy


def merge_reminders(base: Mapping[str, Any] | None, override: Mapping[str, Any] | None) -> dict[str, Any]:
    """The campaign's [reminders] with a site's [reminders] over it: each key, and each deadline's plan, replaced whole."""
    merged = dict(base or {})
    override = dict(override or {})
    deadlines = {**dict(merged.get("deadlines") or {}), **dict(override.pop("deadlines", None) or {})}
    merged.update(override)
    if deadlines:
        merged["deadlines"] = deadlines
    return merged


def _plan(key: str, table: Any, campaign: Campaign) -> DeadlinePlan:
    where = f"[reminders.deadlines.{key}]"
    if key not in campaign.deadlines:
        raise CampaignError(f"{where} 引用了不存在的截止时间“{key}”（可用：{'、'.join(campaign.deadlines)}）")
    table = _table(table, where, PLAN_KEYS)
    before = tuple(_before(b, f"{where} before 第 {n} 项", key) for n, b in enumerate(_list(table.get("before", ()), f"{where} before"), 1))
    on_day = _time(table["on_day"], f"{key}.on_day") if table.get("on_day") else None
    after = table.get("after")
    if after:
        after = _table(after, f"{where} after", AFTER_KEYS)
        every = int(_number(after, "every_working_days", 1, f"{where} after"))
        after = After(at=_time(after.get("at", "09:30"), f"{key}.after"), max=int(_number(after, "max", 5, f"{where} after")), every=max(every, 1))
    return DeadlinePlan(deadline=key, before=before, on_day=on_day, after=after or None)


def _before(table: Any, where: str, key: str) -> Before:
    table = _table(table, where, BEFORE_KEYS)
    if "working_days" not in table:
        raise CampaignError(f"{where} 缺少 working_days（截止前第几个工作日）")
    return Before(int(_number(table, "working_days", 0, where)), _time(table.get("at", "09:00"), f"{key}.before"))


def _table(value: Any, where: str, keys: tuple[str, ...] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CampaignError(f"{where} 应为一个表（形如 key = 值），而不是“{value}”")
    unknown = [k for k in value if keys is not None and k not in keys]
    if unknown:
        raise CampaignError(f"{where} 中的“{unknown[0]}”无法识别（可用的项：{'、'.join(keys)}）")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise CampaignError(f"{where} 应为一个列表（用方括号 [ ] 括起），而不是“{value}”")
    return list(value)


def _number(table: Mapping[str, Any], key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CampaignError(f"{where} {key} 应为数字，而不是“{value}”")
    return float(value)


def _check_window(policy: ReminderPolicy) -> None:
    # Quiet hours are outside the window: a slot configured there could never be sent.
    for plan in policy.plans:
        times = [b.at for b in plan.before] + [t for t in (plan.on_day, plan.after.at if plan.after else None) if t]
        for at in times:
            if not policy.window[0] <= at <= policy.window[1]:
                raise CampaignError(f"截止时间“{plan.deadline}”的催报时间 {at:%H:%M} 不在发送时段 {policy.window[0]:%H:%M}–{policy.window[1]:%H:%M} 内")


def _time(value: Any, where: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise CampaignError(f"[reminders] {where} 的时间“{value}”应写作 09:00") from exc
