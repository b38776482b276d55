"""The domain model: the campaign and its loading, the roster and name matching, deadlines and the calendar."""
