"""Run an invented campaign end to end on a fresh ledger and keep everything a person would read from it.

Used by tests/mailbot/test_other_campaigns.py: mails from the campaign's own roster (correct, faulty and late, a stranger, a
涉密 marking, a legacy .doc, a mail with no form, a duplicate), receipts, the reminders of a slot, the daily digest, an
inbox alert, the exports, the blank templates, the ledger workbook and every `--help`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from mailbot.app import App
from mailbot.cli.main import build_parser, main
from mailbot.demo.generic_inbox import generic_inbox
from mailbot.demo.inbox import OLE_DOC, XLSX, _mail
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow, UnitRow
from mailbot.ledger.units import load_roster
from mailbot.reports.exports import export_files
from mailbot.schedule.digest import queue_digests
from mailbot.schedule.health import check_inboxes, mark_failure
from mailbot.schedule.reminders_send import queue_due
from mailbot.worker_config import coordinators, load_policy
from routing.model.schedule import next_slot


@dataclass
class World:
    """What one campaign produced, by what a person would read."""

    app: App
    verdicts: list[tuple[str, dict]] = field(default_factory=list)
    mails: list[OutboxRow] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)  # file name → every cell's text
    templates: dict[str, str] = field(default_factory=dict)  # file name → every cell's / paragraph's text
    printed: dict[str, str] = field(default_factory=dict)  # command line → what it printed
    reminded: list[str] = field(default_factory=list)

    def texts(self) -> dict[str, str]:
        """Every text by where it came from."""
        found = {f"mail {m.kind} → {m.to_addr}": f"{m.subject}\n{m.body}" for m in self.mails}
        return {**found, **{f"export {k}": v for k, v in self.exports.items()}, **{f"template {k}": v for k, v in self.templates.items()},
                **{f"printed {k}": v for k, v in self.printed.items()}}


def run_campaign(folder: Path, db_url: str, tmp: Path) -> World:
    """The whole job of one campaign, after its last deadline (the clock fixed)."""
    app = App(db=db_url, campaign_file=str(folder))
    campaign = app.campaign
    after = max(d.date for d in campaign.deadlines.values()) + dt.timedelta(days=3)
    world = World(app)
    with time_machine.travel(dt.datetime.combine(after, dt.time(8, 0), campaign.timezone), tick=False):
        with app.ledger.session() as s:
            units = list(load_roster(s))
        for sample in [*generic_inbox(campaign, units), *extra_mails(app, units)]:
            pipeline = app.pipeline()
            pipeline.now = lambda moment=sample.received_at: moment + dt.timedelta(minutes=1)
            world.verdicts.append((sample.title, pipeline.process(delivery_from_bytes(sample.raw, sample.mailbox, received_at=sample.received_at))))
        policy = load_policy(campaign)
        first = min(d.date for d in campaign.deadlines.values())
        slot = next_slot(policy, campaign, dt.datetime.combine(first, dt.time(0), campaign.timezone))
        world.reminded = [r.unit_name for result in queue_due(app.ledger, campaign, policy, slot.fire_at) for r in result.queued]
        digest_at = dt.datetime.combine(after, policy.digest_at, campaign.timezone)
        queue_digests(app.ledger, campaign, policy, digest_at, coordinators(campaign, None))
        inbox = next(iter(campaign.offices.values())).address
        with app.ledger.transaction() as s:
            mark_failure(s, inbox, "INBOX", digest_at - dt.timedelta(hours=3), "连接超时")
        check_inboxes(app.ledger, campaign, policy, digest_at, coordinators(campaign, None))
        with app.ledger.session() as s:
            world.mails = list(s.scalars(select(OutboxRow).order_by(OutboxRow.id)))
            world.exports = {name: xlsx_text(data) for name, data in export_files(s, campaign, digest_at).items()}
        world.templates = write_templates(folder, tmp / "templates")
        world.printed = printed(folder, db_url, tmp)
        world.printed.update(dashboard(app, digest_at))
    return world


def extra_mails(app: App, units) -> list:
    """A legacy .doc, a mail with no form, and the first unit's first mail sent twice."""
    campaign = app.campaign
    unit = next(u for u in units if u.emails and campaign.kinds_for(u.category))
    office = campaign.handler(unit.category, campaign.kinds_for(unit.category)[0])
    when = dt.datetime.combine(campaign.deadline_for(campaign.kinds[0]).date, dt.time(11, 0), campaign.timezone)
    from mailbot.demo.inbox import Sample

    doc = _mail(unit.emails[0], office.address, "材料", when, "请查收。", [("材料.doc", OLE_DOC, "application/msword")])
    empty = _mail(unit.emails[0], office.address, "你好", when, "请问报送材料用什么格式？", [])
    table = next(s for s in campaign.forms if s.layout == "table")
    from mailbot.demo.forms import form_xlsx
    from mailbot.demo.generic_inbox import sample_row

    files = [("表.xlsx", form_xlsx(table, unit.name, [sample_row(table, 0)]), XLSX)]
    later = when + dt.timedelta(minutes=5)  # sent again: another Date, the same Message-ID
    once, twice = (_mail(unit.emails[0], office.address, table.title, t, "请查收。", files, message_id="<twice@example.test>") for t in (when, later))
    stray = _mail(unit.emails[0], office.address, "表格", when, "请查收。", [("其他.xlsx", unrelated_xlsx(), XLSX)])
    return [Sample("无关的表格", office.address, when, stray), Sample("旧版 .doc", office.address, when, doc), Sample("没有附件的询问", office.address, when, empty),
            Sample("同一封邮件", office.address, when, once), Sample("同一封邮件（重复）", office.address, later, twice)]


def unrelated_xlsx() -> bytes:
    """A workbook holding none of the campaign's forms."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["品名", "数量"])
    book.active.append(["办公用纸", 20])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_text(data: bytes) -> str:
    """Every sheet title and cell of a workbook, as one text."""
    book = load_workbook(io.BytesIO(data))
    return "\n".join([ws.title for ws in book] + [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None])


def write_templates(folder: Path, target: Path) -> dict[str, str]:
    """`mailbot templates DIR` under the campaign, every file read back."""
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--campaign", str(folder), "templates", str(target)]) == 0
    found = {}
    for path in sorted(target.iterdir()):
        if path.suffix == ".xlsx":
            found[path.name] = xlsx_text(path.read_bytes())
        else:
            document = docx.Document(str(path))
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            found[path.name] = "\n".join([p.text for p in document.paragraphs] + cells)
    return found


def printed(folder: Path, db_url: str, tmp: Path) -> dict[str, str]:
    """The ledger, the call list, a reminder preview, the ledger workbook and every --help, under the campaign."""
    runs = {"ledger": ["ledger"], "reminders calls": ["reminders", "calls"], "roster list": ["roster", "list"],
            "ledger --xlsx": ["ledger", "--xlsx", str(tmp / "ledger.xlsx")]}
    out = {name: capture(["--db", db_url, "--campaign", str(folder), *argv]) for name, argv in runs.items()}
    out["ledger.xlsx"] = xlsx_text((tmp / "ledger.xlsx").read_bytes())
    for argv in help_commands():
        out[" ".join(argv)] = capture(["--campaign", str(folder), *argv])
    return out


def dashboard(app: App, now: dt.datetime) -> dict[str, str]:
    """Every page of the dashboard as an admin sees it, and each download (workbooks read as text)."""
    import re

    from mailbot.web import create_app
    from mailbot.web.users import add_user

    with app.ledger.transaction() as s:
        add_user(s, app.campaign, "admin", "admin", "admin-pass-1", now)
        first = s.scalars(select(OutboxRow.message_ref).where(OutboxRow.message_ref.is_not(None))).first()
    client = create_app(app, secret="test-secret-0123456789", session_hours=8, now=lambda: now).test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "admin", "password": "admin-pass-1", "csrf_token": token})
    with app.ledger.session() as s:
        unit = s.scalars(select(UnitRow.id)).first()
    pages = {f"web {path}": client.get(path) for path in ("/", "/review", f"/unit/{unit}", "/login")}
    assert all(r.status_code in (200, 302) for r in pages.values()), {k: r.status_code for k, r in pages.items()} and first
    found = {k: r.text for k, r in pages.items()}
    for slug in re.findall(r'href="/download/([^"?]+)', found["web /"]):
        response = client.get(f"/download/{slug}")
        found[f"web download {slug}"] = xlsx_text(response.data) if response.data[:2] == b"PK" else response.text
    return found


def help_commands() -> list[list[str]]:
    """`--help` of the program, of every command and of every action of a command."""
    found = [["--help"]]
    for name, command in _choices(build_parser()).items():
        found.append([name, "--help"])
        found += [[name, action, "--help"] for action in _choices(command)]
    return found


def _choices(parser) -> dict:
    for action in parser._actions:  # argparse keeps its subparsers only here
        if getattr(action, "choices", None) and isinstance(action.choices, dict):
            return action.choices
    return {}


def capture(argv: list[str]) -> str:
    """What the command printed (a --help exits; that is its normal end)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit:
            pass
    return out.getvalue() + err.getvalue()
