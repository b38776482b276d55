"""Scheduled mail: reminders, the coordinators' daily digest, inbox health alerts."""
