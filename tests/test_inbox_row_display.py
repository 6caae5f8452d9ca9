"""The inbox's rows show values worked out in Python (selectors.requests.with_row_display)
where the template once used tags and filters: they must print exactly what those did."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.text import Truncator

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.selectors import requests as request_reads

pytestmark = pytest.mark.django_db

# The row's former markup, tag for tag.
FORMER = Template(
    "{% load humanize %}{% url 'triage:override' req.pk %}|{% url 'triage:request' req.pk %}|"
    "{{ req.candidate.name|default:req.candidate.email }}|{{ req.received_at|date:'c' }}|"
    "{{ req.received_at }}|{{ req.received_at|naturaltime }}|{{ req.preview|truncatechars:160 }}"
)
NOW = Template(
    "{{ req.override_url }}|{{ req.url }}|{{ req.who }}|{{ req.received_iso }}|"
    "{{ req.received_title }}|{{ req.received_ago }}|{{ req.preview_text }}"
)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "Short & sweet <b>",
        "x" * 160,
        "x" * 161,
        "Hello there, " * 20,
        "Zoë Ørsted writes: " + "é" * 200,  # not ASCII: Django's own truncation
        "e\u0301" * 170,  # combining accents do not count as characters
    ],
)
@pytest.mark.parametrize("name", ["", "Ada <Lovelace>"])
def test_a_row_prints_what_the_template_filters_printed(body, name, settings):
    settings.TIME_ZONE = "Europe/Paris"  # a local time that is not UTC
    candidate = CandidateFactory(name=name, email="ada&co@example.com")
    CandidateRequestFactory(
        candidate=candidate, body=body, received_at=timezone.now() - timedelta(hours=30)
    )
    rows = list(request_reads.inbox_rows(request_reads.inbox_requests()))
    request_reads.with_row_display(rows)

    (row,) = rows
    context = Context({"req": row})
    assert NOW.render(context) == FORMER.render(context)


@pytest.mark.parametrize("length", [0, 1, 2, 5, 160])
def test_shortener_is_truncatechars(length):
    shorten = request_reads.shortener(length)
    texts = ["", "abc", "a" * length, "a" * (length + 1), "ab cd " * 60, "ü" * 300]
    texts += ["Zoë " * 50, "u\u0308" * 200, "ﬁ" * 200, "Å" * 170, "A\u030a" * 170, "ÿ" * length]
    for text in texts:
        assert shorten(text) == Truncator(text).chars(length)


def test_a_time_kept_printed_is_printed_again_only_in_its_own_zone_and_language():
    CandidateRequestFactory(received_at=timezone.now() - timedelta(days=3))
    shown = {}
    for zone, language in [("UTC", "en"), ("Asia/Tokyo", "en"), ("UTC", "de"), ("UTC", "en")]:
        with timezone.override(zone), translation.override(language):
            rows = list(request_reads.inbox_rows(request_reads.inbox_requests()))
            request_reads.with_row_display(rows)
            (row,) = rows
            assert row.received_title == FORMER.render(Context({"req": row})).split("|")[4]
            shown[zone, language] = row.received_title
    assert len({shown["UTC", "en"], shown["Asia/Tokyo", "en"], shown["UTC", "de"]}) == 3
