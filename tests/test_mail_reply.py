"""Separating what a sender wrote this time from the quoted history (mail-parser-reply)."""

import pytest

from triage.mail import new_text, split_reply


@pytest.mark.parametrize(
    "quote_line",
    [
        "On Mon, 3 Mar 2025 at 09:15, Rita <rita@acme-orbital.example> wrote:",
        "Am Mo., 3. März 2025 um 09:15 Uhr schrieb Rita <rita@acme-orbital.example>:",
        "Le lun. 3 mars 2025 à 09:15, Rita <rita@acme-orbital.example> a écrit :",
    ],
    ids=["en", "de", "fr"],
)
def test_it_cuts_the_quoted_history_in_several_languages(quote_line):
    text = f"I can start in May.\n\n{quote_line}\n> Please apply on our site.\n"

    parts = split_reply(text)

    assert parts.written == "I can start in May."
    assert "Please apply on our site." in parts.rest
    assert "apply" not in new_text(text)


def test_the_rules_keep_the_signature_the_recruiter_sees_it_folded():
    text = "Hello Rita.\n\nBest,\nSam\n--\nSam Sender | Chair of the RTOS working group\n"

    parts = split_reply(text)

    assert parts.written == "Hello Rita."
    assert "Chair of the RTOS working group" in parts.new
    assert "Chair of the RTOS working group" in parts.rest


def test_a_message_without_quotes_is_all_new():
    assert split_reply("Just this.").written == "Just this."
    assert split_reply("Just this.").rest == ""


def test_the_parse_works_out_the_new_text_for_the_rules():
    from triage.mail import parse_email

    raw = (
        b"From: Ana <ana@mail.example>\r\nTo: jobs@acme.example\r\nSubject: Re: Hello\r\n"
        b"Message-ID: <a1@mail.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Thanks, I will apply next year.\r\n\r\nOn Mon, 3 Mar 2025, Rita wrote:\r\n"
        b"> Dear Ana, please apply through our careers site.\r\n"
    )
    parsed = parse_email(raw)

    assert parsed.new_text == "Thanks, I will apply next year."
    assert "> Dear Ana" in parsed.text


def test_a_remembered_split_is_the_split_of_the_text_it_is_given():
    from triage import mail

    first = "Sounds great, Tuesday works.\n\nOn Mon, 2 Mar 2026, Jo <jo@a.example> wrote:\n> When?"
    changed = first.replace("Tuesday", "Friday")
    long_text = "I am new here.\n" + "x" * mail.REMEMBERED_SPLIT_LENGTH

    parts = mail.split_reply_remembered(first)
    again = mail.split_reply_remembered(first)
    other = mail.split_reply_remembered(changed)
    kept = mail._remembered_split.cache_info().currsize
    long_parts = mail.split_reply_remembered(long_text)

    assert parts == split_reply(first) and parts.new == "Sounds great, Tuesday works."
    assert again is parts
    assert other == split_reply(changed) and other.new == "Sounds great, Friday works."
    # A text past REMEMBERED_SPLIT_LENGTH is split each time, not kept in memory.
    assert long_parts == split_reply(long_text)
    assert mail._remembered_split.cache_info().currsize == kept
