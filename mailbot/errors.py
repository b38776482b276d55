"""The mailbot exception tree: temporary failures are retried, permanent ones are recorded."""


class MailbotError(Exception):
    """Base of every mailbot error; the message is Chinese and shown to a person."""

    exit_code = 1


class UsageError(MailbotError):
    """A command's own input is wrong (a bad file, an unknown unit); exit code 2."""

    exit_code = 2


class ConfigError(UsageError):
    """The campaign, settings or roster file cannot be used."""


class TemporaryFailure(MailbotError):
    """Retry later with backoff: a server down, a timeout, a 4xx, a locked database."""


class PermanentFailure(MailbotError):
    """Never retry: record a status with the reason."""


def toml_words(exc: Exception) -> str:
    """Where a TOML file stops being TOML, in Chinese (tomllib says it in English: "... (at line 3, column 10)")."""
    import re

    found = re.search(r"at line (\d+), column (\d+)", str(exc))
    where = f"第{found.group(1)}行第{found.group(2)}列附近" if found else "某处"
    return f"{where}不符合 TOML 格式（请检查方括号、引号、等号和逗号是否成对、齐全）"
