"""One module per `mailbot` subcommand; each exposes ``register(subparsers)`` and sets ``handler``."""
