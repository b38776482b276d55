"""Contact details (联络人、职务、电话) read from tables and text, merged into one contact return."""
