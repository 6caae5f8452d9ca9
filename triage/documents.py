"""Files in, text out: what kind a file really is, and the words in a résumé.

Pure functions, no database or settings (limits are passed in), so they can run anywhere.
A file is judged by its bytes, never by its name alone: "cv.pdf" may be anything. Reading a
broken or hostile file gives an error to record, never an exception for the caller."""

from __future__ import annotations

import io
import logging
import zipfile
from enum import StrEnum
from pathlib import PurePath
from typing import NamedTuple

from triage.mail import decode_bytes


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"

    @property
    def label(self) -> str:
        return {Kind.PDF: "PDF", Kind.DOCX: "Word (.docx)", Kind.TXT: "plain text"}[self]

    @property
    def content_type(self) -> str:
        return {
            Kind.PDF: "application/pdf",
            Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind.TXT: "text/plain",
        }[self]


EXTENSIONS = {".pdf": Kind.PDF, ".docx": Kind.DOCX, ".txt": Kind.TXT}

# A .docx is a zip of XML; one that unpacks to more than this is a zip bomb, not a résumé.
MAX_UNPACKED_DOCX = 50 * 1024 * 1024
# Reading stops after this many pages: a résumé is short, and text beyond the cap is cut anyway.
MAX_PDF_PAGES = 50


def sniff(content: bytes) -> Kind | None:
    """What the bytes are (PDF, DOCX or plain text), or None for anything else."""
    # From byte 0 only: readers accept the header anywhere in the first kilobyte, so a file
    # can be a program for one reader and a "PDF" for another (a polyglot).
    if content.startswith(b"%PDF-"):
        return Kind.PDF
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return Kind.DOCX if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    if _is_text(content):
        return Kind.TXT
    return None


def _is_text(content: bytes) -> bool:
    """UTF-8 (or UTF-16 with a BOM) text without control characters other than whitespace."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


class Extracted(NamedTuple):
    text: str
    error: str  # why no text could be read; "" when it was


def extract_text(content: bytes, *, filename: str, max_chars: int) -> Extracted:
    """The words in a PDF, DOCX or text file, cut at `max_chars`.

    Other kinds give no text and no error (a photo has no words to read). A file that
    claims to be a PDF or DOCX but cannot be read gives the reason."""
    kind = sniff(content)
    claimed = EXTENSIONS.get(PurePath(filename.lower()).suffix)
    if kind is None and claimed in (Kind.PDF, Kind.DOCX):
        # Named like a résumé but unreadable (cut short, or not what it says): say so.
        return Extracted("", f"could not read it: the content is not a {claimed.label} file")
    if kind is None:
        return Extracted("", "")
    if kind is Kind.TXT and not filename.lower().endswith((".txt", ".text", ".md")):
        return Extracted("", "")  # text, but not a résumé (a calendar invite, a CSV)
    try:
        text = {Kind.PDF: _pdf_text, Kind.DOCX: _docx_text, Kind.TXT: _txt_text}[kind](
            content, max_chars
        )
    except Exception as error:  # a broken file is the sender's problem, never ours
        return Extracted("", f"could not read the {kind.label} file: {_describe(error)}")
    # NUL never belongs in text, and PostgreSQL refuses to store it.
    return Extracted(text.replace("\x00", "").strip()[:max_chars], "")


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _pdf_text(content: bytes, max_chars: int) -> str:
    from pypdf import PdfReader  # imported here: most mail has no PDF, and intake stays quick

    # pypdf logs every oddity of a damaged file as a warning; the result says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("the PDF is password-protected")
    texts, length = [], 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        texts.append(page.extract_text() or "")
        length += len(texts[-1])
        if length >= max_chars:
            break
    return "\n\n".join(texts)


def _docx_text(content: bytes, max_chars: int) -> str:
    import docx  # python-docx; imported here for the same reason as pypdf

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_DOCX:
            raise ValueError("it unpacks to more than 50 MB")
    document = docx.Document(io.BytesIO(content))
    lines, length = [], 0
    blocks = [p.text for p in document.paragraphs]
    blocks += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for block in blocks:
        lines.append(block)
        length += len(block)
        if length >= max_chars:
            break
    return "\n".join(lines)


def _txt_text(content: bytes, max_chars: int) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    return decode_bytes(content.removeprefix(b"\xef\xbb\xbf"), None)
