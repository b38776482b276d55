"""The 涉密 gate's rule codes in words, for the coordinator's alert (a person never reads a code)."""

from __future__ import annotations

# Where the marking was found, as the gate's rules name it (parsers.gate.scan lists the codes).
WHERE = {
    "header": "邮件头",
    "subject": "邮件主题",
    "filename": "附件文件名",
    "body": "邮件正文",
    "document": "文档正文",
    "document-header": "文档页眉",
    "document-footer": "文档页脚",
    "document-notes": "文档脚注或批注",
    "document-parts": "文档的其他部件",
    "properties": "文档属性",
    "sheet-name": "工作表名称",
    "sheet-title": "工作表标题行",
    "sheet-header": "工作表页眉页脚",
    "sheet-cells": "表格内容",
    "sheet-comments": "表格批注",
}


def rule_words(code: str) -> str:
    """E.g. marking-in-sheet-title → 工作表标题行中的密级标识; an unknown code still reads as words."""
    for prefix, what in (("marking-in-", "中的密级标识"), ("unclear-label-in-", "中疑似涉密的字样")):
        if code.startswith(prefix) and code[len(prefix):] in WHERE:
            return WHERE[code[len(prefix):]] + what
    return "密级标识"
