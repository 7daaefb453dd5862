"""Logging for the whole app: one handler on the `caseload` logger (Flask's `app.logger`, the
jobs' `caseload.jobs`, the mail sender's `caseload.mail`, ...) writing to standard output, at
the level CASELOAD_LOG_LEVEL names (default INFO).

Log lines name jobs, counts, outbox message ids and client codes at most, never names, notes or
other client data; database errors reach the log without their SQL parameters (the engine runs
with `hide_parameters`, see config.py)."""

from __future__ import annotations

import logging
import sys

LOGGER = "caseload"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class _StandardOutput(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (the CLI runner and pytest swap it)."""

    def __init__(self):
        super().__init__(sys.stdout)

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def parse_level(text: str | None) -> str:
    level = (text or "INFO").strip().upper()
    if level not in LEVELS:  # a typo must not silence the log unnoticed
        raise ValueError(f"CASELOAD_LOG_LEVEL: unknown level {text!r}; use {', '.join(LEVELS)}")
    return level


def configure(level: str | None = None) -> logging.Logger:
    """Idempotent: one handler however often an app is made; `level` None keeps the level."""
    logger = logging.getLogger(LOGGER)
    if level:
        logger.setLevel(level)
    elif logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    # logging.config.fileConfig (Alembic's env.py, run by `flask db upgrade`) disables the
    # loggers that exist at that moment; ours must keep writing in the same process.
    for name, other in list(logging.root.manager.loggerDict.items()):
        if (name == LOGGER or name.startswith(LOGGER + ".")) and isinstance(other, logging.Logger):
            other.disabled = False
    if not any(isinstance(handler, _StandardOutput) for handler in logger.handlers):
        handler = _StandardOutput()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    return logger


def init_app(app) -> None:
    """Before anything touches `app.logger`: Flask then adds no stderr handler of its own."""
    configure(app.config["LOG_LEVEL"])
