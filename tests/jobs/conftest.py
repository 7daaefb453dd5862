"""The scheduled jobs: the SMTP server fixture of tests/mail serves here too."""

from tests.mail.conftest import smtp  # noqa: F401
