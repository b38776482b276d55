"""`mailbot campaign new FOLDER`: ask (or take from flags) what the notice says, read its blank forms, write the folder.

The readers are imported when the command runs: `mailbot --help` must not load openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

from mailbot.errors import UsageError

ROSTER_HEADER = "单位名称,别名,类别,邮箱,联系人,联系电话\n"


def add_new_parser(actions) -> None:
    """The `campaign new` action and its flags (each question of the questionnaire has one)."""
    p = actions.add_parser("new", help="新建活动文件夹：按问答（或参数）生成 campaign.toml 草稿和空名册，可从通知所附空白表格读取表头")
    p.add_argument("folder", metavar="文件夹")
    p.add_argument("--from", dest="sources", action="append", default=[], metavar="空白表格",
                   help="通知所附的空白表格（.xlsx 或 .docx），可多次给出；读取标题、表头、下拉列表和表下的注")
    p.add_argument("--form", action="append", default=[], metavar="标题：列1、列2",
                   help="没有空白表格时，直接给出一张表格的标题和列名，可多次给出")
    p.add_argument("--name", help="活动名称，如 “河长制联络员报送”")
    p.add_argument("--id", help="活动标识（字母、数字、连字符），默认由文件夹名生成")
    p.add_argument("--notice", default=None, help="通知文号")
    p.add_argument("--title", default=None, help="通知标题")
    p.add_argument("--office-name", help="接收报送的办公室名称")
    p.add_argument("--office-short", help="办公室简称（用于回执编号）")
    p.add_argument("--office-email", help="收件邮箱")
    p.add_argument("--deadline", help="截止日期，如 2024-03-01")
    p.add_argument("--category", action="append", default=[], help="单位类别（名册中的“类别”），可多次给出；默认“各单位”")
    p.add_argument("--plan", action="store_true", default=None, help="需要报送一份文字材料（如工作方案）")
    p.add_argument("--contact", action="store_true", default=None, help="需要报送联络人")
    p.add_argument("--no-input", action="store_true", help="不提问：未给出的项使用默认值，必需项缺少时报错")
    p.add_argument("--force", action="store_true", help="文件夹中已有 campaign.toml 时覆盖")
    p.set_defaults(handler=run_new)


def run_new(args) -> int:
    """Write FOLDER/campaign.toml, roster.csv and forms/, then check the draft and say what to do next."""
    from mailbot.campaigns.files import check_file
    from routing.model.campaign_draft import render_draft

    folder = Path(args.folder)
    if (folder / "campaign.toml").exists() and not args.force:
        raise UsageError(f"{folder / 'campaign.toml'} 已存在；如需覆盖请加 --force")
    answers = gather(args, _asker(args))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "campaign.toml").write_text(render_draft(answers), encoding="utf-8")
    if not (folder / "roster.csv").exists():
        (folder / "roster.csv").write_text(ROSTER_HEADER, encoding="utf-8")
    _copy_forms(args.sources, folder / "forms")
    faults = check_file(folder)
    print(f"已生成：{folder / 'campaign.toml'}（{len(answers.forms)} 张表格）、{folder / 'roster.csv'}")
    for line in faults:
        print(line)
    print("下一步：1. 对照通知核对 campaign.toml（列名、截止时间、报送去向、检查规则）；2. 在 roster.csv 中填写报送单位；"
          f"3. 运行 mailbot campaign check {folder}；4. 运行 mailbot --campaign {folder} templates 目录 生成空白表格核对。")
    return 1 if faults else 0


def gather(args, ask):
    """The answers (routing.model.campaign_draft.Answers): flags first, then the questionnaire for what is missing."""
    from mailbot.campaigns.sources import forms_from
    from routing.model.campaign_draft import Answers

    forms = forms_from(args.sources, args.form)
    name = args.name or ask("活动名称", forms[0].title if forms else Path(args.folder).name)
    email = args.office_email or ask("收件邮箱", None)
    if not email or "@" not in email:
        raise UsageError("请给出收件邮箱（--office-email），如 office@example.org")
    return Answers(
        name=name, id=args.id or _slug(Path(args.folder).name), notice=_given(args.notice, ask, "通知文号"),
        title=_given(args.title, ask, "通知标题"), office_name=args.office_name or ask("接收报送的办公室", "办公室"),
        office_short=args.office_short or "", office_email=email.strip(), deadline=_date(args.deadline or ask("截止日期（如 2024-03-01）", None)),
        categories=tuple(args.category) or tuple(_split(ask("单位类别（用顿号分隔）", "各单位"))),
        plan=_yes(args.plan, ask, "是否需要报送文字材料（如工作方案）"), contact=_yes(args.contact, ask, "是否需要报送联络人"), forms=forms,
    )


def _asker(args):
    interactive = not args.no_input and sys.stdin.isatty()

    def ask(question: str, default):
        if not interactive:
            return default
        shown = f"［{default}］" if default else ""
        answer = input(f"{question}{shown}：").strip()
        return answer or default
    return ask


def _given(value, ask, question: str) -> str:
    return value if value is not None else (ask(question, "") or "")


def _yes(value, ask, question: str) -> bool:
    return bool(value) if value is not None else str(ask(f"{question}（是/否）", "否")).strip() in ("是", "y", "yes", "Y")


def _date(text) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise UsageError(f"截止日期“{text}”应写作 2024-03-01（--deadline）") from exc


def _split(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[、，,；;]", text or "") if t.strip()]


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-").lower()
    return slug or "campaign"


def _copy_forms(sources: list[str], target: Path) -> None:
    # The notice's own blank forms stay with the campaign, as its assets.
    for source in sources:
        target.mkdir(exist_ok=True)
        shutil.copyfile(source, target / Path(source).name)
