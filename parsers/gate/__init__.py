"""The 涉密 gate: markings in headers, bodies and attachments, read before anything else is kept."""
