"""Scheduled jobs. Each is a plain function taking `as_of`, also runnable from the CLI."""
