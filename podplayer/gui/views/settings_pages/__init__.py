"""The Settings dialog's pages, one module each; ``settings_dialog.default_pages`` lists them."""
