"""Files that come with a request: parsed, stored within the caps, read, shown, downloaded."""

import base64
from email.message import EmailMessage

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.documents import make_docx, make_pdf
from triage import documents, mail
from triage.models import Attachment, CandidateRequest, QuarantinedMessage
from triage.services import intake, verdicts

MB = 1024 * 1024


def request_mail(
    *files: tuple[str, str, bytes],
    body="Hello, I would like to introduce myself.",
    subject="Introduction",
    sender="Ada Lovelace <ada@mail.example>",
    message_id="<cv-1@mail.example>",
    **headers,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "rita@acme-orbital.example"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 03 Mar 2025 09:15:00 +0000"
    msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    for filename, content_type, content in files:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


# --- Parsing ---------------------------------------------------------------------------------


def test_a_message_without_files_has_no_attachments():
    assert mail.parse_email(request_mail()).attachments == ()


def test_it_reads_each_file_with_its_decoded_name_type_and_bytes():
    pdf = make_pdf("Ada Lovelace")
    parsed = mail.parse_email(
        request_mail(
            ("Lebenslauf Zoë.pdf", "application/pdf", pdf), ("notes.txt", "text/plain", b"hi")
        )
    )

    assert [(a.filename, a.content_type, a.content) for a in parsed.attachments] == [
        ("Lebenslauf Zoë.pdf", "application/pdf", pdf),
        ("notes.txt", "text/plain", b"hi"),
    ]
    assert parsed.text == "Hello, I would like to introduce myself."


def multipart(disposition: bytes) -> bytes:
    return (
        b"From: a@mail.example\nSubject: x\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=XX\n\n"
        b"--XX\nContent-Type: text/plain\n\nSee my CV.\n"
        b"--XX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        + disposition
        + b"\n\n"
        + base64.b64encode(b"%PDF-1.4 x")
        + b"\n--XX--\n"
    )


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        # RFC 2231, as standard mailers write it
        (
            b"Content-Disposition: attachment; filename*=utf-8''R%C3%A9sum%C3%A9%20Zo%C3%AB.pdf",
            "Résumé Zoë.pdf",
        ),
        # RFC 2047 inside the parameter, as Outlook and Gmail write it
        (
            b'Content-Disposition: attachment; filename="=?UTF-8?B?'
            + base64.b64encode("Résumé Zoë.pdf".encode())
            + b'?="',
            "Résumé Zoë.pdf",
        ),
        # raw 8-bit UTF-8, no encoding at all
        ('Content-Disposition: attachment; filename="Résumé Zoë.pdf"'.encode(), "Résumé Zoë.pdf"),
        # a path is never kept: only the last component
        (b'Content-Disposition: attachment; filename="../../etc/passwd"', "passwd"),
        (b'Content-Disposition: attachment; filename="C:\\\\Users\\\\ada\\\\cv.pdf"', "cv.pdf"),
        # no name at all: one is made up from the type
        (b"Content-Disposition: attachment", "attachment-1.pdf"),
    ],
)
def test_file_names_are_decoded_and_made_safe(disposition, expected):
    parsed = mail.parse_email(multipart(disposition))

    assert [a.filename for a in parsed.attachments] == [expected]
    assert parsed.attachments[0].content == b"%PDF-1.4 x"
    assert parsed.text == "See my CV."


def test_a_message_that_is_only_a_file_is_still_a_request():
    raw = (
        b"From: a@mail.example\nSubject: CV\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=XX\n\n"
        b"--XX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=cv.pdf\n\n"
        b"%PDF-1.4\n--XX--\n"
    )
    parsed = mail.parse_email(raw)

    assert parsed.text == ""
    assert [a.filename for a in parsed.attachments] == ["cv.pdf"]


# --- Reading résumés -------------------------------------------------------------------------


def test_it_reads_the_text_of_a_real_pdf_docx_and_txt():
    pdf = make_pdf("Ada Lovelace", "Orbit determination since 2015")
    docx = make_docx("Grace Hopper", "Compilers", table=[["Skill", "Rust"]])

    assert documents.extract_text(pdf, filename="cv.pdf", max_chars=1000) == (
        "Ada Lovelace\nOrbit determination since 2015",
        "",
    )
    assert documents.extract_text(docx, filename="cv.docx", max_chars=1000) == (
        "Grace Hopper\nCompilers\nSkill\nRust",
        "",
    )
    assert documents.extract_text("Zoë\r\n".encode(), filename="cv.txt", max_chars=1000) == (
        "Zoë",
        "",
    )


def test_the_text_is_cut_at_the_cap():
    text, error = documents.extract_text(b"x" * 5000, filename="cv.txt", max_chars=100)
    assert (len(text), error) == (100, "")


@pytest.mark.parametrize(
    ("content", "filename", "error"),
    [
        (make_pdf("Ada")[:300], "cv.pdf", "could not read the PDF file: "),
        (b"%PDF-1.7\n garbage \x00\x01", "cv.pdf", "could not read the PDF file: "),
        (make_docx("Ada")[:600], "cv.docx", "could not read it: the content is not a Word"),
        (b"\x89PNG\r\n\x1a\n\x00", "cv.pdf", "could not read it: the content is not a PDF"),
    ],
)
def test_a_broken_file_gives_a_reason_never_an_exception(content, filename, error):
    text, reason = documents.extract_text(content, filename=filename, max_chars=1000)
    assert text == ""
    assert reason.startswith(error)


def test_files_that_are_not_resumes_give_no_text_and_no_error():
    assert documents.extract_text(b"\x89PNG\r\n\x1a\n\x00", filename="me.png", max_chars=99) == (
        "",
        "",
    )
    assert documents.extract_text(b"BEGIN:VCALENDAR", filename="invite.ics", max_chars=99) == (
        "",
        "",
    )


def test_kinds_are_judged_by_content_not_by_name():
    assert documents.sniff(make_pdf("x")) is documents.Kind.PDF
    assert documents.sniff(make_docx("x")) is documents.Kind.DOCX
    assert documents.sniff("Zoë".encode()) is documents.Kind.TXT
    assert documents.sniff(b"\x89PNG\r\n\x1a\n\x00") is None
    assert documents.sniff(b"PK\x03\x04not a zip") is None
    assert documents.sniff(b"text with a NUL \x00 byte") is None


# --- Intake ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_intake_stores_each_file_with_its_text_under_the_media_root(profile, media_root):
    pdf = make_pdf("Ada Lovelace", "Orbit determination")
    summary = intake.ingest_sources(
        [("cv.eml", request_mail(("Ada CV.pdf", "application/pdf", pdf)))]
    )

    assert summary.new == 1
    attachment = Attachment.objects.get()
    assert attachment.message.request == CandidateRequest.objects.get()
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "Ada CV.pdf",
        "application/pdf",
        len(pdf),
    )
    assert attachment.text == "Ada Lovelace\nOrbit determination"
    assert attachment.extraction_error == "" and attachment.refused_reason == ""
    path = media_root / attachment.file.name
    assert path.read_bytes() == pdf
    assert attachment.file.name.startswith("attachments/") and path.name == "Ada_CV.pdf"


@pytest.mark.django_db
def test_a_file_over_the_cap_is_refused_but_recorded(profile, settings, media_root):
    settings.ATTACHMENT_MAX_BYTES = 1 * MB
    big = b"x" * (MB + 1)
    small = make_pdf("Ada")
    intake.ingest_sources(
        [
            (
                "m.eml",
                request_mail(("video.mp4", "video/mp4", big), ("cv.pdf", "application/pdf", small)),
            )
        ]
    )

    refused, kept = Attachment.objects.order_by("pk")
    assert (refused.filename, refused.size, refused.is_stored) == ("video.mp4", MB + 1, False)
    assert refused.refused_reason == "not kept: 1 MB is over the 1 MB limit for one file"
    assert kept.is_stored and kept.refused_reason == ""
    stored = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == ["cv.pdf"]


@pytest.mark.django_db
def test_files_past_the_per_message_cap_are_refused_in_order(profile, settings, media_root):
    settings.ATTACHMENT_MAX_BYTES = 2 * MB
    settings.ATTACHMENTS_PER_MESSAGE_MAX_BYTES = 3 * MB
    files = [(f"part{n}.bin", "application/octet-stream", bytes([n]) * (MB + 10)) for n in range(3)]
    intake.ingest_sources([("m.eml", request_mail(*files))])

    rows = list(Attachment.objects.order_by("pk"))
    assert [row.is_stored for row in rows] == [True, True, False]
    assert rows[2].refused_reason == (
        "not kept: the files of this message would pass the 3 MB limit for one message"
    )
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 2


@pytest.mark.django_db
def test_a_broken_pdf_is_kept_with_the_reason_and_the_message_goes_in(profile):
    summary = intake.ingest_sources(
        [("m.eml", request_mail(("cv.pdf", "application/pdf", b"%PDF-1.4 broken \x00")))]
    )

    assert summary.new == 1 and summary.quarantined == []
    assert not QuarantinedMessage.objects.exists()
    attachment = Attachment.objects.get()
    assert attachment.is_stored and attachment.text == ""
    assert attachment.extraction_error.startswith("could not read the PDF file: ")


@pytest.mark.django_db
def test_the_rules_read_the_resume_and_say_so(profile):
    resume = make_pdf("Experience", "Orbit determination for GPS satellites, 8 years")
    intake.ingest_sources(
        [
            (
                "m.eml",
                request_mail(
                    ("Ada CV.pdf", "application/pdf", resume),
                    body="Hello! I am relocating to Denver next year and not applying yet.",
                ),
            )
        ]
    )

    request = CandidateRequest.objects.get()
    assert request.suggested_rule == "relevant_skills_no_job_ask"
    assert request.final_bucket == "network"
    assert {
        "text": "Mentions hard-to-fill skill: orbit determination, from the attached résumé "
        "(Ada CV.pdf)",
        "evidence": ["Orbit determination"],
    } in request.reasons


@pytest.mark.django_db
def test_without_the_resume_the_same_words_go_to_the_funnel(profile):
    intake.ingest_sources(
        [("m.eml", request_mail(body="Hello! I am relocating to Denver next year."))]
    )
    assert CandidateRequest.objects.get().final_bucket == "funnel"


@pytest.mark.django_db
def test_a_follow_up_with_a_resume_is_threaded_and_triaged_again(profile):
    first = request_mail(body="Hello! I am relocating to Denver next year.")
    follow_up = request_mail(
        ("cv.docx", documents.Kind.DOCX.content_type, make_docx("Rust and embedded C")),
        body="Here is my CV, as promised.",
        subject="Re: Introduction",
        message_id="<cv-2@mail.example>",
        In_Reply_To="<cv-1@mail.example>",
    )
    summary = intake.ingest_sources([("1.eml", first), ("2.eml", follow_up)])

    assert (summary.new, summary.threaded) == (1, 1)
    request = CandidateRequest.objects.get()
    assert request.final_bucket == "network"
    assert any("from the attached résumé (cv.docx)" in r["text"] for r in request.reasons)
    assert Attachment.objects.get().message.message_id == "<cv-2@mail.example>"


@pytest.mark.django_db
def test_files_written_by_a_failed_store_are_deleted_again(profile, media_root, monkeypatch):
    """The database rolls back; storage must not keep a file no row points to."""

    def fail(*args, **kwargs):
        raise RuntimeError("disk full of surprises")

    monkeypatch.setattr(verdicts, "apply_verdict", fail)
    first = request_mail(body="Hello")
    follow_up = request_mail(
        ("cv.pdf", "application/pdf", make_pdf("Ada")),
        subject="Re: Introduction",
        message_id="<cv-2@mail.example>",
        In_Reply_To="<cv-1@mail.example>",
    )
    monkeypatch.undo()
    intake.ingest_sources([("1.eml", first)])
    monkeypatch.setattr(verdicts, "apply_verdict", fail)
    summary = intake.ingest_sources([("2.eml", follow_up)])

    assert [reason for _, reason in summary.quarantined] == [
        "could not store the message: disk full of surprises"
    ]
    assert not Attachment.objects.exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


# --- The request page, the inbox and the download -----------------------------------------


@pytest.fixture
def request_with_files(profile, settings):
    settings.ATTACHMENT_MAX_BYTES = MB
    files = (
        ("Ada CV.pdf", "application/pdf", make_pdf("Orbit determination", "Rust")),
        ("page.html", "text/html", b"<script>alert(1)</script>"),
        ("huge.zip", "application/zip", b"x" * (MB + 1)),
    )
    intake.ingest_sources([("m.eml", request_mail(*files))])
    return CandidateRequest.objects.get()


@pytest.mark.django_db
def test_the_request_page_lists_files_with_size_type_download_and_text(
    recruiter_client, request_with_files
):
    html = recruiter_client.get(reverse("triage:request", args=[request_with_files.pk])).content
    html = html.decode()

    pdf, _page, huge = Attachment.objects.order_by("pk")
    assert "Attachments (3)" in html
    assert "Ada CV.pdf" in html and "application/pdf" in html
    assert reverse("triage:attachment", args=[pdf.pk]) in html
    assert reverse("triage:attachment", args=[huge.pk]) not in html
    assert "Not kept: 1 MB is over the 1 MB limit for one file." in html
    assert "Show the text read from this file" in html
    assert "<mark>Orbit determination</mark>" in html  # the evidence, highlighted in the text


@pytest.mark.django_db
def test_the_inbox_shows_the_file_names(recruiter_client, request_with_files):
    response = recruiter_client.get(reverse("triage:inbox") + "?bucket=funnel")
    (row,) = response.context["page"]
    assert sorted(row.attachment_names.split(", ")) == ["Ada CV.pdf", "huge.zip", "page.html"]
    assert "Ada CV.pdf" in response.content.decode()


@pytest.mark.django_db
def test_a_download_is_an_attachment_with_a_neutral_type(recruiter_client, request_with_files):
    page = Attachment.objects.get(filename="page.html")
    response = recruiter_client.get(reverse("triage:attachment", args=[page.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.django_db
def test_a_download_keeps_a_non_ascii_name(recruiter_client, profile):
    intake.ingest_sources([("m.eml", request_mail(("Zoë.txt", "text/plain", b"hi")))])
    response = recruiter_client.get(
        reverse("triage:attachment", args=[Attachment.objects.get().pk])
    )
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Zo%C3%AB.txt"


@pytest.mark.django_db
def test_a_download_needs_a_login(client, request_with_files):
    pdf = Attachment.objects.get(filename="Ada CV.pdf")
    response = client.get(reverse("triage:attachment", args=[pdf.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_a_refused_or_vanished_file_is_not_found(recruiter_client, request_with_files):
    huge = Attachment.objects.get(filename="huge.zip")
    assert recruiter_client.get(reverse("triage:attachment", args=[huge.pk])).status_code == 404
    pdf = Attachment.objects.get(filename="Ada CV.pdf")
    default_storage.delete(pdf.file.name)
    assert recruiter_client.get(reverse("triage:attachment", args=[pdf.pk])).status_code == 404
