"""Reads for the inbox and the request page."""

from __future__ import annotations

import functools
import unicodedata
from datetime import datetime

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Substr
from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, text, timezone
from django.utils.translation import get_language, pgettext

from triage import access, replies
from triage.flags import FlagName
from triage.models import (
    Attachment,
    Bucket,
    CandidateRequest,
    InboxCount,
    Message,
    Reply,
    ReplyTemplate,
)
from triage.selectors import inbox_views, search
from triage.selectors.paging import keyset_page, numbered_page
from triage.services import assignment, config_cache, outbox, profiles, rulebook, verdicts

# The template choice that means "write it yourself": no saved template.
FREE_FORM = "free"


def inbox_requests(
    *,
    status: str = "",
    query: str = "",
    flag: str = "",
    requests: QuerySet[CandidateRequest] | None = None,
) -> QuerySet[CandidateRequest]:
    """The inbox's filter (every bucket): the list, its counts, bulk replies and the API
    share it. `flag`: only requests carrying that flag (triage.flags.FlagName); `query`:
    full-text search (selectors.search); `requests`: the rows to filter (all by default, a
    hiring manager's own for the API)."""
    requests = CandidateRequest.objects.all() if requests is None else requests
    if status:
        requests = requests.filter(status=status)
    else:
        # Spam is out of the inbox: only its own filter shows it.
        requests = requests.exclude(status=CandidateRequest.Status.SPAM)
    if flag:
        requests = requests.filter(flags__has_key=flag)
    if query:
        requests = search.matching(requests, query)
    return requests


def with_attachment_names(requests: QuerySet[CandidateRequest]) -> QuerySet[CandidateRequest]:
    """Each request with `attachment_names`: its files' names, comma-separated (None when it
    has none). A subquery in the same query, so the inbox costs no query per row."""
    names = (
        Attachment.objects.filter(message__request=OuterRef("pk"))
        .values("message__request")
        .annotate(names=StringAgg("filename", delimiter=Value(", ")))
        .values("names")
    )
    return requests.annotate(attachment_names=Subquery(names))


FLAG_COUNTS = inbox_views.FLAG_COUNTS


def kept_counts_answer(*, flag: str = "", scope: str = "") -> bool:
    """Whether the counts the database keeps (InboxCount) answer the inbox's filter: not
    with a view's scope or a flag they do not keep (a search counts its own: search_tabs)."""
    return not (scope or (flag and flag not in FLAG_COUNTS))


def bucket_counts(
    *, status: str = "", flag: str = "", scope: str = "", user=None
) -> dict[str, int]:
    """How many requests each bucket's tab holds under the inbox's filter. Read from the
    counts the database keeps (InboxCount) when they answer it, one small query whatever
    the inbox's size; else counted over the matches, one query, each bucket's count
    stopping at COUNT_CAP + 1 (more than COUNT_CAP: shown as "1,000+")."""
    if not kept_counts_answer(flag=flag, scope=scope):
        requests = inbox_requests(status=status, flag=flag)
        if scope:
            requests = requests.filter(inbox_views.scope_filter(scope, user=user))
        return inbox_views.count_each(
            {
                value: requests.filter(final_bucket=value)
                .order_by()
                .values("pk")[: inbox_views.COUNT_CAP + 1]
                for value in Bucket.values
            }
        )
    counts = InboxCount.objects.all()
    if status:
        counts = counts.filter(status=status)
    else:
        counts = counts.exclude(status=CandidateRequest.Status.SPAM)
    if flag:
        counts = counts.filter(**{FLAG_COUNTS[flag]: True})
    totals = dict(
        counts.values("final_bucket").annotate(total=Sum("n")).values_list("final_bucket", "total")
    )
    return {value: int(totals.get(value) or 0) for value in Bucket.values}


# What an inbox row shows, and nothing more: the body only as its first characters.
ROW_FIELDS = (
    "id",
    "status",
    "flags",
    "final_bucket",
    "suggested_bucket",
    "received_at",
    "subject",
    "candidate__name",
    "candidate__email",
)
PREVIEW_CHARS = 200


def inbox_rows(requests: QuerySet[CandidateRequest]) -> QuerySet[CandidateRequest]:
    """The rows of an inbox-like list: only the columns a row shows, with `preview` (the
    body's start) and `attachment_names`."""
    return with_attachment_names(
        requests.select_related("candidate")
        .only(*ROW_FIELDS)
        .annotate(preview=Substr("body", 1, PREVIEW_CHARS))
    )


# A row's snippet stops at this many characters (as the template's truncatechars did).
SNIPPET_CHARS = 160
# Stands for a row's id in a URL reversed once per page (reverse costs as much as a row).
_PK = 2_147_483_647


def url_maker(name: str):
    """`name`'s URL for any request id, reversed once: what {% url name pk %} gives."""
    head, _, tail = reverse(name, args=[_PK]).partition(str(_PK))
    return lambda pk: f"{head}{pk}{tail}"


def _plain(value: str) -> bool:
    """Whether every character counts as one for truncatechars and NFC leaves the text as it
    is: none from U+0300 (the first combining mark) up, the text already NFC."""
    return value.isascii() or (max(value) < "\u0300" and unicodedata.is_normalized("NFC", value))


def shortener(length: int = SNIPPET_CHARS):
    """Django's truncatechars to `length` as a function, its ending translated once: for
    plain text (Latin letters, no combining marks: most previews) without the filter's
    character-by-character walk, for any other text by the filter's own Truncator."""
    ending = pgettext("String to return when truncating text", "%(truncated_text)s…")
    cut = text.calculate_truncate_chars_length(length, ending)

    def shorten(value) -> str:
        value = str(value)  # as the filter's (None is "None")
        if length <= 0 or not _plain(value):
            return text.Truncator(value).chars(length)
        return value if len(value) <= length else text.add_truncation_text(value[:cut], ending)

    return shorten


# The rows' times as Django prints them, by moment, time zone and language: the same rows
# come back on every fetch, and printing one took as long as the rest of its row.
_local_prints: dict[tuple, str] = {}
LOCAL_PRINTS_KEPT = 4096


def _local_print(moment: datetime, language: str | None) -> str:
    # Aware datetimes compare by instant: the key holds the wall clock and its zone.
    key = (moment.replace(tzinfo=None), moment.utcoffset(), moment.tzinfo, language)
    if (printed := _local_prints.get(key)) is None:
        if len(_local_prints) >= LOCAL_PRINTS_KEPT:
            _local_prints.clear()
        printed = _local_prints[key] = formats.localize(moment)
    return printed


@receiver(setting_changed)
def _forget_local_prints(**kwargs) -> None:
    _local_prints.clear()  # another format or time zone (tests)


def with_row_display(rows) -> None:
    """What each inbox row shows, worked out in Python rather than by the template's tags
    and filters (25 rows of {% url %}, date, naturaltime, truncatechars were a third of the
    page's CPU): `url`, `override_url`, `who` (the name, else the email), `received_iso`,
    `received_title` (the local time as Django prints it: kept by moment and language, as
    the same rows come back on every fetch), `received_ago` and `preview_text` (the
    preview's first SNIPPET_CHARS characters)."""
    request_url, override_url = url_maker("triage:request"), url_maker("triage:override")
    shorten, language = shortener(), get_language()
    for row in rows:
        received = timezone.template_localtime(row.received_at)
        row.url, row.override_url = request_url(row.pk), override_url(row.pk)
        row.who = row.candidate.name or row.candidate.email
        row.received_iso = received.isoformat()
        row.received_title = _local_print(received, language)
        row.received_ago = naturaltime(row.received_at)
        row.preview_text = shorten(row.preview)


def search_tabs(
    requests: QuerySet[CandidateRequest], query: str, bucket: str | None
) -> tuple[dict[str, int], set[str], str]:
    """A search's tabs: each tab's count up to COUNT_CAP (the `capped` tabs have more,
    "1,000+"), and the bucket shown (no `bucket`: the first with matches).

    One count, in the database, over the newest matches enough to fill every tab up to the
    cap (search.count_matches). If there were more (a word in thousands of requests), the
    tabs under the cap are "at least" too, and the bucket shown is counted again on its
    own, so its list still holds its own newest matches up to the cap."""
    cap = inbox_views.COUNT_CAP
    counts, stopped = search.count_matches(
        requests, query, buckets=Bucket.values, most=len(Bucket.values) * (cap + 1)
    )
    capped = {value for value, count in counts.items() if count > cap or stopped}
    if bucket is None:
        bucket = next((value for value in Bucket.values if counts[value]), Bucket.FUNNEL)
    if stopped and counts[bucket] <= cap:
        own, stopped = search.count_matches(
            requests.filter(final_bucket=bucket), query, buckets=[bucket], most=cap
        )
        counts[bucket] = own[bucket]
        capped.discard(bucket)
        if stopped:
            capped.add(bucket)
    counts = {value: min(count, cap) for value, count in counts.items()}
    return counts, capped, bucket


def read_search_tabs(
    query: str,
    bucket: str | None,
    *,
    status: str,
    within: QuerySet[CandidateRequest] | None = None,
) -> tuple[dict[str, int], set[str], str, list[int]]:
    """search_tabs from one read of the matches (search.read_matches, PostgreSQL), with the
    ids of the bucket shown in the order it lists them (its newest matches ranked). The read
    stops after enough matches to fill every tab up to the cap; if it stopped, the bucket
    shown is read again on its own (as search_tabs counts it again). `within`: the requests
    a flag or a view's scope leaves, if any."""
    cap = inbox_views.COUNT_CAP
    read = functools.partial(search.read_matches, query, status=status, within=within)
    every = list(Bucket.values)
    matches = read(most=len(every) * (cap + 1), buckets=every, ranked=[bucket] if bucket else every)
    counts = {value: matches.count(value) for value in every}
    capped = {value for value, count in counts.items() if count > cap or matches.stopped}
    if bucket is None:
        bucket = next((value for value in every if counts[value]), Bucket.FUNNEL)
    if matches.stopped and counts[bucket] <= cap:
        matches = read(most=cap, buckets=[bucket], ranked=[bucket])
        counts[bucket] = matches.count(bucket)
        capped.discard(bucket)
        if matches.stopped:
            capped.add(bucket)
    counts = {value: min(count, cap) for value, count in counts.items()}
    return counts, capped, bucket, matches.ranked(bucket)[:cap]


def inbox_page(
    *,
    bucket: str | None,
    status: str,
    query: str,
    flag: str = "",
    scope: str = "",
    user=None,
    before: str | None = None,
    after: str | None = None,
    page_number=None,
) -> dict:
    """The inbox: one bucket's requests filtered by status, words, flag and a view's scope
    (selectors.inbox_views), a page of them, and the count in each bucket's tab under the
    same filter. No bucket: the first one with requests (else the funnel). Newest first, by
    keyset; a search's matches best first, with a highlighted snippet each."""
    requests = inbox_requests(status=status, flag=flag)
    if scope:
        requests = requests.filter(inbox_views.scope_filter(scope, user=user))
    ranked_ids = None
    if query and connection.vendor == "postgresql":
        # PostgreSQL reads the matches once from the search table, counted and the bucket's
        # newest ranked together (read_search_tabs): asked for the newest matches of one
        # bucket of the requests (search.Ranked), its planner joins them by reading that
        # bucket's whole index, half the requests (at 100,000 requests, a word in 1% of
        # them: 20 to 50 ms a search). SQLite counts in one query and ranks the bucket's
        # newest matches in another (search_tabs).
        within = requests if flag or scope else None
        counts, capped, bucket, ranked_ids = read_search_tabs(
            query, bucket, status=status, within=within
        )
    elif query:
        counts, capped, bucket = search_tabs(requests, query, bucket)
    else:
        counts = bucket_counts(status=status, flag=flag, scope=scope, user=user)
        capped = set()
        if not kept_counts_answer(flag=flag, scope=scope):
            capped = {value for value, count in counts.items() if count > inbox_views.COUNT_CAP}
            counts = {value: min(count, inbox_views.COUNT_CAP) for value, count in counts.items()}
        if bucket is None:
            bucket = next((value for value in Bucket.values if counts[value]), Bucket.FUNNEL)
    rows = inbox_rows(requests.filter(final_bucket=bucket))
    if ranked_ids is not None:
        # The page's ids, ranked in memory; then its rows, read with their snippets.
        page = numbered_page(ranked_ids, page_number=page_number, total=counts[bucket])
        page.rows = search.shown(rows, page.rows, query)
    elif query:
        # Best first, each row with its snippet: one query for the page's rows.
        matches = search.Ranked(rows, query, total=counts[bucket], exact=bucket not in capped)
        page = numbered_page(matches, page_number=page_number, total=counts[bucket])
    else:
        page = keyset_page(rows, total=counts[bucket], before=before, after=after)
    page.total_capped = bucket in capped
    with_row_display(page.rows)
    return {
        "tabs": [(value, label, counts[value]) for value, label in Bucket.choices],
        "capped_tabs": capped,
        "bucket": bucket,
        "status": status,
        "query": query,
        "flag": flag,
        "scope": scope,
        "flag_choices": [(name.value, name.label) for name in FlagName],
        "page": page,
        "statuses": CandidateRequest.Status.choices,
        "templates": active_templates(user=user),
    }


# The request page lists this many of the person's other requests (their page has all).
OTHER_REQUESTS = 10


def other_requests(
    candidate_request: CandidateRequest, *, limit: int = OTHER_REQUESTS, with_replies=True
) -> list[CandidateRequest]:
    """The person's other requests, newest first, at most `limit`, each with its replies
    (unless not `with_replies`: the request page reads them with its own): what else they
    asked, and what we already wrote them. Two queries however many (one without)."""
    requests = (
        CandidateRequest.objects.filter(candidate_id=candidate_request.candidate_id)
        .exclude(pk=candidate_request.pk)
        .select_related(None)
        .only("id", "subject", "received_at", "status", "final_bucket", "candidate_id")
        .order_by("-received_at", "-pk")
    )
    if with_replies:
        requests = requests.prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("sent_by").order_by("pk"))
        )
    return list(requests[:limit])


def with_page_facts(requests: QuerySet[CandidateRequest]) -> QuerySet[CandidateRequest]:
    """The request page's request, with `we_wrote_before`: whether we answered this person
    before (a sent reply, or a request marked replied; outbox.reply_context's question),
    asked in the same query."""
    replied = CandidateRequest.objects.filter(candidate_id=OuterRef("candidate_id")).filter(
        Q(status=CandidateRequest.Status.REPLIED) | Q(replies__status=Reply.Status.SENT)
    )
    return requests.select_related(
        "candidate", "final_bucket_set_by", "assigned_to", "assigned_by"
    ).annotate(we_wrote_before=Exists(replied))


def _last_in(candidate_request: CandidateRequest, thread: list[Message]):
    incoming = [m.received_at for m in thread if m.direction == Message.Direction.IN]
    return max(incoming) if incoming else candidate_request.received_at


def page_replies(
    candidate_request: CandidateRequest, thread: list[Message], others: list[CandidateRequest]
) -> list[Reply]:
    """In one query, every reply the request page shows or weighs: this request's, those of
    the `others` it lists, and the newest live answer on any other request of the person's
    since what they last wrote here (answered_this_round's `elsewhere`: only the newest
    counts). That one is a subquery on the reply's own copy of the candidate: through its
    request, the database would walk every live answer of everyone, and loading them all
    would cost a person with hundreds of answers as many rows."""
    newest_elsewhere = (
        Reply.objects.filter(
            candidate_id=candidate_request.candidate_id,
            kind=Reply.Kind.ANSWER,
            status__in=Reply.LIVE_STATUSES,
            created_at__gte=_last_in(candidate_request, thread),
        )
        .exclude(request_id=candidate_request.pk)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        Reply.objects.filter(
            Q(request_id=candidate_request.pk)
            | Q(request_id__in=[other.pk for other in others])
            | Q(pk=Subquery(newest_elsewhere))
        ).select_related("sent_by", "request")
    )


def current_round(candidate_request: CandidateRequest, thread: list[Message] | None = None) -> int:
    """Which round of the conversation a reply now would answer (as outbox.queue_reply
    counts it): one per message the person sent in this request. `thread`: its messages,
    if the caller has them."""
    if thread is not None:
        return max(1, sum(m.direction == Message.Direction.IN for m in thread))
    return max(1, candidate_request.messages.filter(direction=Message.Direction.IN).count())


def answered_this_round(
    candidate_request: CandidateRequest,
    *,
    thread: list[Message] | None = None,
    replies: list[Reply] | None = None,
    elsewhere: list[Reply] | None = None,
) -> Reply | None:
    """The reply (queued, sent or unknown) the person already has for what they last wrote:
    this request's reply in its current round, or one we wrote them on another request
    after their last message here. None if nobody answered them yet. With the request's
    `thread` and `replies` in hand, one query (for the other requests) instead of four;
    none with `elsewhere` too: replies on the person's other requests, among them every
    live answer since their last message here (page_replies)."""
    if thread is not None:
        last_in = _last_in(candidate_request, thread)
    else:
        last_in = (
            candidate_request.messages.filter(direction=Message.Direction.IN)
            .order_by("-received_at")
            .values_list("received_at", flat=True)
            .first()
        ) or candidate_request.received_at
    answers = Reply.objects.filter(
        candidate_id=candidate_request.candidate_id,
        kind=Reply.Kind.ANSWER,
        status__in=Reply.LIVE_STATUSES,
    )
    round_ = current_round(candidate_request, thread)
    if replies is not None:
        here = [
            r
            for r in replies
            if r.kind == Reply.Kind.ANSWER and r.status in Reply.LIVE_STATUSES and r.round == round_
        ]
        if elsewhere is not None:
            there = [
                r
                for r in elsewhere
                if r.request_id != candidate_request.pk
                and r.kind == Reply.Kind.ANSWER
                and r.status in Reply.LIVE_STATUSES
                and r.created_at >= last_in
            ]
        else:
            there = [
                answers.exclude(request=candidate_request)
                .filter(created_at__gte=last_in)
                .select_related("sent_by", "request")
                .order_by("-created_at")
                .first()
            ]
        found = [r for r in [*here, *there] if r is not None]
        return max(found, key=lambda r: r.created_at) if found else None
    return (
        answers.filter(
            Q(request=candidate_request, round=round_)
            | (~Q(request=candidate_request) & Q(created_at__gte=last_in))
        )
        .select_related("sent_by", "request")
        .order_by("-created_at")
        .first()
    )


def _answers_our_reply(thread: list[Message], replies: list[Reply]) -> bool:
    """Whether one of the person's messages answers a reply we sent on this request (what
    verdicts.answered_by_us asks the database)."""
    ours = {reply.message_id for reply in replies}
    return any(
        m.direction == Message.Direction.IN and m.in_reply_to and m.in_reply_to in ours
        for m in thread
    )


def _second_opinion(candidate_request, thread, user):
    # Imported here, not at the top: scikit-learn takes about two seconds to import, which
    # every process that loads the URLs (the server, each command, each test run) would pay.
    from triage.services import assistant

    return assistant.second_opinion(request=candidate_request, thread=thread, user=user)


def active_templates(*, user=None) -> list[ReplyTemplate]:
    """The reply templates in use; on a page (`user`), kept in memory (config_cache)."""
    return config_cache.cached(
        "templates", lambda: list(ReplyTemplate.objects.filter(is_active=True)), user=user
    )


def request_page(candidate_request: CandidateRequest, *, user, template_id=None) -> dict:
    """The request page: the thread, its verdict and deciding rule, its replies and
    outcomes; for a recruiter also the suggested assignee, the draft of a reply from
    `template_id` (else the follow-up, the suggested or the bucket's template; FREE_FORM for
    none) and the matching openings.
    A hiring manager reads the request and records the outcome, nothing more.
    The same number of queries whatever the thread's length and the person's history; the
    configuration (profile, templates, rules, assistant, hiring managers) comes from memory
    while it is unchanged (services.config_cache)."""
    thread = list(candidate_request.messages.prefetch_related("attachments"))
    others = other_requests(candidate_request, with_replies=False)
    loaded = page_replies(candidate_request, thread, others)
    replies_here = [r for r in loaded if r.request_id == candidate_request.pk]
    by_request: dict[int, list[Reply]] = {}
    for reply in sorted(loaded, key=lambda r: r.pk):
        by_request.setdefault(reply.request_id, []).append(reply)
    for other in others:
        other.page_replies = by_request.get(other.pk, [])
    context = {
        "req": candidate_request,
        "replies": replies_here,
        # What the person wrote. Our sent replies are messages too (for threading), but
        # they are shown once, under Replies, with their status.
        "thread": [m for m in thread if m.direction == Message.Direction.IN],
        "other_requests": others,
        "other_requests_limit": OTHER_REQUESTS,
        "answered": answered_this_round(
            candidate_request,
            thread=thread,
            replies=replies_here,
            elsewhere=[r for r in loaded if r.request_id != candidate_request.pk],
        ),
        "buckets": Bucket.choices,
        "deciding_rule": rulebook.rule_by_key(candidate_request.suggested_rule, user=user),
        # The other rules that matched, by the titles the rules page shows (a key no rule has
        # any longer, deleted since, as it was recorded).
        "also_matched": [
            getattr(rulebook.rule_by_key(key, user=user), "title", key)
            for key in candidate_request.also_matched
        ],
        "second_opinion": _second_opinion(candidate_request, thread, user),
        "outcomes": candidate_request.outcomes.select_related("recorded_by"),
        "undoable_ids": set(),
    }
    if not access.is_recruiter(user):
        return context  # a hiring manager reads; Undo (like Reply) is for recruiters
    # Queued replies still inside their undo delay: the page offers Undo beside them.
    now = timezone.now()
    context["undoable_ids"] = {
        r.pk
        for r in replies_here
        if r.status == Reply.Status.QUEUED
        and r.attempts == 0
        and r.send_after is not None
        and r.send_after > now
    }
    try:
        profile = profiles.load_profile(user=user)
    except profiles.ProfileMissing:
        return {**context, "profile_missing": True}
    # What the rules read, worked out once from what is loaded already: the openings that
    # fit, the suggested assignee and the draft all start from it.
    facts = verdicts.facts_for(
        candidate_request,
        attachments=[a for message in thread for a in message.attachments.all()],
        words=candidate_request.rules_text,
        we_wrote_before=_answers_our_reply(thread, replies_here),
    )
    openings = verdicts.matching_openings(candidate_request, profile, facts=facts)
    active = active_templates(user=user)
    wrote_before = getattr(candidate_request, "we_wrote_before", None)  # with_page_facts
    free_form = template_id == FREE_FORM
    template = None
    if template_id and str(template_id).isdigit():
        template = next((t for t in active if t.pk == int(template_id)), None)
    if not free_form:
        template = template or outbox.default_template(
            candidate_request.final_bucket,
            request=candidate_request,
            replies=replies_here,
            active=active,
        )
    if free_form:
        draft = outbox.draft_text(
            candidate_request,
            replies.FREE_FORM_SUBJECT,
            replies.FREE_FORM_BODY,
            profile,
            user,
            openings=openings,
            wrote_before=wrote_before,
        )
    elif template:
        draft = outbox.draft_reply(
            candidate_request, template, profile, user, openings=openings, wrote_before=wrote_before
        )
    else:
        draft = None
    if undone := outbox.undo_draft(candidate_request, replies_here):  # Undo keeps the text
        draft = outbox.Draft(subject=undone.subject, body=undone.body, blocked_by=())
    return {
        **context,
        "suggested_assignee": assignment.suggested_assignee(
            candidate_request, profile, matches=openings, user=user
        ),
        "hiring_managers": assignment.hiring_managers(user=user),
        "draft": draft,
        "free_form": free_form,
        "template": template,
        "templates": active,
        "openings": openings,
        "loaded_at": timezone.now(),
    }
