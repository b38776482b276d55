"""Mail servers: IMAP mailboxes, SMTP transport, and the Sent-folder check."""
