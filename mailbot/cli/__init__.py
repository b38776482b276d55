"""The `mailbot` command: the Chinese argument parser, the subcommands, terminal output."""
