"""The one entry point: an attachment's bytes and name in, every return found in it and its problems out."""

from __future__ import annotations

from parsers import problem_texts as messages
from parsers.docx.returns import read_words
from parsers.errors import ParserError, UnreadableFile, UnsupportedFormat
from parsers.forms.sheets import read_sheets
from parsers.forms.spec import FormBook
from parsers.problems import error
from parsers.returns import FileResult
from parsers.safety.guard import check_zip
from parsers.safety.limits import DEFAULT_LIMITS, Limits
from parsers.safety.sniff import sniff

# What a person calls each format we cannot read, for the message asking them to re-save.
FORMAT_NAMES = {
    "doc": "Word 97-2003（.doc）", "ole": "WPS 或旧版 Office（.et/.wps/.doc）", "encrypted": "加密（设有打开密码）",
    "pdf": "PDF", "image": "图片", "ofd": "OFD", "rtf": "RTF", "docm": "含宏的 Word（.docm）",
    "zip": "压缩包", "rar": "RAR 压缩包", "7z": "7z 压缩包", "unknown": "无法识别的",
}
# Formats refused with their own words, not "re-save as .xlsx/.docx" (which would not help).
# Formats refused outright, by the problem code that says why (its message is the catalogue's).
REFUSALS = {"empty": "empty-file", "exe": "executable", "corrupt": "corrupt-file", "encrypted": "encrypted-file"}


def read_attachment(data: bytes, filename: str, campaign: FormBook, *, subject: str = "",
                    limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """Sniff, read and check one attachment; never raises for a bad file (it becomes a file-level problem)."""
    fmt = sniff(data)
    result = FileResult(file=filename, format=fmt)
    try:
        _read(data, fmt, filename, campaign, subject, limits, result)
    except ParserError as exc:
        result.returns, result.contacts = [], []
        result.problems.append(error(exc.code, _message(exc, filename), file=filename))
    return result


def _read(data, fmt, filename, campaign, subject, limits, result) -> None:
    if fmt in REFUSALS:
        code = REFUSALS[fmt]
        raise UnreadableFile(messages.render(code), code=code)
    if len(data) > limits.max_bytes:
        raise ParserError(messages.render("file-too-large"), code="file-too-large")
    if fmt in ("xlsx", "xlsm", "xls"):
        if fmt != "xls":
            check_zip(data, limits)
        read_sheets(data, fmt, filename, campaign, limits, result)
    elif fmt == "docx":
        check_zip(data, limits)
        read_words(data, filename, campaign, subject, limits, result)
    else:
        raise UnsupportedFormat(messages.render("unsupported-format", file=filename, format_name=FORMAT_NAMES.get(fmt, fmt)))


def _message(exc: ParserError, filename: str) -> str:
    text = str(exc)
    return text if filename in text else f"附件“{filename}”：{text}"
