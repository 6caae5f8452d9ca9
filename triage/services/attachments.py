"""Files that come with a request: keep them (within the size caps), read résumés, and
forget them with the person.

Files go through Django's storage API (settings.STORAGES["default"], under MEDIA_ROOT by
default), never served by URL: only the download view, behind the login, hands them out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from triage import documents, mail
from triage.models import Attachment, Message


@dataclass(frozen=True)
class Prepared:
    """An attachment decided on (kept or refused, its text read) but not yet written."""

    row: Attachment  # unsaved; its message is set when stored
    content: bytes


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


def prepare(attachments: Iterable[mail.ParsedAttachment]) -> list[Prepared]:
    """Apply the caps and read the text of each file. Writes nothing, so the rules can read
    the résumé before the request is saved.

    Files are kept in the order they came until the per-message cap is reached; a file over
    the per-file cap, or one that would pass the message's cap, is refused with the reason."""
    per_file = settings.ATTACHMENT_MAX_BYTES
    per_message = settings.ATTACHMENTS_PER_MESSAGE_MAX_BYTES
    kept_bytes = 0
    prepared = []
    for attachment in attachments:
        refused = ""
        if attachment.size > per_file:
            refused = f"not kept: {_megabytes(attachment.size)} is over the "
            refused += f"{_megabytes(per_file)} limit for one file"
        elif kept_bytes + attachment.size > per_message:
            refused = "not kept: the files of this message would pass the "
            refused += f"{_megabytes(per_message)} limit for one message"
        else:
            kept_bytes += attachment.size
        extracted = (
            documents.Extracted("", "")
            if refused
            else documents.extract_text(
                attachment.content,
                filename=attachment.filename,
                max_chars=settings.ATTACHMENT_TEXT_MAX_CHARS,
            )
        )
        row = Attachment(
            filename=attachment.filename[:255],
            content_type=attachment.content_type[:255],
            size=attachment.size,
            refused_reason=refused,
            text=extracted.text,
            extraction_error=extracted.error[:500],
        )
        prepared.append(Prepared(row=row, content=b"" if refused else attachment.content))
    return prepared


def store(*, message: Message, prepared: Iterable[Prepared]) -> list[Attachment]:
    """Write the kept files to storage and the rows to the database. Call it inside
    `files_removed_on_error()`, so a rollback leaves no file behind that no row points to."""
    rows = []
    for item in prepared:
        item.row.message = message
        if not item.row.refused_reason:
            item.row.file.save(item.row.filename, ContentFile(item.content), save=False)
            if (written := _written.get()) is not None:
                written.append(item.row.file.name)
        item.row.save()
        rows.append(item.row)
    return rows


# The files written inside the innermost files_removed_on_error() block.
_written: ContextVar[list[str] | None] = ContextVar("attachment_files_written", default=None)


@contextmanager
def files_removed_on_error() -> Iterator[None]:
    """Storage is not part of the database transaction: when the block raises (and so its
    transaction rolls back), delete the files written inside it. Put it outside the
    transaction.atomic() it guards, so a failed commit counts too. Blocks nest."""
    outer = _written.get()
    written: list[str] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)  # the enclosing block may still roll back


def delete_files(attachments) -> int:
    """Delete the stored files of these attachments once the deletion of their rows commits
    (a rollback keeps both). Returns how many files will be deleted."""
    names = list(attachments.exclude(file="").values_list("file", flat=True))
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return len(names)
