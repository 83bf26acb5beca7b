"""App-independent widgets: seek slider, speed menu, sleep-timer button."""
