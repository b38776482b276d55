"""Intake: poll and watch the inboxes, decode arrivals, parse in a child, run the pipeline."""
