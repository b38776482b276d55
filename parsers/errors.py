"""The parsers' exception tree: raised only when a file cannot be read at all."""


class ParserError(Exception):
    """Base of every parser error; ``code`` is a stable problem code."""

    code = "unreadable-file"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class UnreadableFile(ParserError):
    """The bytes are not a readable file of the format they claim (corrupt, truncated, hostile)."""


class UnsupportedFormat(ParserError):
    """The file is of a format we do not read (.doc, .et, PDF, images): ask for .xlsx/.docx."""

    code = "unsupported-format"


class UnreadableMessage(ParserError):
    """The message itself cannot be taken apart (nesting too deep for any mail client to have written it)."""

    code = "unreadable-message"
