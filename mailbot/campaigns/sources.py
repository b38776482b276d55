"""The forms of a new campaign: read from the notice's blank .xlsx/.docx files, or given as 标题：列1、列2."""

from __future__ import annotations

import re
from pathlib import Path

from mailbot.errors import UsageError
from parsers.blanks.forms import DraftColumn, DraftForm, read_blank_form
from parsers.errors import UnreadableFile


def forms_from(sources: list[str], given: list[str]) -> list[DraftForm]:
    """One draft per blank form file, then one per --form text, in the order given."""
    return [_read(Path(s)) for s in sources] + [_typed(text) for text in given]


def _read(path: Path) -> DraftForm:
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".docx"):
        raise UsageError(f"{path}：只能读取 .xlsx 或 .docx 的空白表格（.xls/.doc 请先另存为 .xlsx/.docx）")
    try:
        return read_blank_form(path.read_bytes(), path.name)
    except FileNotFoundError as exc:
        raise UsageError(f"找不到文件：{path}") from exc
    except UnreadableFile as exc:
        raise UsageError(f"{path}：{exc}") from exc


def _typed(text: str) -> DraftForm:
    cut = max(text.rfind(":"), text.rfind("："))  # the last colon: a title may hold one (附表1：名单：姓名、职务)
    title, columns = (text[:cut], text[cut + 1:]) if cut >= 0 else (text, "")
    names = [c.strip() for c in re.split(r"[、，,；;]", columns) if c.strip()]
    if len(names) < 2:
        raise UsageError(f"--form “{text}” 应写作 标题：列1、列2、列3")
    label = re.match(r"^(附件|附表)\s*\d+", title.strip())
    title = title.strip()
    rest = title[label.end():].strip(" ：:") if label else title
    return DraftForm(label=re.sub(r"\s+", "", label.group()) if label else "", title=rest or title, columns=[DraftColumn(n) for n in names])
