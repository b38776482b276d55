"""How many reminder mails each slot of the shipped schedule sends, one per unit, against one per unit and office.

Run from a checkout: `python bench/reminder_mails.py`. The shipped campaign and roster on a fresh SQLite ledger
with nothing received: the worst case, every unit owing everything. "per office" is what one mail per handling
office (the code before issue 19) would have queued at the same slot.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.app import App  # noqa: E402
from mailbot.clock import chinese_datetime  # noqa: E402
from mailbot.schedule.reminders import plan_slot  # noqa: E402
from mailbot.worker_config import load_policy  # noqa: E402
from routing.model.schedule import all_slots  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = App(db=f"sqlite:///{tmp}/ledger.db")
        campaign = app.campaign
        print("| 时点 | 截止事项 | 催报邮件（每单位一封） | 按办公室分发时的封数 | 同时收到两封的单位 |")
        print("|---|---|---|---|---|")
        for slot in all_slots(load_policy(campaign), campaign):
            with app.ledger.session() as session:
                plan = plan_slot(session, campaign, slot, slot.fire_at, check_inboxes=False)
            per_office = sum(len(r.by_office()) for r in plan.reminders)
            both = sum(len(r.by_office()) > 1 for r in plan.reminders)
            print(f"| {chinese_datetime(slot.fire_at, campaign.timezone)} | {campaign.deadlines[slot.deadline].label} | {len(plan.reminders)} | {per_office} | {both} |")
        app.ledger.dispose()


if __name__ == "__main__":
    main()
