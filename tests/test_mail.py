"""Raw email in, plain data out: parsing real-world mail without the database."""

import mailbox
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from triage.mail import (
    MailParseError,
    ParsedEmail,
    decode_bytes,
    html_to_text,
    iter_sources,
    new_text,
    parse_email,
)
from triage.rules import Address

DATA = Path(__file__).parent / "data"


def message(body: str = "Hello there.", **headers: str) -> EmailMessage:
    """A plain-text message with the given headers (underscores become hyphens)."""
    msg = EmailMessage()
    for name, value in {"From": "Sam Sender <sam@mail.example>", **headers}.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def raw_message(body: bytes, content_type: str | None, *, cte: str = "8bit") -> bytes:
    """A message built as bytes, so the body can hold any bytes in any (or no) charset."""
    head = [b"From: Sam Sender <sam@mail.example>", b"Subject: Bytes", b"MIME-Version: 1.0"]
    if content_type is not None:
        head.append(b"Content-Type: " + content_type.encode())
    head.append(b"Content-Transfer-Encoding: " + cte.encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def assert_readable_or_explained(raw: bytes, *words: str) -> None:
    """Broken input may be parsed or refused with a reason, never crash with anything else."""
    try:
        parsed = parse_email(raw)
    except MailParseError as error:
        assert str(error).strip(), "a MailParseError must say why"
        return
    for word in words:
        assert word in parsed.text
    assert "\ufffd" not in parsed.text


# --- Bodies ------------------------------------------------------------------------------


def test_it_picks_the_plain_part_of_a_multipart_alternative():
    msg = MIMEMultipart("alternative")
    msg["From"] = "Sam Sender <sam@mail.example>"
    msg["Subject"] = "Both kinds"
    msg.attach(MIMEText("The plain words.\n", "plain", "utf-8"))
    msg.attach(MIMEText("<p>The <b>HTML</b> words.</p>", "html", "utf-8"))

    parsed = parse_email(msg.as_bytes())

    assert parsed.text == "The plain words."


def test_it_finds_the_plain_part_inside_mixed_with_an_attachment():
    msg = message("My letter, with a CV attached.")
    msg.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="cv.pdf")

    parsed = parse_email(msg.as_bytes())

    assert parsed.text == "My letter, with a CV attached."


def test_it_turns_an_html_only_body_into_readable_text():
    msg = message()
    msg.set_content(
        "<html><head><style>p { color: red; }</style></head><body>"
        "<h1>Hello Rita</h1><p>I build <b>flight software</b> in <i>Rust</i>.</p>"
        '<p>See <a href="https://sam.example/work">my portfolio</a>.</p>'
        '<img src="https://sam.example/pixel.gif" alt="tracking pixel"></body></html>',
        subtype="html",
    )

    text = parse_email(msg.as_bytes()).text

    assert "Hello Rita" in text
    assert "I build flight software in Rust." in text
    assert "my portfolio" in text
    assert "<" not in text.replace("<https", "")  # no tags left
    assert "color: red" not in text
    assert "tracking pixel" not in text


def test_it_converts_html_without_emphasis_markers_or_hard_wrapping():
    long_line = "word " * 60
    text = html_to_text(f"<p><b>Bold</b> and <em>em</em> {long_line}</p>")

    assert text.startswith("Bold and em word")
    assert "*" not in text and "_" not in text
    assert "\n" not in text


def test_it_fails_with_a_reason_when_only_an_attachment_is_left():
    msg = MIMEMultipart("mixed")
    msg["From"] = "sam@mail.example"
    part = MIMEText("not a body", "plain")
    part.replace_header("Content-Type", "application/octet-stream")
    msg.attach(part)

    with pytest.raises(MailParseError, match="no text or HTML part"):
        parse_email(msg.as_bytes())


# --- Charsets ----------------------------------------------------------------------------


def test_it_reads_a_correctly_declared_iso_8859_1_body():
    raw = raw_message(
        "Un café à Zürich, merci.".encode("iso-8859-1"), "text/plain; charset=iso-8859-1"
    )

    assert parse_email(raw).text == "Un café à Zürich, merci."


@pytest.mark.parametrize(
    "content_type",
    ["text/plain; charset=us-ascii", "text/plain", None],
    ids=["declared-us-ascii", "no-charset", "no-content-type"],
)
def test_it_shows_windows_1252_bytes_right_when_the_charset_is_wrong_or_missing(content_type):
    body = "I\u2019m Ren\u00e9 \u2013 \u201cflight software\u201d \u20ac5".encode("cp1252")

    text = parse_email(raw_message(body, content_type)).text

    assert text == "I\u2019m Ren\u00e9 \u2013 \u201cflight software\u201d \u20ac5"


def test_it_shows_utf_8_bytes_mislabelled_as_iso_8859_1_right():
    raw = raw_message("Zoë says “hi” \u2013 café".encode(), "text/plain; charset=iso-8859-1")

    text = parse_email(raw).text

    assert text == "Zoë says “hi” \u2013 café"
    assert "Ã" not in text


def test_it_shows_windows_1252_smart_quotes_labelled_iso_8859_1_right():
    raw = raw_message(
        "I\u2019m \u201cready\u201d".encode("cp1252"), "text/plain; charset=iso-8859-1"
    )

    assert parse_email(raw).text == "I\u2019m \u201cready\u201d"


def test_it_reads_a_body_with_an_unknown_charset_name_without_crashing():
    raw = raw_message("Zoë\u2019s café".encode(), "text/plain; charset=x-unknown")

    assert parse_email(raw).text == "Zoë\u2019s café"


def test_it_reads_quoted_printable_and_base64_bodies():
    qp = raw_message(
        b"caf=C3=A9 and a soft=\r\n break", "text/plain; charset=utf-8", cte="quoted-printable"
    )
    b64 = raw_message(b"WmHDqyBzYXlzIGhp", "text/plain; charset=utf-8", cte="base64")

    assert parse_email(qp).text == "café and a soft break"
    assert parse_email(b64).text == "Zaë says hi"


@pytest.mark.parametrize(
    ("payload", "declared", "expected"),
    [
        ("naïve".encode(), "iso-8859-1", "naïve"),
        ("naïve".encode("iso-8859-1"), "iso-8859-1", "naïve"),
        ("naïve".encode("cp1252"), None, "naïve"),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
        ("日本語".encode("shift_jis"), "Shift_JIS", "日本語"),
        ("naïve".encode(), "no-such-charset", "naïve"),
        # Said UTF-8, is nothing readable: replacement characters for the bad bytes, no crash.
        (b"\x81\x8d\xff", "utf-8", "\ufffd\ufffd\ufffd"),
    ],
)
def test_it_decodes_bytes_trusting_only_specific_charsets(payload, declared, expected):
    assert decode_bytes(payload, declared) == expected


# --- Headers -----------------------------------------------------------------------------


def test_it_decodes_rfc_2047_names_and_subjects():
    raw = (
        b"From: =?utf-8?q?Zo=C3=AB_Lamarck?= <Zoe@Lamarck.Example>\r\n"
        b"To: =?iso-8859-1?q?Ren=E9_Dubois?= <rene@rene.example>\r\n"
        b"Subject: =?utf-8?b?Q2Fmw6kg4oCTIHF1aWNrIHF1ZXN0aW9u?=\r\n"
        b"\r\n"
        b"Hi\r\n"
    )

    parsed = parse_email(raw)

    assert parsed.sender == Address(name="Zoë Lamarck", email="zoe@lamarck.example")
    assert parsed.to == (Address(name="René Dubois", email="rene@rene.example"),)
    assert parsed.subject == "Café \u2013 quick question"


def test_it_joins_a_folded_subject_onto_one_line():
    raw = b"From: sam@mail.example\r\nSubject: A long\r\n   folded\r\n\tsubject\r\n\r\nHi\r\n"

    assert parse_email(raw).subject == "A long folded subject"


def test_it_lower_cases_to_and_cc_addresses_and_keeps_their_names():
    msg = message(
        To='Rita Recruiter <Rita@Acme-Orbital.EXAMPLE>, "Roe, Rick" <RICK@Mail.Example>',
        Cc="Omar Known <Omar@Known.Example>, plain@NoName.Example",
    )

    parsed = parse_email(msg.as_bytes())

    assert parsed.to == (
        Address(name="Rita Recruiter", email="rita@acme-orbital.example"),
        Address(name="Roe, Rick", email="rick@mail.example"),
    )
    assert parsed.cc == (
        Address(name="Omar Known", email="omar@known.example"),
        Address(name="", email="plain@noname.example"),
    )


def test_it_lower_cases_the_sender_address():
    parsed = parse_email(message(From="Dana <Dana.Plain@Mail.EXAMPLE>").as_bytes())

    assert parsed.sender == Address(name="Dana", email="dana.plain@mail.example")


def test_it_keeps_the_message_id_and_the_date_as_an_aware_datetime():
    msg = message(Message_ID="<abc.123@mail.example>", Date="Mon, 03 Mar 2025 09:15:00 -0500")

    parsed = parse_email(msg.as_bytes())

    assert parsed.message_id == "<abc.123@mail.example>"
    assert parsed.date == datetime(2025, 3, 3, 14, 15, tzinfo=UTC)
    assert parsed.date.utcoffset() == timedelta(hours=-5)


def test_it_gives_none_when_there_is_no_message_id_or_date():
    parsed = parse_email(message().as_bytes())

    assert parsed.message_id is None
    assert parsed.date is None


def test_it_gives_no_date_for_an_unparseable_date_header():
    parsed = parse_email(message(Date="sometime next week").as_bytes())

    assert parsed.date is None
    assert parsed.text == "Hello there."


@pytest.mark.parametrize("date", ["Mon, 03 Mar 2025 09:15:00 -0000", "Mon, 03 Mar 2025 09:15:00"])
def test_it_reads_a_date_without_a_usable_zone_as_utc(date):
    parsed = parse_email(message(Date=date).as_bytes())

    assert parsed.date == datetime(2025, 3, 3, 9, 15, tzinfo=UTC)
    assert parsed.date.tzinfo is not None


def test_it_reads_unencoded_latin_1_bytes_in_the_from_name_and_subject():
    raw = b"From: Zo\xe9 Lamarck <zoe@lamarck.example>\r\nSubject: Caf\xe9 chat\r\n\r\nHi\r\n"

    parsed = parse_email(raw)

    assert parsed.sender.name == "Zoé Lamarck"
    assert parsed.subject == "Café chat"


# --- Refusals and broken MIME ------------------------------------------------------------


def test_it_refuses_a_message_without_from_and_says_the_sender_is_missing():
    raw = b"To: rita@acme-orbital.example\r\nSubject: Who am I\r\n\r\nNo sender here.\r\n"

    with pytest.raises(MailParseError, match="sender"):
        parse_email(raw)


@pytest.mark.parametrize("from_header", [b"undisclosed-recipients:;", b"Sam Sender", b""], ids=repr)
def test_it_refuses_a_from_header_without_an_address(from_header):
    raw = b"From: " + from_header + b"\r\nSubject: x\r\n\r\nBody\r\n"

    with pytest.raises(MailParseError, match="sender"):
        parse_email(raw)


def test_a_null_from_is_machine_mail_not_an_unreadable_message():
    # "From: <>" is the null sender of RFC 5321: only mail systems write it.
    parsed = parse_email(b"From: <>\r\nSubject: x\r\n\r\nBody\r\n")

    assert (parsed.machine_reason, parsed.sender.email) == ("mail system sender (<>)", "")


def test_it_never_takes_a_broken_from_header_for_an_address():
    raw = b'From: "unterminated <dana@mail.example>\r\nSubject: x\r\n\r\nBody\r\n'

    try:
        sender = parse_email(raw).sender
    except MailParseError:
        return
    assert sender.email == "dana@mail.example"


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n  \n"], ids=["empty", "blank"])
def test_it_refuses_an_empty_file(raw):
    with pytest.raises(MailParseError, match="empty"):
        parse_email(raw)


def test_it_reads_a_multipart_whose_closing_boundary_is_missing():
    raw = (
        b"From: sam@mail.example\r\n"
        b"Subject: Cut short\r\n"
        b'Content-Type: multipart/alternative; boundary="XYZ"\r\n'
        b"\r\n"
        b"--XYZ\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"\r\n"
        b"The plain words survive.\r\n"
        b"--XYZ\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n"
        b"\r\n"
        b"<p>The html words</p>\r\n"
    )

    assert_readable_or_explained(raw, "The plain words survive.")


def test_it_reads_or_explains_a_multipart_declared_without_a_boundary():
    raw = (
        b"From: sam@mail.example\r\n"
        b"Subject: No boundary\r\n"
        b"Content-Type: multipart/mixed\r\n"
        b"\r\n"
        b"Just some words after all.\r\n"
    )

    assert_readable_or_explained(raw, "Just some words after all.")


@pytest.mark.parametrize(
    "raw",
    [
        b"From: sam@mail.example\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\nno parts\r\n",
        b'From: sam@mail.example\r\nContent-Type: text/plain; charset="utf-8\r\n\r\nhi\r\n',
        b"From: sam@mail.example\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64!!\r\n",
        b"From: sam@mail.example\r\nContent-Type: text/html\r\n\r\n<p>open <b>tags <a href=\r\n",
        b"From: sam@mail.example\r\nMessage-ID: <no-closing-bracket@x\r\nTo: ,,,@,\r\n\r\nhi",
        b"From: sam@mail.example\r\nContent-Type: ///\r\n\r\nhi\r\n",
        b"\x00\x01\x02From: sam@mail.example\r\n\r\n\xff\xfe",
    ],
    ids=[
        "multipart-no-parts",
        "unterminated-charset",
        "bad-base64",
        "broken-html",
        "broken-headers",
        "bad-content-type",
        "binary-junk",
    ],
)
def test_it_never_raises_anything_but_mail_parse_error_on_broken_mime(raw):
    assert_readable_or_explained(raw)


# --- The files in tests/data -------------------------------------------------------------


def test_it_parses_the_html_only_cp1252_sample_file():
    parsed = parse_email((DATA / "html-cp1252.eml").read_bytes())

    assert parsed.sender == Address(name="Rene Dubois", email="rene@rene.example")
    assert "I\u2019m Ren\u00e9, a flight software engineer" in parsed.text
    assert "\u201cnot applying yet\u201d" in parsed.text
    assert "my project page" in parsed.text
    assert "<p>" not in parsed.text and "color: navy" not in parsed.text


def test_it_parses_the_rfc_2047_sample_file_without_a_message_id():
    parsed = parse_email((DATA / "rfc2047-no-message-id.eml").read_bytes())

    text = (
        "Hello Rita,\n\nI have five years of SQL and dashboards. Is your team hiring for "
        "the Data Analyst role? I'd like to skip the online application if possible.\n\nZoë"
    )
    assert parsed == ParsedEmail(
        message_id=None,
        sender=Address(name="Zoë Lamarck", email="zoe.lamarck@lamarck.example"),
        to=(Address(name="Rita Récruteuse", email="rita@acme-orbital.example"),),
        cc=(),
        subject="Question about the Data Analyst role \u2013 Zoë",
        date=datetime(2025, 3, 6, 16, 45, tzinfo=UTC),
        text=text,
        new_text=text,  # nothing quoted below it
    )


def test_it_refuses_the_sample_file_without_from():
    with pytest.raises(MailParseError, match="sender"):
        parse_email((DATA / "no-from.eml").read_bytes())


# --- Quoted history ----------------------------------------------------------------------


def test_it_strips_the_on_wrote_history_and_quoted_lines():
    text = (
        "Thanks, I would love to chat.\n"
        "> an inline quote I answered\n"
        "My answer stays.\n"
        "\n"
        "On Mon, 3 Mar 2025 at 09:00, Rita Recruiter <rita@acme-orbital.example> wrote:\n"
        "> We have a Flight Software Engineer opening.\n"
        "Older text below the history marker.\n"
    )

    assert new_text(text) == "Thanks, I would love to chat.\nMy answer stays."


def test_it_strips_an_original_message_block():
    text = "New words.\n\n-----Original Message-----\nFrom: someone\nOld words.\n"

    assert new_text(text) == "New words."


def test_it_leaves_text_without_history_alone():
    text = "On Mondays I write Rust.\nI wrote a scheduler."

    assert new_text(text) == text


# --- Sources -----------------------------------------------------------------------------


def eml(path: Path, subject: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message(f"Body of {subject}", Subject=subject).as_bytes())
    return path


def subjects(sources) -> list[str]:
    return [parse_email(raw).subject for _, raw in sources]


def test_it_yields_a_single_eml_file_with_its_path_as_label(tmp_path):
    path = eml(tmp_path / "one.eml", "Only one")

    sources = list(iter_sources(path))

    assert [label for label, _ in sources] == [str(path)]
    assert subjects(sources) == ["Only one"]


def test_it_walks_a_folder_and_its_subfolders_in_sorted_order(tmp_path):
    eml(tmp_path / "b.eml", "B")
    eml(tmp_path / "a" / "z.eml", "A/Z")
    eml(tmp_path / "a" / "deeper" / "m.eml", "A/deeper/M")
    eml(tmp_path / "c.EML", "C")
    (tmp_path / "notes.txt").write_text("not mail")
    (tmp_path / "cv.pdf").write_bytes(b"%PDF")

    sources = list(iter_sources(tmp_path))

    assert [Path(label).relative_to(tmp_path).as_posix() for label, _ in sources] == [
        "a/deeper/m.eml",
        "a/z.eml",
        "b.eml",
        "c.EML",
    ]
    assert subjects(sources) == ["A/deeper/M", "A/Z", "B", "C"]


def test_it_reads_every_message_of_an_mbox_file(tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    for n in (1, 2, 3):
        box.add(message(f"Message {n}.", Subject=f"Number {n}"))
    box.flush()
    box.close()

    sources = list(iter_sources(path))

    assert [label for label, _ in sources] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert subjects(sources) == ["Number 1", "Number 2", "Number 3"]
    assert parse_email(sources[1][1]).text == "Message 2."


def test_it_undoes_the_from_escaping_of_mbox_bodies(tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    box.add(message("I moved to Denver.\nFrom next year I can work on site."))
    box.close()

    [(_, raw)] = iter_sources(path)

    assert (
        new_text(parse_email(raw).text) == "I moved to Denver.\nFrom next year I can work on site."
    )


def test_it_reads_an_mbox_file_without_extension_by_its_from_line(tmp_path):
    path = tmp_path / "inbox"
    box = mailbox.mbox(path)
    box.add(message(Subject="Sniffed"))
    box.close()

    assert subjects(iter_sources(path)) == ["Sniffed"]


def test_it_reads_every_message_of_a_maildir(tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    keys = [box.add(message(Subject=f"Maildir {n}")) for n in (1, 2, 3)]
    box.close()

    sources = list(iter_sources(tmp_path / "Maildir"))

    assert sorted(label for label, _ in sources) == sorted(
        f"{tmp_path / 'Maildir'}:{key}" for key in keys
    )
    assert sorted(subjects(sources)) == ["Maildir 1", "Maildir 2", "Maildir 3"]


def test_it_finds_mbox_files_and_maildirs_inside_a_folder(tmp_path):
    eml(tmp_path / "a.eml", "Loose file")
    box = mailbox.mbox(tmp_path / "b.mbox")
    box.add(message(Subject="In the mbox"))
    box.close()
    maildir = mailbox.Maildir(tmp_path / "c-maildir", create=True)
    maildir.add(message(Subject="In the maildir"))
    maildir.close()

    assert subjects(iter_sources(tmp_path)) == ["Loose file", "In the mbox", "In the maildir"]


def test_it_raises_file_not_found_for_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        list(iter_sources(tmp_path / "nope.eml"))
