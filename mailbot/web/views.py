"""The dashboard pages: the matrix, a unit, the review queue, and the downloads."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, current_app, g, render_template, request, send_file
from sqlalchemy import select, text

from mailbot.cli.render import OUTCOME_LABELS
from mailbot.clock import chinese_date, chinese_datetime
from mailbot.ledger.actions import ACTION_LABELS, recent_actions
from mailbot.ledger.contacts import submitted_contact, unit_contact
from mailbot.ledger.models import UnitRow
from mailbot.ledger.status import Standing
from mailbot.outbox.trouble import STATE_LABELS, kind_label, troubles
from mailbot.reports.exports import export_plan
from mailbot.reports.style import STATUS_COLOURS
from mailbot.reports.workbook import build_ledger_workbook, ledger_title
from mailbot.web import desk_queries, queries
from parsers.contacts.merge import understood

blueprint = Blueprint("web", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def desk():
    """The dashboard's context."""
    return current_app.extensions["mailbot"]


@blueprint.app_context_processor
def helpers() -> dict:
    """Names every template may use."""
    campaign = desk().app.campaign
    return {"campaign": campaign, "status_class": STATUS_CLASSES, "outcomes": OUTCOME_LABELS, "user": g.get("user"),
            "when": lambda m: chinese_datetime(m, campaign.timezone) if m else "—", "today": chinese_date(desk().now())}


# The status colours as classes of one stylesheet: the CSP allows no inline style, and the workbook keeps the same fills.
STATUS_CLASSES = {label: f"st-{index}" for index, label in enumerate(STATUS_COLOURS)}


@blueprint.route("/status.css")
def status_css():
    """The fill of each status, from the one table the workbooks use too."""
    rules = "".join(f".{STATUS_CLASSES[label]}{{background:#{colour}}}\n" for label, colour in STATUS_COLOURS.items())
    response = Response(rules, mimetype="text/css")
    response.cache_control.max_age = 3600
    return response


@blueprint.route("/healthz")
def healthz():
    """For the container's health check: 200 when the ledger answers (no login, nothing about the campaign)."""
    try:
        with desk().app.ledger.session() as s:
            s.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return Response("数据库不可用\n", status=503, mimetype="text/plain")
    return Response("ok\n", mimetype="text/plain")


def scope() -> str | None:
    """The office the current page is about."""
    return queries.scope_for(g.user, desk().app.campaign, request.args.get("office"))


@blueprint.route("/")
def matrix():
    """The units × returns matrix, filtered by office, 类别 and status."""
    campaign, office = desk().app.campaign, scope()
    category = request.args.get("category") if request.args.get("category") in campaign.categories else None
    status = request.args.get("status") if request.args.get("status") in {s.value for s in Standing} else None
    with desk().app.ledger.session() as s:
        q = request.args.get("q", "").strip()[:100]
        data = queries.matrix_data(s, campaign, desk().now(), office, category, status, q)
        return render_template("web/matrix.html", office=office, category=category, status=status, q=q, downloads=downloads(office),
                               title=ledger_title(campaign, office), undelivered=troubles(s, office), kind_label=kind_label,
                               state_labels=STATE_LABELS, config_troubles=config_troubles(s), **data)


def config_troubles(session) -> list:
    """Workers still on an older configuration because the edited files are wrong (one line each on the overview)."""
    from mailbot.worker_reload import troubles

    return troubles(session)


@blueprint.route("/unit/<int:unit_id>")
def unit(unit_id: int):
    """One unit: its returns, every version with problems cell by cell, the receipts and reminders sent."""
    campaign, office = desk().app.campaign, scope()
    with desk().app.ledger.session() as s:
        row, cells = queries.visible_unit(s, campaign, desk().now(), unit_id, office)
        if row is None:
            abort(404, description="没有这个单位。")
        if not cells:
            abort(403, description="您无权查看该单位：该单位的材料不由本办公室办理。")
        receipts, reminders = queries.unit_mail(s, row, office)
        seen = queries.unit_messages(s, row, office)
        return render_template("web/unit.html", unit=row, cells=cells, messages=seen, receipts=receipts, reminders=reminders, office=office,
                               contact=unit_contact(campaign, row, cells), sent=desk_queries.receipt_texts(s, seen),
                               files=desk_queries.has_files(s, [v for c in cells for v in c.versions]),
                               actions=recent_actions(s, office, row.id), action_labels=ACTION_LABELS, paused=row.paused_until and row.paused_until > desk().now(),
                               read_contact=lambda sub: understood(campaign.form(sub.kind), submitted_contact(campaign, sub)))


@blueprint.route("/review")
def review():
    """Messages held for a person; settled with `mailbot review` in the CLI."""
    with desk().app.ledger.session() as s:
        names = [(u.name, a) for u in s.scalars(select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.id)) for a in (u.name, *(u.aliases or ()))]
        return render_template("web/review.html", items=queries.review_queue(s, scope()), loops=queries.unanswered(s, scope()), office=scope(), names=names)


def downloads(office: str | None) -> list[tuple[str, str]]:
    """(slug, file name) of every download offered to the office."""
    campaign = desk().app.campaign
    prefix = f"{campaign.offices[office].short}_" if office else ""
    return [("ledger", f"{prefix}报送台账.xlsx"), *((slug, name) for slug, name, _ in export_plan(campaign, office))]


@blueprint.route("/download/<slug>")
def download(slug: str):
    """The 台账 workbook or one export, scoped to the viewer's office."""
    campaign, office, now = desk().app.campaign, scope(), desk().now()
    names = dict(downloads(office))
    if slug not in names:
        abort(404, description="没有这个文件。")
    with desk().app.ledger.session() as s:
        if slug == "ledger":
            data = build_ledger_workbook(s, campaign, now, office)
        else:
            build = next(b for key, _, b in export_plan(campaign, office) if key == slug)
            data = build(s, campaign, now, office=office)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=names[slug])


@blueprint.app_errorhandler(400)
@blueprint.app_errorhandler(403)
@blueprint.app_errorhandler(404)
def refused(error):
    """Errors as a Chinese page (werkzeug's own English descriptions replaced)."""
    own = error.description != type(error).description
    return render_template("web/error.html", code=error.code, message=error.description if own else ERRORS[error.code]), error.code


ERRORS = {400: "请求无效。", 403: "您无权访问该页面。", 404: "页面不存在。"}
