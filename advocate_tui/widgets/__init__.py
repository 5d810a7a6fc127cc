"""The main screen's panes and shared widgets, one module each."""
