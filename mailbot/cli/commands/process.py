"""`mailbot process FILE.eml … --mailbox ADDRESS`: run the pipeline on saved messages."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.app import App
from mailbot.errors import UsageError

if TYPE_CHECKING:
    from mailbot.settings import Settings

ORDER = 10
log = logging.getLogger(__name__)


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("process", help="处理已保存的邮件文件（.eml），如同投递到指定收件箱")
    p.add_argument("files", nargs="+", metavar="FILE.eml", help="邮件文件")
    p.add_argument("--mailbox", required=True, help="视为投递到的收件箱地址（活动配置中某办公室的 inboxes 之一）")
    p.add_argument("--received-at", help="收件时间（ISO 格式，默认取邮件 Date 头），按北京时间理解")
    p.add_argument("--json", action="store_true", help="每封邮件输出一行 JSON 结论")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Process each file; a bad file is reported and the others still run."""
    from mailbot.cli.render import print_verdict
    from mailbot.settings import Settings

    app = App.from_args(args)
    if app.campaign.office_for_inbox(args.mailbox) is None:
        raise UsageError(f"“{args.mailbox}”不是本活动配置的收件邮箱")
    received_at = _parse_time(args.received_at, app.campaign.timezone) if args.received_at else None
    # The site's settings, as the worker reads them: trusted_auth, own addresses, coordinators, [limits].
    pipeline, failures = app.pipeline(app.config.pipeline_options()), 0
    settings = app.settings or Settings()  # the worker's fetch limits, also without a settings file
    for name in args.files:
        verdict = _one(pipeline, Path(name), args.mailbox, received_at, settings)
        failures += verdict is None
        if verdict is not None:
            print(json.dumps(verdict, ensure_ascii=False)) if args.json else print_verdict(verdict, app.campaign)
    return 2 if failures else 0


def _one(pipeline, path: Path, mailbox: str, received_at, settings: Settings):
    from mailbot import clock
    from mailbot.intake.inbound import delivery_from_bytes, looks_like_mail
    from mailbot.intake.saved_mail import read_saved_message

    try:
        # What the worker would have fetched over IMAP: a video or a part over max_part_bytes is never decoded.
        raw = read_saved_message(path, whole_below=settings.fetch_whole_below, max_part_bytes=settings.max_part_bytes)
    except OSError as exc:
        print(f"错误：无法读取文件 {path}：{exc.strerror}", file=sys.stderr)
        return None
    except Exception as exc:  # noqa: BLE001 - a structure the trimming walk cannot follow is this file's, not the batch's
        log.warning("%s: big parts could not be left out (%s); read whole", path.name, type(exc).__name__)
        raw = path.read_bytes()  # the decoder's own boundary (mailbot.intake.inbound) takes it from here
    if not looks_like_mail(raw):
        print(f"错误：{path} 不是邮件文件（.eml），已跳过", file=sys.stderr)
        return None
    delivery = delivery_from_bytes(raw, mailbox, received_at=received_at, now=clock.now())
    return pipeline.process(delivery)


def _parse_time(text: str, tz) -> dt.datetime:
    from mailbot import clock

    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"收件时间“{text}”格式有误，应为 2023-01-05T10:30") from exc
    return clock.local(moment, tz)
