"""Pure tests of working days and the reminder schedule across the 2023 New Year and Spring Festival."""

import datetime as dt

import pytest

from mailbot.config import load_campaign
from routing.errors import CampaignError
from routing.model.schedule import Phase, all_slots, digest_day, due_slots, next_digest, next_slot, policy_from_config
from routing.model.workdays import is_working_day, next_working_day, shift_working_days, working_days

D = dt.date


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


def at(campaign, *args):
    return dt.datetime(*args, tzinfo=campaign.timezone)


def policy(campaign, **deadlines):
    return policy_from_config({"send_window": ["08:30", "17:30"], "grace_hours": 4, "deadlines": deadlines}, campaign)


def test_new_year_holiday_and_adjusted_working_days():
    assert [is_working_day(D(2022, 12, d)) for d in (30, 31)] == [True, False]
    assert not is_working_day(D(2023, 1, 2))  # Monday, but New Year's Day observed
    assert is_working_day(D(2023, 1, 28)) and is_working_day(D(2023, 1, 29))  # 调休: Saturday and Sunday worked
    assert next_working_day(D(2022, 12, 30)) == D(2023, 1, 3)
    assert shift_working_days(D(2023, 1, 4), -3) == D(2022, 12, 29)
    assert len(working_days(D(2022, 12, 26), D(2023, 1, 20))) == 5 + 4 + 5 + 5


def test_shipped_schedule_falls_on_working_days(campaign):
    slots = all_slots(policy_from_config(campaign.reminders_table, campaign), campaign)
    plan = [(s.key, f"{s.fire_at:%H:%M}", s.phase) for s in slots if s.deadline == "plan"]
    assert plan == [
        ("2022-12-29", "09:00", Phase.BEFORE), ("2023-01-04", "09:00", Phase.ON_DAY),
        ("2023-01-05", "09:30", Phase.AFTER), ("2023-01-06", "09:30", Phase.AFTER), ("2023-01-09", "09:30", Phase.AFTER),
        ("2023-01-10", "09:30", Phase.AFTER), ("2023-01-11", "09:30", Phase.AFTER),
    ]
    lists = [s.key for s in slots if s.deadline == "lists"]
    # After the 18th: 19th, 20th, then the Spring Festival, then the worked weekend 28th/29th.
    assert lists == ["2023-01-13", "2023-01-17", "2023-01-18", "2023-01-19", "2023-01-20", "2023-01-28", "2023-01-29", "2023-01-30"]
    assert all(is_working_day(s.fire_at.date()) for s in slots)


def test_before_slot_skips_the_holiday(campaign):
    p = policy(campaign, plan={"before": [{"working_days": 1, "at": "10:00"}, {"working_days": 2, "at": "10:00"}]})
    assert [s.key for s in all_slots(p, campaign)] == ["2022-12-30", "2023-01-03"]


def test_deadline_on_a_holiday_moves_on_day_to_the_last_working_day(campaign):
    moved = campaign.__class__(**{**campaign.__dict__, "deadlines": {**campaign.deadlines, "plan": campaign.deadlines["plan"].__class__("plan", "x", D(2023, 1, 1))}})
    p = policy(moved, plan={"on_day": "09:00", "before": [{"working_days": 1, "at": "11:00"}]})
    slots = all_slots(p, moved)
    assert [(s.key, s.phase) for s in slots] == [("2022-12-30", Phase.ON_DAY)]  # one a day: the earlier one stays


def test_due_slot_coalesces_missed_slots_and_respects_grace(campaign):
    p = policy(campaign, plan={"on_day": "09:00", "after": {"at": "09:30", "max": 5}})
    assert due_slots(p, campaign, at(campaign, 2023, 1, 4, 8, 59)) == []
    assert [s.key for s in due_slots(p, campaign, at(campaign, 2023, 1, 4, 9, 0))] == ["2023-01-04"]
    # Down from the 4th to the 9th at 10:00: only the 9th's slot, never the 5th's and 6th's.
    assert [s.key for s in due_slots(p, campaign, at(campaign, 2023, 1, 9, 10, 0))] == ["2023-01-09"]
    assert due_slots(p, campaign, at(campaign, 2023, 1, 9, 13, 31)) == []  # past the 4-hour grace
    assert due_slots(p, campaign, at(campaign, 2023, 1, 7, 10, 0)) == []  # a Saturday: the 6th's slot is stale


def test_quiet_hours(campaign):
    p = policy(campaign, plan={"on_day": "09:00"})
    assert due_slots(p, campaign, at(campaign, 2023, 1, 4, 8, 0)) == []
    with pytest.raises(CampaignError, match="不在发送时段"):
        policy(campaign, plan={"on_day": "22:00"})
    with pytest.raises(CampaignError, match="不存在的截止时间"):
        policy(campaign, nope={"on_day": "09:00"})


def test_next_slot_and_digest(campaign):
    p = policy_from_config(campaign.reminders_table, campaign)
    assert next_slot(p, campaign, at(campaign, 2022, 12, 30, 0, 0)).key == "2023-01-04"
    assert next_digest(p, at(campaign, 2022, 12, 30, 17, 0), campaign.timezone) == at(campaign, 2023, 1, 3, 16, 30)
    assert digest_day(p, at(campaign, 2023, 1, 1, 17, 0), campaign.timezone) is None
    assert digest_day(p, at(campaign, 2023, 1, 3, 16, 31), campaign.timezone) == D(2023, 1, 3)
