"""Outgoing mail backends: .eml files locally, and SMTP that knows whether the server got DATA."""

import smtplib
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, file_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(file_path or "var/outbox")

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            mime = message.message()
            message_id = str(mime["Message-ID"] or "").strip("<>").replace("/", "_")
            name = message_id or f"message-{id(message)}"
            (self.directory / f"{name}.eml").write_bytes(mime.as_bytes())
            sent += 1
        return sent


class DeliveryUnknown(Exception):
    """The connection failed after the message went out with DATA: the server may have it.

    Sending it again blindly could email the person twice, so the reply becomes "unknown:
    check before resending" instead of being retried."""

    def __init__(self, cause: BaseException):
        super().__init__(f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__)
        self.cause = cause


class DataTrackingSMTP(smtplib.SMTP):
    """smtplib.SMTP that remembers whether DATA was started for the current message."""

    data_started = False

    def mail(self, *args, **kwargs):
        self.data_started = False  # a new message on this connection
        return super().mail(*args, **kwargs)

    def data(self, msg):
        self.data_started = True
        return super().data(msg)


class DataTrackingSMTPSSL(smtplib.SMTP_SSL, DataTrackingSMTP):
    pass


# A connection lost or timed out: before DATA nothing was handed over (safe to retry); after
# it the server may have queued the message.
LOST_CONNECTION = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, raising DeliveryUnknown for a connection lost after DATA."""

    @property
    def connection_class(self):
        return DataTrackingSMTPSSL if self.use_ssl else DataTrackingSMTP

    def _send(self, email_message):
        try:
            return super()._send(email_message)
        except LOST_CONNECTION as error:
            if getattr(self.connection, "data_started", False):
                # The connection is dead either way; drop it so close() does not try QUIT.
                self.connection = None
                raise DeliveryUnknown(error) from error
            raise
