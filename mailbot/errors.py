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
