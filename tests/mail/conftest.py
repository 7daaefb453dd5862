"""A real SMTP server on loopback (aiosmtpd) that the app delivers to."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Collects what the SMTP server received: raw bytes and parsed messages. Tests make it
    behave like a real server that refuses or stalls: `rcpt_replies` answers RCPT for given
    addresses (e.g. '550 5.1.1 No such user'), `data_replies` answers the end of DATA for
    given recipients, `data_delay` seconds pass before that answer, and `received` is set as
    soon as a message's text is in (before the answer)."""

    def __init__(self):
        self.raw: list[bytes] = []
        self.envelopes = []
        self.rcpt_replies: dict[str, str] = {}
        self.data_replies: dict[str, str] = {}
        self.data_delay = 0.0
        self.received = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = self.data_replies.get(envelope.rcpt_tos[0], "250 Message accepted")
        if reply.startswith("250"):
            self.raw.append(envelope.original_content or envelope.content)
            self.envelopes.append(envelope)
        self.received.set()
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return reply

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

    def start(self, attempts: int = 5):
        """Listen on self.port; if another process took that port between free_port() and
        the bind (the suite runs in several processes), on another free one."""
        for attempt in range(attempts):
            controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            try:
                controller.start()
            except OSError:
                if attempt == attempts - 1:
                    raise
                self.port = free_port()
            else:
                self.controller = controller
                return

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
