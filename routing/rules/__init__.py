"""Chain rules that decide: screening, the returns a message carries, the reply-loop guard."""
