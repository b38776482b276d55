"""`mailbot audit RECEIPT_NO`: what a receipt covered — files and their SHA-256, when, from whom — for a 督查."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailbot.app import App
from mailbot.errors import UsageError

if TYPE_CHECKING:
    from mailbot.ledger.models import MessageRow

ORDER = 45


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("audit", help="督查：按收件编号列出该回执所涵盖的文件及其 SHA-256、收到时间和报送单位")
    p.add_argument("receipt_no", help="收件编号（回执上的编号，格式由活动配置 receipt_format 规定）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print the audit lines of one receipt."""
    app = App.from_args(args)
    with app.ledger.session() as session:
        for line in audit_lines(session, args.receipt_no.strip()):
            print(line)
    return 0


def audit_lines(session, receipt_no: str) -> list[str]:
    """The Chinese lines describing what the receipt ``receipt_no`` covered; UsageError if there is none."""
    from sqlalchemy import select

    from mailbot.clock import chinese_datetime
    from mailbot.ledger.models import MessageRow, UnitRow

    message = session.scalars(select(MessageRow).where(MessageRow.receipt_no == receipt_no)).first()
    if message is None:
        raise UsageError(f"台账中没有收件编号为“{receipt_no}”的记录。")
    unit = session.get(UnitRow, message.unit_id) if message.unit_id else None
    lines = [f"收件编号：{receipt_no}", f"报送单位：{unit.name if unit else '（未确定）'}", f"发件地址：{message.sender}",
             f"收到时间：{chinese_datetime(message.received_at)}", f"处理结果：{message.outcome}（{message.detail or message.reason}）"]
    lines += _reply_lines(session, message)
    lines += _file_lines(session, message)
    return lines


def _reply_lines(session, message: MessageRow) -> list[str]:
    from sqlalchemy import select

    from mailbot.clock import chinese_datetime
    from mailbot.ledger.models import OutboxRow

    reply = session.scalars(select(OutboxRow).where(OutboxRow.message_ref == message.id, OutboxRow.kind.like("reply:%"))).first()
    if reply is None:
        return ["回执：未发送（该结果不予回复）"]
    sent = chinese_datetime(reply.sent_at) if reply.sent_at else f"尚未发出（{reply.state.value}）"
    covered = [f"  {c['file']}（{c['bytes']}字节）：SHA-256 {c['sha256']}" for c in reply.covers or ()]
    return [f"回执：发送至 {reply.to_addr}，{sent}", *(["回执涵盖的全部附件："] + covered if covered else [])]


def _file_lines(session, message: MessageRow) -> list[str]:
    from sqlalchemy import select

    from mailbot.ledger.cd import CD_REASON
    from mailbot.ledger.models import SubmissionRow

    if message.outcome == "refused_classified":
        return ["所涉文件：涉密拒收，按规定未保存任何内容及摘要。"]
    if message.reason == CD_REASON:
        rows = session.scalars(select(SubmissionRow).where(SubmissionRow.message_id == message.id)).all()
        return ["报送方式：光盘报送（光盘内容不经本系统处理）。", *(f"  {row.kind} 第{row.version}版：光盘" for row in rows)]
    rows = session.scalars(select(SubmissionRow).where(SubmissionRow.message_id == message.id).order_by(SubmissionRow.id)).all()
    if not rows:
        return ["所涉文件：未登记任何材料（附件无法读取或不是通知要求的表格）。"]
    lines = ["所涉文件："]
    for row in rows:
        where = f"，工作表“{row.sheet}”" if row.sheet else ""
        lines.append(f"  {row.file}{where}：{row.kind} 第{row.version}版，SHA-256 {row.sha256 or '（未记录）'}")
    return lines
