"""The rule vocabulary of a campaign file: a registry of rule kinds and what a rule sees."""
