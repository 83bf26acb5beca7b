"""Downloads: an explicit state machine, safe file names, resume."""
