"""`mailbot templates DIR`: write the blank forms as .xlsx and .docx (only one of them when the form says so)."""

from __future__ import annotations

from pathlib import Path

from mailbot.errors import UsageError

ORDER = 60


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("templates", help="生成通知附件的空白表格（.xlsx 和 .docx）")
    p.add_argument("dir", help="输出目录（不存在时自动创建）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Write one .xlsx and one .docx per table form of the campaign."""
    from mailbot.config import load_campaign
    from parsers.blanks.document import docx_template
    from parsers.blanks.workbook import xlsx_template

    campaign = load_campaign(getattr(args, "campaign", None))
    target = Path(args.dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for spec in (s for s in campaign.forms if s.layout == "table"):
            stem = f"{spec.label}_{spec.title}"
            # A form the notice wants in Excel only (or Word only) gets no blank of the other kind.
            made = [(ext, write) for ext, write, kind in ((".xlsx", xlsx_template, "excel"), (".docx", docx_template, "word"))
                    if spec.extra.get("file_type", "any") in ("any", kind)]
            for ext, write in made:
                (target / f"{stem}{ext}").write_bytes(write(spec))
            print(f"已生成：{target / stem}{'、'.join(ext for ext, _ in made)}")
    except OSError as exc:
        raise UsageError(f"无法写入目录 {target}：{exc}") from exc
    return 0
