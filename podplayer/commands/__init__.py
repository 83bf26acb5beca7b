"""One module per headless feature subcommand; cli.py registers them."""
