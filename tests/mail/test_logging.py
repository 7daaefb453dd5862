"""Logging is configured app-wide: one format on standard output, the level from
CASELOAD_LOG_LEVEL, and the mail sender's lines name the message, never what it says."""

from __future__ import annotations

import logging

import pytest

from caseload import app_logging, config
from caseload.jobs.mail_jobs import send_outbox
from tests.mail.test_sender_failures import queued


@pytest.fixture
def restore_level():
    logger = logging.getLogger("caseload")
    level = logger.level
    yield logger
    logger.setLevel(level)


def test_the_level_comes_from_caseload_log_level(monkeypatch, tmp_path, restore_level):
    monkeypatch.setenv("CASELOAD_INSTANCE", str(tmp_path))
    assert config.from_environment()["LOG_LEVEL"] == "INFO"
    monkeypatch.setenv("CASELOAD_LOG_LEVEL", "warning")
    assert config.from_environment()["LOG_LEVEL"] == "WARNING"
    monkeypatch.setenv("CASELOAD_LOG_LEVEL", "chatty")
    with pytest.raises(ValueError, match="CASELOAD_LOG_LEVEL"):
        config.from_environment()


def test_app_logger_and_jobs_write_one_format_to_standard_output(app, capsys, restore_level):
    app_logging.configure("INFO")
    app.logger.info("hello from the app")
    logging.getLogger("caseload.jobs").info("hello from a job")
    logging.getLogger("caseload.jobs").debug("not at INFO")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 2)[2] for line in out] == [
        "INFO caseload: hello from the app", "INFO caseload.jobs: hello from a job"]
    app_logging.configure("WARNING")
    app.logger.info("quiet now")
    assert capsys.readouterr().out == ""
    assert sum(isinstance(h, app_logging._StandardOutput)
               for h in logging.getLogger("caseload").handlers) == 1


def test_mail_sending_logs_the_message_id_and_kind_only(app, build, smtp, capsys,
                                                        restore_level):
    app_logging.configure("INFO")
    sent = queued(build, "a@example.org", "Caseload: C-7 due")
    poison = queued(build, "b@example.org", "Caseload: Jan de Vries\nC-1", kind="follow_along_reminder")
    send_outbox()
    out = capsys.readouterr().out
    assert f"INFO caseload.mail: mail {sent.id} (worker_digest) sent" in out
    assert f"WARNING caseload.mail: mail {poison.id} (follow_along_reminder) failed: ValueError" in out
    assert "Jan de Vries" not in out and "C-7" not in out and "text for" not in out
