"""One module per `mailbot` subcommand; each exposes ``register(subparsers)`` and sets ``handler``."""

# Every command module is imported to build the parser, for `mailbot --help` as for any command: at module level
# a command imports only the standard library, mailbot.errors and mailbot.app; everything else inside the function
# that uses it (tests/mailbot/test_quick_commands.py holds this).
