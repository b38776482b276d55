"""Bytes in, returns and problems out: pure readers for mail, forms and markings."""

from parsers.errors import ParserError, UnreadableFile, UnsupportedFormat
from parsers.problems import Problem, Severity
from parsers.returns import FileResult, ParsedReturn

__all__ = ["ParserError", "UnreadableFile", "UnsupportedFormat", "Problem", "Severity", "FileResult", "ParsedReturn"]
