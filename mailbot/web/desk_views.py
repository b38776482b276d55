"""What a coordinator does from the browser: settle a held message by its 收件编号, pause or exempt a unit, record a CD."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for

from mailbot.errors import UsageError
from mailbot.ledger import review
from mailbot.ledger.actions import log_action
from mailbot.ledger.cd import record_cd
from mailbot.ledger.models import SubmissionRow, UnitRow
from mailbot.ledger.status import unit_matrix
from mailbot.ledger.units import find_unit, set_exempt, set_pause
from mailbot.reports.workbook_data import messages
from mailbot.web import desk_queries as dq
from mailbot.web import queries

blueprint = Blueprint("desk", __name__)


def desk():
    """The dashboard's context."""
    return current_app.extensions["mailbot"]


def scope() -> str | None:
    """The office the acting user speaks for (None: an admin, for every office)."""
    return queries.scope_for(g.user, desk().app.campaign, request.values.get("office"))


@blueprint.route("/review/accept", methods=["POST"])
def review_accept():
    """Register a held message, named by its 收件编号, for the unit picked (name or alias)."""
    app, now = desk().app, desk().now()
    try:
        with app.ledger.session() as s:
            row = _pending(s)
            unit = find_unit(s, request.form.get("unit", ""))
            message_id, receipt_no, unit_id, unit_name = row.id, row.receipt_no, unit.id, unit.name
        review.accept(app, message_id, unit_name, now, add_address=request.form.get("add_address") == "1")
    except UsageError as exc:
        flash(f"未能办理：{exc}")
        return redirect(url_for("web.review"))
    _log("review-accept", unit_id, f"收件编号{receipt_no}登记为{unit_name}的报送")
    flash(f"已确认：收件编号{receipt_no}登记为“{unit_name}”的报送，并已通知发件人。")
    return redirect(url_for("web.review"))


@blueprint.route("/review/reject", methods=["POST"])
def review_reject():
    """Close a held message, named by its 收件编号, telling the sender the reason given."""
    reason = request.form.get("reason", "").strip()
    try:
        if not reason:
            raise UsageError("请填写不予登记的原因（将告知发件人）")
        with desk().app.ledger.session() as s:
            row = _pending(s)
            message_id, receipt_no, unit_id = row.id, row.receipt_no, row.unit_id
        review.reject(desk().app, message_id, reason, desk().now())
    except UsageError as exc:
        flash(f"未能办理：{exc}")
        return redirect(url_for("web.review"))
    _log("review-reject", unit_id, f"收件编号{receipt_no}不予登记：{reason}")
    flash(f"已处理：收件编号{receipt_no}不予登记，并已通知发件人。")
    return redirect(url_for("web.review"))


def _pending(session):
    row = dq.pending_by_receipt(session, request.form.get("receipt_no", ""), scope())
    if row is None:
        raise UsageError(f"收件编号“{request.form.get('receipt_no', '')}”不在本办公室的待人工确认队列中")
    return row


@blueprint.route("/unit/<int:unit_id>/pause", methods=["POST"])
def pause(unit_id: int):
    """Pause reminders to the unit until the end of a day, or resume them."""
    campaign, now = desk().app.campaign, desk().now()
    resume = request.form.get("resume") == "1"
    try:
        until = None if resume else _day_end(request.form.get("until", ""), campaign.timezone)
    except ValueError:
        flash("未能办理：请填写有效的日期（如 2023-01-20）。")
        return redirect(url_for("web.unit", unit_id=unit_id))
    with desk().app.ledger.transaction() as s:
        unit = _acting_on(s, unit_id, None)
        set_pause(s, unit.name, until)
        text = "恢复催报" if resume else f"暂停催报至{until:%Y-%m-%d}"
        log_action(s, g.user.name, scope(), "resume" if resume else "pause", unit.id, text, now)
    flash(f"已{text}。")
    return redirect(url_for("web.unit", unit_id=unit_id))


@blueprint.route("/unit/<int:unit_id>/exempt", methods=["POST"])
def exempt(unit_id: int):
    """Excuse the unit from one return the office handles, or take the excuse back."""
    campaign, now, kind = desk().app.campaign, desk().now(), request.form.get("kind", "")
    on = request.form.get("exempt") == "1"
    with desk().app.ledger.transaction() as s:
        unit = _acting_on(s, unit_id, kind)
        set_exempt(s, unit.name, [kind], campaign.kinds, on)
        text = f"{'豁免' if on else '取消豁免'}：{campaign.form(kind).label}"
        log_action(s, g.user.name, scope(), "exempt" if on else "unexempt", unit.id, text, now)
    flash(f"已{text}。")
    return redirect(url_for("web.unit", unit_id=unit_id))


@blueprint.route("/unit/<int:unit_id>/cd", methods=["POST"])
def cd_received(unit_id: int):
    """Record that the unit's CD for one return arrived."""
    campaign, kind = desk().app.campaign, request.form.get("kind", "")
    with desk().app.ledger.transaction() as s:
        unit = _acting_on(s, unit_id, kind)
        message = record_cd(s, campaign, unit, kind, g.user.name, desk().now())
        text = f"已登记{campaign.form(kind).label}的光盘报送，收件编号：{message.receipt_no}。"
    flash(text)
    return redirect(url_for("web.unit", unit_id=unit_id))


def _acting_on(session, unit_id: int, kind: str | None) -> UnitRow:
    """The unit, if the user's office handles it (and ``kind`` for it); 404 or 403 otherwise."""
    unit = session.get(UnitRow, unit_id)
    if unit is None:
        abort(404, description="没有这个单位。")
    kinds = {c.kind for c in unit_matrix(session, desk().app.campaign, unit, desk().now(), scope())}
    if not kinds or (kind is not None and kind not in kinds):
        abort(403, description="您无权办理该事项：该单位（该材料）不由本办公室办理。")
    return unit


def _day_end(text: str, tz) -> dt.datetime:
    day = dt.date.fromisoformat(text.strip())
    return dt.datetime.combine(day, dt.time(23, 59, 59), tz)


def _log(action: str, unit_id: int | None, detail: str) -> None:
    with desk().app.ledger.transaction() as s:
        log_action(s, g.user.name, scope(), action, unit_id, detail, desk().now())


@blueprint.route("/submission/<int:sub_id>/<any(file, annotated):what>")
def submission_file(sub_id: int, what: str):
    """The file a department sent for a version, or the annotated copy its receipt carried; office-scoped."""
    with desk().app.ledger.session() as s:
        sub = s.get(SubmissionRow, sub_id)
        if sub is None:
            abort(404, description="没有这个文件。")
        if not dq.may_open(sub, scope()):
            abort(403, description="您无权查看该文件：该材料不由本办公室办理。")
        found = dq.submitted_file(s, sub) if what == "file" else dq.annotated_file(s, sub)
        if found is None:
            abort(404, description="该版本没有可下载的文件。")
        data, name = found.data, found.filename
    return send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True, download_name=name)


@blueprint.route("/alerts")
def alerts():
    """Every alert and digest the robot wrote to the office's coordinator, and the notes for the staff."""
    office = scope()
    with desk().app.ledger.session() as s:

        return render_template("web/alerts.html", alerts=dq.alerts(s, office), notes=dq.notes(messages(s, office)), office=office)
