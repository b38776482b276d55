"""The mail side: IMAP and SMTP, the pipeline runner, the ledger, the scheduler, the CLI, exports, the dashboard."""
