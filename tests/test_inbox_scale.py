"""The inbox at any size: counts the database keeps (InboxCount, by triggers), full-text
search (FTS5 on SQLite, tsvector on PostgreSQL) with ranked, escaped snippets, and query
counts that do not grow with the data."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import fulltext
from triage.models import Attachment, Bucket, Candidate, CandidateRequest, Message
from triage.selectors import inbox_views, search
from triage.selectors import requests as request_reads
from triage.services import counts, privacy, review

pytestmark = pytest.mark.django_db

INBOX = reverse("triage:inbox")
URGENT = {"urgent": {"text": "Urgent", "evidence": ["offer expires Friday"]}}
PRESS = {"not-candidate": {"text": "Press", "evidence": ["Press inquiry"], "action": "Forward"}}


def counted(*, status="", flag=""):
    """What a plain COUNT over the rows says: the counts must always agree with it."""
    rows = request_reads.inbox_requests(status=status, flag=flag)
    return rows.aggregate(
        **{value: Count("pk", filter=Q(final_bucket=value)) for value in Bucket.values}
    )


def assert_counts_agree():
    for status in ["", *CandidateRequest.Status.values]:
        for flag in ["", "urgent", "not-candidate"]:
            kept = request_reads.bucket_counts(status=status, flag=flag)
            assert kept == counted(status=status, flag=flag), (status, flag)


def test_the_counts_follow_every_kind_of_write(recruiter):
    # Saved one by one, in bulk, updated by a service and by update(), deleted, cascaded.
    first = CandidateRequestFactory(flags=URGENT)
    CandidateRequestFactory.create_batch(3, suggested_bucket="network")
    person = CandidateFactory()
    CandidateRequest.objects.bulk_create(
        CandidateRequest(
            candidate=person,
            received_at=timezone.now(),
            suggested_bucket="exceptional",
            final_bucket="exceptional",
            suggested_rule="x",
            flags=PRESS if n % 2 else {},
        )
        for n in range(5)
    )
    assert_counts_agree()
    assert request_reads.bucket_counts(status="new") == {
        "funnel": 1,
        "network": 3,
        "exceptional": 5,
    }

    review.override_bucket(request=first, bucket="network", by=recruiter)
    CandidateRequest.objects.filter(final_bucket="exceptional").update(status="replied")
    CandidateRequest.objects.filter(suggested_bucket="network").update(flags=URGENT)
    CandidateRequest.objects.filter(pk=first.pk).update(flags={})
    assert_counts_agree()
    assert request_reads.bucket_counts(status="replied", flag="not-candidate")["exceptional"] == 2

    CandidateRequest.objects.filter(suggested_bucket="network").first().delete()
    privacy.erase_candidate(candidate=person, by=recruiter)
    assert_counts_agree()
    assert request_reads.bucket_counts() == {"funnel": 0, "network": 3, "exceptional": 0}


def test_compacting_the_counts_keeps_them(recruiter):
    for n in range(6):
        request = CandidateRequestFactory(suggested_bucket=("funnel", "network")[n % 2])
        review.override_bucket(request=request, bucket="exceptional", by=recruiter)
    before = request_reads.bucket_counts()

    counts.compact()

    assert (
        request_reads.bucket_counts()
        == before
        == {
            "funnel": 0,
            "network": 0,
            "exceptional": 6,
        }
    )
    assert_counts_agree()


def test_the_spam_tab_and_any_status_count_apart(recruiter_client):
    CandidateRequestFactory(subject="Real")
    spam = CandidateRequestFactory(subject="Buy now")
    CandidateRequest.objects.filter(pk=spam.pk).update(
        status="spam", put_away_at=timezone.now(), put_away_reason="Spam"
    )

    any_status = recruiter_client.get(INBOX, {"status": ""}).content.decode()
    spam_tab = recruiter_client.get(INBOX, {"status": "spam"}).content.decode()

    assert 'data-count="funnel">1<' in any_status and "Buy now" not in any_status
    assert 'data-count="funnel">1<' in spam_tab and "Buy now" in spam_tab


def with_attachment(request, *, filename, text):
    message = Message.objects.create(
        request=request,
        sender=request.candidate.email,
        received_at=request.received_at,
        message_id=f"<m{request.pk}@x>",
    )
    return Attachment.objects.create(
        message=message,
        filename=filename,
        content_type="application/pdf",
        size=10,
        file="attachments/x/cv.pdf",
        text=text,
    )


def subjects(response) -> list[str]:
    return [row.subject for row in response.context["page"]]


def test_search_finds_names_emails_subjects_bodies_and_attachments(recruiter_client):
    ada = CandidateFactory(name="Ada Lovelace", email="ada@engines.example")
    CandidateRequestFactory(candidate=ada, subject="By name")
    CandidateRequestFactory(subject="Telescope time", body="Hello")
    CandidateRequestFactory(subject="By body", body="I built a quasar tracker.")
    resume = CandidateRequestFactory(subject="By résumé", body="See attached.")
    with_attachment(resume, filename="cv.pdf", text="Experience: orbit determination")
    CandidateRequestFactory(subject="Unrelated", body="Nothing here")

    def found(query):
        return subjects(recruiter_client.get(INBOX, {"q": query}))

    assert found("lovelace") == ["By name"]
    assert found("engines.example") == ["By name"]
    assert found("telescope") == ["Telescope time"]
    assert found("quasar") == ["By body"]
    assert found("orbit determination") == ["By résumé"]
    assert found("cv.pdf") == ["By résumé"]
    assert found("interplanetary") == []
    # Word prefixes and any order: "ada love" and "love ada" both find Ada Lovelace.
    assert found("ada love") == found("love ADA") == ["By name"]


def test_a_one_letter_word_is_matched_whole_so_c_plus_plus_finds_c_plus_plus(recruiter_client):
    # "C++" is the word "c": as a prefix it found every request with a word starting with c
    # (all of them: "can", "career", "could"). Whole, it finds C, C++ and C# only.
    CandidateRequestFactory(subject="Embedded work", body="Ten years of C++ on controllers.")
    CandidateRequestFactory(subject="Firmware in C", body="Mostly bare-metal C.")
    CandidateRequestFactory(subject="Coffee chat", body="Could we catch up about careers?")

    def found(query):
        return sorted(subjects(recruiter_client.get(INBOX, {"q": query})))

    assert found("C++") == found("c") == ["Embedded work", "Firmware in C"]
    assert found("cou") == ["Coffee chat"]  # three letters on, a word is a prefix


def test_a_two_letter_word_is_matched_whole_so_ai_does_not_find_aim(recruiter_client):
    # As in a mail search: "AI" or "Go" typed is that word, not every word it begins.
    CandidateRequestFactory(subject="Applied AI", body="I build AI models for grids.")
    CandidateRequestFactory(subject="My aim", body="I aim to help; first aid trained.")
    CandidateRequestFactory(subject="Backend", body="Five years of Go and gRPC.")
    CandidateRequestFactory(subject="Good news", body="Glad to hear it.")

    def found(query):
        return sorted(subjects(recruiter_client.get(INBOX, {"q": query})))

    assert found("ai") == found("AI") == ["Applied AI"]
    assert found("go") == ["Backend"]
    assert found("goo") == ["Good news"]  # three letters: a prefix again
    assert found("ai go") == []  # both words must match


def test_search_folds_accents_so_jose_finds_jose_with_its_accent(recruiter_client):
    # SQLite's FTS5 folds them in its tokenizer; PostgreSQL in the document's trigger and
    # in the query (migration 0037).
    jose = CandidateFactory(name="José Núñez", email="jose@example.com")
    CandidateRequestFactory(candidate=jose, subject="Hola", body="Mi currículum, en inglés.")
    CandidateRequestFactory(subject="Papers", body="My résumé and a note on Gödel.")
    CandidateRequestFactory(subject="Plain", body="A resume of the week: Godel, Escher.")

    def found(query):
        return sorted(subjects(recruiter_client.get(INBOX, {"q": query})))

    assert found("nunez") == found("Núñez") == found("NUNEZ") == ["Hola"]
    assert found("josé") == found("jose") == ["Hola"]
    assert found("curriculum ingles") == ["Hola"]
    assert found("résumé") == found("resume") == ["Papers", "Plain"]
    assert found("godel") == found("Gödel") == found("göd") == ["Papers", "Plain"]
    # The snippet keeps what they wrote, and marks the word as typed.
    html = recruiter_client.get(INBOX, {"q": "Gödel"}).content.decode()
    assert "<mark>Gödel</mark>" in html


def test_search_follows_changes_to_people_requests_and_attachments(recruiter_client):
    person = CandidateFactory(name="Grace Hopper")
    request = CandidateRequestFactory(candidate=person, subject="Compilers", body="COBOL")
    attachment = with_attachment(request, filename="cv.pdf", text="nanosecond wire")

    Candidate.objects.filter(pk=person.pk).update(name="Grace Murray")
    CandidateRequest.objects.filter(pk=request.pk).update(body="FLOW-MATIC")
    assert subjects(recruiter_client.get(INBOX, {"q": "murray"})) == ["Compilers"]
    assert subjects(recruiter_client.get(INBOX, {"q": "hopper"})) == []
    assert subjects(recruiter_client.get(INBOX, {"q": "flow matic"})) == ["Compilers"]
    assert subjects(recruiter_client.get(INBOX, {"q": "cobol"})) == []
    assert subjects(recruiter_client.get(INBOX, {"q": "nanosecond"})) == ["Compilers"]

    attachment.delete()
    assert subjects(recruiter_client.get(INBOX, {"q": "nanosecond"})) == []
    request.delete()
    assert subjects(recruiter_client.get(INBOX, {"q": "murray"})) == []


def test_search_follows_a_request_to_its_new_tab_and_status(recruiter_client):
    # PostgreSQL's search table keeps each request's bucket and status (migration 0039):
    # a save, a bulk update() and a change of person all move the match with the request.
    def tabs(**params) -> tuple[list[str], list[int]]:
        response = recruiter_client.get(INBOX, {"q": "quasar", **params})
        counts = [count for _, _, count in response.context["tabs"]]
        return subjects(response), counts

    request = CandidateRequestFactory(subject="Quasar", body="quasar")
    CandidateRequestFactory(subject="Other", body="pulsar", status="replied")
    assert tabs(status="new") == (["Quasar"], [1, 0, 0])

    CandidateRequest.objects.filter(pk=request.pk).update(final_bucket="network")
    assert tabs(status="new", bucket="network") == (["Quasar"], [0, 1, 0])
    CandidateRequest.objects.update(status="replied")  # every request, in one statement
    assert tabs(status="new") == ([], [0, 0, 0])
    assert tabs(status="replied", bucket="network") == (["Quasar"], [0, 1, 0])

    request.refresh_from_db()
    request.status, request.final_bucket = "new", "exceptional"
    request.candidate = CandidateFactory()
    request.save()
    assert tabs(status="replied") == ([], [0, 0, 0])
    assert tabs(status="", bucket="exceptional") == (["Quasar"], [0, 0, 1])


def test_search_ranks_who_and_what_about_above_a_passing_mention(recruiter_client):
    now = timezone.now()
    CandidateRequestFactory(
        subject="Hello", body="A word on radio astronomy, in passing.", received_at=now
    )
    CandidateRequestFactory(
        subject="Radio astronomy",
        body="Radio astronomy is my work.",
        received_at=now - timedelta(days=3),
    )

    found = subjects(recruiter_client.get(INBOX, {"q": "radio astronomy"}))

    assert found == ["Radio astronomy", "Hello"]  # the better match first, though older


def test_snippets_highlight_the_words_and_escape_what_candidates_wrote(recruiter_client):
    CandidateRequestFactory(
        subject="Hi",
        body='<script>alert("x")</script> I love the quasar <b>pipeline</b> & more',
    )

    response = recruiter_client.get(INBOX, {"q": "quasar"})

    html = response.content.decode()
    assert "<mark>quasar</mark>" in html
    assert "<script>alert" not in html and "<b>pipeline</b>" not in html
    # (PostgreSQL's headline leaves tags out; FTS5 keeps them, escaped.)
    assert "&amp; more" in html


def test_postgresql_keeps_the_search_index_pending_list_short():
    """Every search reads the GIN index's whole pending list (migration 0035): at the
    default 4 MB the planner scanned the search table instead of the index."""
    if connection.vendor != "postgresql":
        pytest.skip("FTS5 has no pending list")
    CandidateRequestFactory.create_batch(3, body="a quasar tracker")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'triage_search_document'")
        assert cursor.fetchone()[0] == ["gin_pending_list_limit=64"]
    found = search.matching(CandidateRequest.objects.all(), "quasar")
    assert found.count() == 3


def test_highlight_escapes_everything_but_its_own_marks():
    start, stop = fulltext.START, fulltext.STOP
    snippet = f'<img src=x onerror="alert(1)"> {start}quasar{stop} & {start}<b>{stop} {start}'

    assert fulltext.highlight(snippet) == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>quasar</mark> &amp; "
        "<mark>&lt;b&gt;</mark> "
    )


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(a b", "a OR", "*", "@@", "-x", "a:*", "'); DROP TABLE x; --"]
)
def test_search_syntax_is_never_passed_through(recruiter_client, query):
    CandidateRequestFactory(subject="Plain")

    response = recruiter_client.get(INBOX, {"q": query, "status": ""})

    assert response.status_code == 200
    assert subjects(response) in ([], ["Plain"])


def test_search_works_with_the_flag_status_and_bucket_and_counts_the_matches(recruiter_client):
    CandidateRequestFactory(subject="Quasar A", body="quasar", flags=URGENT)
    CandidateRequestFactory(subject="Quasar B", body="quasar", suggested_bucket="network")
    CandidateRequestFactory(subject="Quasar C", body="quasar", status="replied")
    CandidateRequestFactory(subject="Other", body="pulsar", flags=URGENT)

    response = recruiter_client.get(INBOX, {"q": "quasar", "status": ""})
    urgent = recruiter_client.get(INBOX, {"q": "quasar", "flag": "urgent"})

    html = response.content.decode()
    assert 'data-count="funnel">2<' in html and 'data-count="network">1<' in html
    assert sorted(subjects(response)) == ["Quasar A", "Quasar C"]
    assert subjects(urgent) == ["Quasar A"]
    # The bulk reply's "all that match" is the same search.
    selection = request_reads.inbox_requests(status="", query="quasar")
    assert selection.filter(final_bucket="funnel").count() == 2


def test_a_search_with_nothing_in_its_tab_points_to_the_tabs_with_matches(recruiter_client):
    CandidateRequestFactory(
        subject="Solver core dev", body="quasar", suggested_bucket="exceptional"
    )
    CandidateRequestFactory(subject="Other", body="pulsar")

    html = recruiter_client.get(INBOX, {"q": "quasar", "bucket": "funnel"}).content.decode()

    assert "Nothing matches “quasar” here." in html
    assert re.search(
        r'href="\?bucket=exceptional&amp;[^"]*q=quasar[^"]*"[^>]*>1 in Exceptional', html
    )
    assert "in Apply through funnel</a>" not in html


def test_a_search_counts_its_matches_up_to_the_cap_and_says_there_are_more(
    recruiter_client, monkeypatch
):
    monkeypatch.setattr(inbox_views, "COUNT_CAP", 2)
    CandidateRequestFactory.create_batch(3, body="quasar", status="replied")
    CandidateRequestFactory(body="quasar", suggested_bucket="network", status="replied")
    now = timezone.now()
    for n in range(30):  # a long page without a search: its total is kept, exact
        CandidateRequestFactory(received_at=now - timedelta(minutes=n))

    response = recruiter_client.get(INBOX, {"q": "quasar", "status": ""})
    plain = recruiter_client.get(INBOX, {"status": "new"})

    html = response.content.decode()
    assert 'data-count="funnel">2+<' in html and 'data-count="network">1<' in html
    assert "Select all 2+ in this bucket" in html
    assert response.context["page"].total_capped
    assert 'data-count="funnel">30<' in plain.content.decode()
    assert "1–25 of 30" in plain.content.decode()


def test_a_search_of_a_common_word_still_lists_a_small_buckets_own_matches(
    recruiter_client, monkeypatch
):
    # With a cap of 1, a search reads at most 6 matches (enough for 3 tabs up to the cap),
    # the most recently stored first: the network request, stored first, is not among them.
    monkeypatch.setattr(inbox_views, "COUNT_CAP", 1)
    CandidateRequestFactory(subject="Network one", body="quasar", suggested_bucket="network")
    CandidateRequestFactory.create_batch(6, body="quasar", status="replied")

    network = recruiter_client.get(INBOX, {"q": "quasar", "status": "", "bucket": "network"})
    funnel = recruiter_client.get(INBOX, {"q": "quasar", "status": ""})

    html = network.content.decode()
    # Reading stopped: the other tabs say "at least"; the one shown was read on its own.
    assert 'data-count="funnel">1+<' in html and 'data-count="exceptional">0+<' in html
    assert 'data-count="network">1<' in html
    assert subjects(network) == ["Network one"]
    assert funnel.context["bucket"] == "funnel" and len(funnel.context["page"].rows) == 1
    assert funnel.context["page"].total_capped


def test_search_results_show_their_snippets_in_rank_order(recruiter_client):
    now = timezone.now()
    for n in range(30):
        CandidateRequestFactory(
            subject="Quasar" if n == 29 else f"Note {n}",
            body=f"Request {n} mentions a quasar once.",
            received_at=now - timedelta(minutes=n),
        )

    page = recruiter_client.get(INBOX, {"q": "quasar", "status": ""}).context["page"]

    assert page.rows[0].subject == "Quasar"  # the oldest, but named in the subject
    assert [row.subject for row in page.rows[1:4]] == ["Note 0", "Note 1", "Note 2"]
    assert len(page.rows) == 25 and page.older == "page=2"
    assert "<mark>quasar</mark>" in str(page.rows[3].snippet_html)
    assert "Request 2 mentions" in str(page.rows[3].snippet_html)


def test_a_search_ranks_its_newest_matches_and_lists_the_older_ones_newest_first(
    recruiter_client, monkeypatch
):
    # Ranking reads every ranked document: only the newest RANKED matches are ranked.
    monkeypatch.setattr(search, "RANKED", 10)
    now = timezone.now()
    for n in reversed(range(30)):  # stored oldest first, as mail arrives
        CandidateRequestFactory(
            subject="Quasar" if n in (5, 20) else f"Note {n}",
            body=f"Request {n} mentions a quasar once.",
            received_at=now - timedelta(minutes=n),
        )

    first = recruiter_client.get(INBOX, {"q": "quasar", "status": ""}).context["page"]
    second = recruiter_client.get(INBOX, {"q": "quasar", "status": "", "page": 2})

    # The ten newest, best first (the one named in its subject), then newest first; the
    # older ones after them, newest first, a subject naming the word not moved up.
    newest = [f"Note {n}" for n in range(10) if n != 5]
    older = ["Quasar" if n == 20 else f"Note {n}" for n in range(10, 25)]
    assert [row.subject for row in first.rows] == ["Quasar", *newest, *older]
    assert "<mark>quasar</mark>" in str(first.rows[-1].snippet_html)
    assert "Request 24 mentions" in str(first.rows[-1].snippet_html)
    assert subjects(second) == [f"Note {n}" for n in range(25, 30)]
    assert "Request 29 mentions" in str(second.context["page"].rows[-1].snippet_html)
    assert first.total == 30 and "26–30 of 30" in second.content.decode()


@pytest.mark.parametrize("network_first", [3, 12])
def test_a_bucket_ranks_its_own_newest_matches_whatever_the_other_buckets_hold(
    recruiter_client, monkeypatch, network_first
):
    # The newest matches in another bucket take nothing from the bucket shown: its own
    # newest RANKED are ranked, the older ones follow.
    monkeypatch.setattr(search, "RANKED", 4)
    now = timezone.now()
    for n in reversed(range(network_first + 30)):  # stored oldest first, as mail arrives
        funnel = n >= network_first
        CandidateRequestFactory(
            subject=("Quasar " if n == network_first + 3 else "Note ") + str(n),
            body="A quasar.",
            received_at=now - timedelta(minutes=n),
            suggested_bucket="funnel" if funnel else "network",
        )

    response = recruiter_client.get(INBOX, {"q": "quasar", "status": "", "bucket": "funnel"})

    # The four newest, best first (the one naming the word in its subject), then the
    # older ones, newest first: a page of 25 of the 30.
    first = network_first
    assert subjects(response) == [
        f"Quasar {first + 3}",
        *[f"Note {n}" for n in range(first, first + 3)],
        *[f"Note {n}" for n in range(first + 4, first + 25)],
    ]
    assert response.context["page"].total == 30


def test_a_count_past_the_cap_is_written_in_thousands(recruiter_client):
    person = CandidateFactory()
    CandidateRequest.objects.bulk_create(
        CandidateRequest(
            candidate=person,
            subject=f"Quasar {n}",
            received_at=timezone.now(),
            suggested_bucket="funnel",
            final_bucket="funnel",
            suggested_rule="x",
        )
        for n in range(inbox_views.COUNT_CAP + 1)
    )

    response = recruiter_client.get(INBOX, {"q": "quasar", "status": ""})

    html = response.content.decode()
    assert 'data-count="funnel">1,000+<' in html and 'data-count="network">0<' in html
    assert "Select all 1,000+ in this bucket" in html
    assert "1–25 of more than 1,000" in html
    assert len(response.context["page"].rows) == 25


def test_a_query_without_words_finds_nothing_rather_than_everything():
    CandidateRequestFactory()
    assert not search.matching(CandidateRequest.objects.all(), "@@ --").exists()


@pytest.mark.parametrize("rows", [10, 60])
@pytest.mark.parametrize(
    "params",
    [{}, {"status": ""}, {"flag": "urgent"}, {"q": "quasar", "status": ""}, {"status": "replied"}],
)
def test_the_inbox_query_count_does_not_grow_with_rows(
    recruiter_client, django_assert_max_num_queries, rows, params
):
    CandidateRequestFactory.create_batch(rows, body="a quasar", flags=URGENT)
    CandidateRequestFactory.create_batch(rows, status="replied")
    # Session, the user (with their role), the counts, the rows (and a search's snippets
    # for the page's rows); the saved views and all their counts (2); the bell's unread
    # count; on the process's first page the templates (then kept in memory,
    # services.config_cache).
    with django_assert_max_num_queries(9 if params.get("q") else 8):
        response = recruiter_client.get(INBOX, params)
    assert response.status_code == 200


def test_a_search_costs_the_queries_of_a_plain_page_and_one_more_past_a_page(recruiter_client):
    def queries(params) -> int:
        recruiter_client.get(INBOX, params)  # the templates, then kept in memory
        with CaptureQueriesContext(connection) as captured:
            response = recruiter_client.get(INBOX, params)
        assert response.status_code == 200
        return len(captured)

    CandidateRequestFactory.create_batch(3, body="a pulsar")
    CandidateRequestFactory.create_batch(30, body="a quasar")
    plain = queries({"status": ""})

    # The tabs' counts and the page: read, ranked and cut into snippets at once when the
    # page holds every match; past a page, its ids (ranked) and then its rows. PostgreSQL
    # ranks the bucket's newest matches as it counts them (read_search_tabs): its page is
    # one query.
    past_a_page = plain if connection.vendor == "postgresql" else plain + 1
    assert queries({"q": "pulsar", "status": ""}) == plain
    assert queries({"q": "quasar", "status": ""}) == past_a_page
    assert queries({"q": "quasar", "status": "", "page": 2}) == past_a_page


@pytest.mark.parametrize("page", [1, 2, 3])
def test_a_page_of_matches_is_read_from_its_own_stretch_of_the_search_table(
    recruiter_client, monkeypatch, page
):
    """A page's rows and snippets are read from the search table between the page's lowest
    and highest id, not from every match of the words: a word in 1% of 100,000 requests is
    a thousand matches, each looked up among the requests to find a page's 25."""
    monkeypatch.setattr(search, "RANKED", 30)  # pages 1 and 2 ranked, page 3 newest first
    now = timezone.now()
    for n in reversed(range(80)):  # stored oldest first, as mail arrives
        CandidateRequestFactory(
            subject="Quasar" if n == 40 else f"Note {n}",
            body=f"Request {n} mentions a quasar once." if n % 8 else f"Request {n}.",
            received_at=now - timedelta(minutes=n),
        )

    with CaptureQueriesContext(connection) as queries:
        response = recruiter_client.get(INBOX, {"q": "quasar", "status": "", "page": page})

    rows = response.context["page"].rows
    assert len(rows) == (25, 25, 21)[page - 1]  # 71 matches: "Quasar" is in a subject
    assert all("<mark>quasar</mark>" in str(r.snippet_html) for r in rows if r.subject != "Quasar")
    ids = [row.pk for row in rows]
    (read,) = [q["sql"] for q in queries if re.search(r"\bsnippet\(|\bts_headline\(", q["sql"])]
    assert f'"triage_search"."rowid" >= {min(ids)}' in read
    assert f'"triage_search"."rowid" <= {max(ids)}' in read


@pytest.mark.parametrize("rows", [30, 80])
def test_an_older_page_costs_what_the_first_does(
    recruiter_client, django_assert_max_num_queries, rows
):
    now = timezone.now()
    for n in range(rows):
        CandidateRequestFactory(received_at=now - timedelta(minutes=n))
    older = recruiter_client.get(INBOX).context["page"].older
    with django_assert_max_num_queries(7):  # as above, the templates in memory already
        response = recruiter_client.get(f"{INBOX}?bucket=funnel&status=new&{older}")
    assert len(response.context["page"]) == min(25, rows - 25)
