"""Views: the main window and the panes it composes."""
