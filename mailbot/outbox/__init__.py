"""The outbox: queue every outgoing mail, compose it, pace it and send it exactly once."""
