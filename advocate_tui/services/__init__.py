"""The day's logic between the store and the UI: what is due, what carries over, what a handoff holds."""
