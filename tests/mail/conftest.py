"""A real SMTP server on loopback (aiosmtpd) that the app delivers to."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Collects what the SMTP server received: raw bytes and parsed messages."""

    def __init__(self):
        self.raw: list[bytes] = []
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content or envelope.content)
        self.envelopes.append(envelope)
        return "250 Message accepted"

    @property
    def messages(self):
        return [message_from_bytes(raw, policy=policy.default) for raw in self.raw]

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app):
    server = SmtpServer(free_port())
    server.start()
    previous = {k: app.config.get(k) for k in ("MAIL_SMTP_HOST", "MAIL_SMTP_PORT",
                                                "MAIL_SMTP_STARTTLS", "BASE_URL")}
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port,
                      MAIL_SMTP_STARTTLS=False, MAIL_SMTP_TIMEOUT=5,
                      BASE_URL="https://caseload.example.org")
    yield server
    server.stop()
    app.config.update(previous)


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
