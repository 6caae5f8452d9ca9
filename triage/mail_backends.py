"""The local default for outgoing mail: one .eml file per message, readable in any mail client."""

from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


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
