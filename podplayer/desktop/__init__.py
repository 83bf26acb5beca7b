"""Desktop integration: MPRIS media keys, one running instance, notifications (no QtWidgets)."""
