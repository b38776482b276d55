"""Bytes in, returns and problems out: pure readers for mail, forms and markings."""

from parsers.annotate import annotate_workbook
from parsers.errors import ParserError, UnreadableFile, UnsupportedFormat
from parsers.limits import DEFAULT_LIMITS, Limits
from parsers.problems import Problem, Severity
from parsers.read import read_attachment
from parsers.returns import FileResult, ParsedReturn

__all__ = [
    "ParserError", "UnreadableFile", "UnsupportedFormat", "Problem", "Severity", "FileResult", "ParsedReturn",
    "Limits", "DEFAULT_LIMITS", "read_attachment", "annotate_workbook",
]
