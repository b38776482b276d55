"""The units × returns matrix as a plain box-drawn table that lines up Chinese (two columns a character), colored on a terminal.

Plain text rather than rich: rich costs a tenth of a second to import and lay out, a third of what `mailbot ledger` may take.
"""

from __future__ import annotations

import os
import sys
import unicodedata

ZERO_WIDTH = ("Mn", "Me", "Cf")  # combining marks and format characters (U+200B, U+FEFF) take no column
# SGR codes of the 台账's status words (the colors the rich table had: yellow, green, magenta, bold red, cyan, …).
STANDING_COLORS = {"未报送": "33", "已报送-合格": "32", "已报送-待修改": "35", "逾期未报": "1;31", "逾期已报": "36",
                   "涉密拒收-待光盘报送": "1;37;41", "豁免": "2"}


def width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters take two (ambiguous ones, like “ and —, one), marks none."""
    return sum(0 if unicodedata.category(ch) in ZERO_WIDTH else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def printable(text: str) -> str:
    """``text`` without control characters: a name from a roster file must not move the cursor or recolor the terminal."""
    return "".join(ch for ch in str(text) if unicodedata.category(ch) != "Cc")


def wants_color(stream=None) -> bool:
    """Whether to color: a terminal, NO_COLOR unset, TERM not dumb."""
    stream = sys.stdout if stream is None else stream
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def matrix_text(rows: list[dict], labels: dict[str, str], title: str = "报送台账", categories: bool = True, color: bool = False) -> str:
    """The table: 类别 (unless the campaign has no categories), 单位名称, then each return's status and counting version."""
    head = (["类别"] if categories else []) + ["单位名称", *labels.values()]
    body = [[printable(t) for t in ([row["category"]] if categories else []) + [row["unit"]]] + [_cell(row["returns"].get(k)) for k in labels]
            for row in rows]
    widths = [max(width(line[i]) for line in [head, *body]) for i in range(len(head))]
    total = sum(widths) + 3 * len(widths) + 1
    lines = [" " * max(0, (total - width(title)) // 2) + title]
    lines.append(_rule("┏━┳┓", widths))
    lines.append(_line("┃", head, widths))
    lines.append(_rule("┡━╇┩", widths))
    first = len(head) - len(labels) if color else len(head)  # the status columns are painted, the names never
    lines += [_line("│", line, widths, first) for line in body]
    lines.append(_rule("└─┴┘", widths))
    return "\n".join(lines)


def _cell(cell: dict | None) -> str:
    if cell is None:
        return "—"  # the unit does not owe this return
    return cell["status"] + (f" v{cell['version']}" if cell.get("version") else "")


def _rule(chars: str, widths: list[int]) -> str:
    left, fill, joint, right = chars
    return left + joint.join(fill * (w + 2) for w in widths) + right


def _line(bar: str, cells: list[str], widths: list[int], painted_from: int | None = None) -> str:
    painted_from = len(cells) if painted_from is None else painted_from
    return bar + bar.join(f" {_paint(text) if i >= painted_from else text}{' ' * (w - width(text))} "
                          for i, (text, w) in enumerate(zip(cells, widths))) + bar


def _paint(text: str) -> str:
    status = text.split(" v", 1)[0]
    code = STANDING_COLORS.get(status)
    return f"\x1b[{code}m{status}\x1b[0m{text[len(status):]}" if code else text
