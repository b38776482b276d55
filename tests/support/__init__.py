"""Test helpers: mail-server harnesses, the coordinators' desk, hostile input builders, worker scripts."""
