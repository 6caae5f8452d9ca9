"""Replies: drafting from a template, queueing once, sending from the worker."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.utils import make_msgid
from itertools import batched

import requests
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Field,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.formats import date_format

from triage import events, replies, reply_choice, rules, tasks
from triage.mail_backends import DeliveryUnknown
from triage.models import (
    WAITING_FOR_SETTINGS,
    Attachment,
    Candidate,
    CandidateRequest,
    Message,
    Opening,
    RecruiterProfile,
    Reply,
    ReplyTemplate,
)
from triage.services import audit, candidates, consent, profiles
from triage.services.intake import NO_MESSAGE_ID_DOMAIN
from triage.services.verdicts import answered_by_us, matching_openings

log = logging.getLogger(__name__)


def default_template(
    bucket: str,
    *,
    request: CandidateRequest | None = None,
    replies: list[Reply] | None = None,
    active: list[ReplyTemplate] | None = None,
) -> ReplyTemplate | None:
    """The template a reply starts from: a follow-up template when we already answered an
    earlier round of this request; the one the deciding rule's action suggested, while the
    request stays in the bucket the rules chose; else the one the person's situation calls
    for (reply_choice: an employee's introduction, someone who already applied), if it is
    active and in the bucket; else the bucket's default. A page that has the request's
    `replies` and the `active` templates in hand passes them: no query then."""
    if request is not None and (follow_up := follow_up_template(request, replies, active)):
        return follow_up
    if request is not None and request.suggested_template_id and not request.is_overridden:
        if active is not None:
            suggested = next((t for t in active if t.pk == request.suggested_template_id), None)
        else:
            suggested = ReplyTemplate.objects.filter(
                pk=request.suggested_template_id, is_active=True
            ).first()
        if suggested is not None:
            return suggested
    if request is not None and (fitting := situation_template(request, bucket, active)):
        return fitting
    if active is not None:
        in_bucket = sorted(
            (t for t in active if t.bucket == bucket), key=lambda t: (not t.is_default, t.name)
        )
        return in_bucket[0] if in_bucket else None
    return (
        ReplyTemplate.objects.filter(bucket=bucket, is_active=True)
        .order_by("-is_default", "name")
        .first()
    )


def situation(request: CandidateRequest) -> reply_choice.Situation | None:
    """The person's situation (reply_choice) from the rules' reasons and what they wrote."""
    return reply_choice.situation(
        rule="" if request.is_overridden else request.suggested_rule,
        subject=request.subject,
        text=request.rules_text if request.rules_text is not None else request.body,
    )


def situation_template(
    request: CandidateRequest, bucket: str, active: list[ReplyTemplate] | None = None
) -> ReplyTemplate | None:
    """The active template of `bucket` that the request's situation calls for, or None."""
    found = situation(request)
    if found is None:
        return None
    name = reply_choice.TEMPLATE_NAMES[found]
    if active is not None:
        return next((t for t in active if t.name == name and t.bucket == bucket), None)
    return ReplyTemplate.objects.filter(name=name, bucket=bucket, is_active=True).first()


def follow_up_template(
    request: CandidateRequest,
    replies: list[Reply] | None = None,
    active: list[ReplyTemplate] | None = None,
) -> ReplyTemplate | None:
    """For a reopened thread (we answered an earlier round), the follow-up template of its
    bucket, else any follow-up template; None for a first answer."""
    if replies is not None:
        answered = any(
            r.kind == Reply.Kind.ANSWER and r.status in Reply.LIVE_STATUSES for r in replies
        )
    else:
        answered = request.replies.filter(
            kind=Reply.Kind.ANSWER, status__in=Reply.LIVE_STATUSES
        ).exists()
    if not answered:
        return None
    if active is not None:
        follow_ups = [t for t in active if t.for_follow_ups]
    else:
        follow_ups = list(ReplyTemplate.objects.filter(is_active=True, for_follow_ups=True))
    same_bucket = [t for t in follow_ups if t.bucket == request.final_bucket]
    return (same_bucket or follow_ups or [None])[0]


def sender_identity(user) -> dict[str, str]:
    """Name, signature, From and Reply-To for replies by `user`; blanks fall back to the
    triage profile (the team's recruiter) and DEFAULT_FROM_EMAIL (`sender_fallbacks`)."""
    own = None
    if user and user.pk:
        if "recruiter_profile" in user._state.fields_cache:  # loaded with the signed-in user
            own = user._state.fields_cache["recruiter_profile"]
        else:
            own = RecruiterProfile.objects.filter(user=user).first()
    blank = sender_fallbacks(user, name=own.display_name if own else "")
    return {
        "name": (own and own.display_name) or blank["name"],
        "signature": (own and own.signature.strip()) or blank["signature"],
        "from_email": (own and own.from_email) or blank["from_email"],
        "reply_to": (own and own.reply_to) or blank["reply_to"],
    }


def sender_fallbacks(user, *, name: str = "") -> dict[str, str]:
    """What replies by `user` use where their own setting is blank: their account's full
    name, else the team recruiter's (the triage profile), and which it is (`name_from`); a
    signature of the name (`name`, theirs if set) and the company; DEFAULT_FROM_EMAIL; the
    team recruiter's address."""
    team = profiles.team_row(user=user)
    account_name = user.get_full_name() if user else ""
    fallback_name = account_name or (team.recruiter_name if team else "")
    company = team.company if team else ""
    return {
        "name": fallback_name,
        "name_from": "your account's name" if account_name else "the triage profile's recruiter",
        "signature": f"{name or fallback_name}\nRecruiting, {company}",
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "reply_to": team.recruiter_email if team else "",
    }


@dataclass(frozen=True)
class Known:
    """What drafting reads from the database, asked once for many requests (a bulk): each
    request's files, which requests answer a reply of ours, which people we wrote to."""

    attachments: dict[int, list[Attachment]]
    answered_by_us: frozenset[int]  # request ids
    wrote_before: frozenset[int]  # candidate ids


# Requests asked about in one query: IN lists stay well under SQLite's variable limit.
ASK_BATCH = 500


def known_for(requests: Sequence[CandidateRequest]) -> Known:
    """Known for these requests: three queries per ASK_BATCH requests, not three per draft."""
    files: dict[int, list[Attachment]] = {}
    answered: set[int] = set()
    wrote: set[int] = set()
    for chunk in batched(requests, ASK_BATCH):
        ids = [request.pk for request in chunk]
        rows = Attachment.objects.filter(message__request_id__in=ids).only("filename", "text")
        for attachment in rows.annotate(request_id=F("message__request_id")).order_by("pk"):
            files.setdefault(attachment.request_id, []).append(attachment)
        answered |= answered_by_us(ids)
        wrote |= set(
            _wrote_before_rows({request.candidate_id for request in chunk}).values_list(
                "candidate_id", flat=True
            )
        )
    return Known(
        attachments=files, answered_by_us=frozenset(answered), wrote_before=frozenset(wrote)
    )


def reply_context(
    request: CandidateRequest,
    profile: rules.Profile,
    by=None,
    sender: dict | None = None,
    opening: Opening | None = None,
    known: Known | None = None,
    openings: list | None = None,
    wrote_before: bool | None = None,
) -> dict[str, str]:
    """The placeholders' values for one request; `opening` is the role a "role opened"
    reply is about; `known`: known_for() a batch this request is in; `openings`,
    matching_openings() if the caller worked them out; `wrote_before`, whether we answered
    this person before, if the caller knows (else it is asked)."""
    sender = sender or (sender_identity(by) if by is not None else None)
    name_parts = request.candidate.name.split()
    if known is None:
        answered_before = (
            wrote_before if wrote_before is not None else _wrote_before(request.candidate_id)
        )
        if openings is None:
            openings = matching_openings(request, profile)
    else:
        answered_before = request.candidate_id in known.wrote_before
        if openings is None:
            openings = matching_openings(
                request,
                profile,
                attachments=known.attachments.get(request.pk, []),
                we_wrote_before=request.pk in known.answered_by_us,
            )
    # A role they say they already applied for is not one to point them to again.
    applied = reply_choice.applied_titles(
        [o.title for o in openings],
        subject=request.subject,
        text=request.rules_text if request.rules_text is not None else request.body,
    )
    openings = [o for o in openings if o.title not in applied]
    return {
        "first_name": name_parts[0] if name_parts else "",
        "last_name": " ".join(name_parts[1:]),
        "company": profile.company,
        "careers_url": profile.careers_url,
        "openings": "\n".join(
            f"- {o.title}{f' ({o.location})' if o.location else ''}: {o.url}" for o in openings
        ),
        "recruiter_name": sender["name"] if sender else profile.recruiter_name,
        "recruiter_signature": sender["signature"]
        if sender
        else f"{profile.recruiter_name}\nRecruiting, {profile.company}",
        # Without its "Re:"s: the templates write "Re: {{ original_subject }}". The contact
        # page has no subject field: what the candidate would call it (see draft_text).
        "original_subject": (
            f"Your message to {profile.company}"
            if request.channel == CandidateRequest.Channel.FORM
            else replies.strip_subject_prefixes(request.subject)
        ),
        "original_date": date_format(timezone.localtime(request.received_at), "DATE_FORMAT"),
        "consent_url": consent.consent_url(request.candidate_id),
        "role_title": opening.title if opening else "",
        "role_url": opening.url if opening else "",
        "wrote_before": "yes" if answered_before else "",
    }


def _wrote_before(candidate_id: int) -> bool:
    """Whether we answered this person before: a sent reply, or a request marked replied."""
    return _wrote_before_rows([candidate_id]).exists()


def _wrote_before_rows(candidate_ids):
    return CandidateRequest.objects.filter(candidate_id__in=list(candidate_ids)).filter(
        Q(status=CandidateRequest.Status.REPLIED) | Q(replies__status=Reply.Status.SENT)
    )


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    blocked_by: tuple[str, ...]  # placeholders that would render empty: the send is refused


def draft_reply(
    request: CandidateRequest,
    template: ReplyTemplate,
    profile: rules.Profile,
    by=None,
    openings: list | None = None,
    wrote_before: bool | None = None,
) -> Draft:
    return draft_text(
        request,
        template.subject,
        template.body,
        profile,
        by,
        openings=openings,
        wrote_before=wrote_before,
    )


def draft_text(
    request: CandidateRequest,
    subject: str,
    body: str,
    profile: rules.Profile,
    by=None,
    sender: dict | None = None,
    opening: Opening | None = None,
    known: Known | None = None,
    openings: list | None = None,
    wrote_before: bool | None = None,
) -> Draft:
    """Render a subject and body that passed `replies.check` for one request."""
    context = reply_context(
        request, profile, by, sender, opening, known, openings, wrote_before=wrote_before
    )
    blocked = replies.empty_placeholders(subject, context) + replies.empty_placeholders(
        body, context
    )
    subject = replies.render(subject, context)
    if request.channel == CandidateRequest.Channel.FORM:
        # They wrote no email, so "Re:" answers nothing: "Your message to <company>".
        subject = replies.strip_subject_prefixes(subject) or subject
    return Draft(
        subject=subject,
        body=replies.render(body, context),
        blocked_by=tuple(dict.fromkeys(blocked)),
    )


class AlreadyAnswered(Exception):
    """The request already has a reply queued or sent."""


class Collision(Exception):
    """Someone else answered this candidate after the page was loaded."""


class PersonAnswered(Collision):
    """The person already has an answer in this round (since they last wrote)."""

    def __init__(self, message: str, *, reply: Reply):
        super().__init__(message)
        self.reply = reply


def _who(reply: Reply) -> str:
    return (reply.sent_by.get_full_name() or reply.sent_by.username) if reply.sent_by else "Someone"


def answered_this_round(candidate_id: int) -> Reply | None:
    """The person's live answer since they last wrote, on any of their requests: one round of
    the conversation is one email, however many requests the person has open."""
    return answered_this_round_for([candidate_id]).get(candidate_id)


def answered_this_round_for(candidate_ids) -> dict[int, Reply]:
    """answered_this_round for many people in one query: {candidate id: newest answer}."""
    last_wrote = (
        Message.objects.filter(
            request__candidate_id=OuterRef("request__candidate_id"),
            direction=Message.Direction.IN,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    answers = (
        Reply.objects.filter(
            request__candidate_id__in=list(candidate_ids),
            kind=Reply.Kind.ANSWER,
            status__in=Reply.LIVE_STATUSES,
        )
        .annotate(last_wrote=Subquery(last_wrote))
        .filter(Q(last_wrote__isnull=True) | Q(created_at__gte=F("last_wrote")))
        .select_related("sent_by", "request")
        .order_by("-created_at", "-pk")
    )
    newest: dict[int, Reply] = {}
    for answer in answers:
        newest.setdefault(answer.request.candidate_id, answer)
    return newest


def answered_text(reply: Reply) -> str:
    when = date_format(timezone.localtime(reply.created_at), "DATETIME_FORMAT")
    return f"Already answered on {when} by {_who(reply)} (“{reply.subject}”)"


def check_collision(*, request: CandidateRequest, since: datetime, by) -> None:
    """Raise Collision if anyone (the same recruiter in another tab too) replied, since
    `since`, to this candidate: one person writing to several recruiters gets one answer."""
    other = replied_since([request.candidate_id], since=since).get(request.candidate_id)
    if other is not None:
        raise _collision(other, request)


def replied_since(candidate_ids, *, since: datetime) -> dict[int, Reply]:
    """Each person's newest live reply queued after `since`, in one query."""
    others = (
        Reply.objects.filter(
            request__candidate_id__in=list(candidate_ids),
            created_at__gt=since,
            status__in=Reply.LIVE_STATUSES,
        )
        .select_related("sent_by", "request")
        .order_by("-created_at", "-pk")
    )
    newest: dict[int, Reply] = {}
    for other in others:
        newest.setdefault(other.request.candidate_id, other)
    return newest


def _collision(other: Reply, request: CandidateRequest) -> Collision:
    what = "this request" if other.request_id == request.pk else f"“{other.request}”"
    return Collision(
        f"{_who(other)} replied to {what} from the same candidate since you opened this page: "
        "nothing was sent. Read their reply before writing another."
    )


def check_person(*, request: CandidateRequest) -> None:
    """Raise PersonAnswered if the person has an answer in this round already."""
    answer = answered_this_round(request.candidate_id)
    if answer is not None:
        raise _person_answered(answer, request)


def _person_answered(answer: Reply, request: CandidateRequest) -> AlreadyAnswered | Collision:
    if answer.request_id == request.pk:  # this very round of this request: no second answer
        return AlreadyAnswered(AlreadyAnswered.__doc__)
    return PersonAnswered(
        f"{answered_text(answer)} to “{answer.request}”: nothing was sent. They have not "
        "written since, so another email would be a second answer; choose “Send anyway” if "
        "they need it.",
        reply=answer,
    )


def lock_people(candidate_ids) -> None:
    """Lock the people's rows until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transactions already serialize writers), in one order so two bulks cannot deadlock.
    Whoever holds the lock checks "answered this round?" and inserts with nobody between."""
    list(
        Candidate.objects.select_for_update()
        .filter(pk__in=list(candidate_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def undo_delay() -> timedelta:
    return timedelta(seconds=max(settings.REPLY_UNDO_SECONDS, 0))


@transaction.atomic
def queue_reply(
    *,
    request: CandidateRequest,
    template: ReplyTemplate | None,
    subject: str,
    body: str,
    by,
    since: datetime | None = None,
    opening: Opening | None = None,
    send_anyway: bool = False,
) -> Reply:
    """Queue the reply for sending; raises AlreadyAnswered if this request has one, Collision
    if anyone answered the candidate after `since` (when the page loaded), and PersonAnswered
    if the person has an answer since they last wrote, on any request: unless `send_anyway`,
    the recruiter's explicit choice after being told. With `opening`, it is not an answer but
    "a role opened that fits you": once per role, and the request's status is left as it was.

    The person's row is locked first, so two sends to one person (two tabs, two recruiters,
    a bulk beside a single send) check and insert one after the other; the unique constraint
    on live replies per round still stops a double submit on the same request. The worker may
    send it REPLY_UNDO_SECONDS later: until then, undo_reply takes it back."""
    lock_people([request.candidate_id])
    # A do-not-contact person gets nothing, whichever path queues the reply.
    candidates.ensure_contactable(request.candidate_id)

    if not send_anyway:
        if since is not None:
            check_collision(request=request, since=since, by=by)
        if opening is None:
            check_person(request=request)
    status_before = (
        CandidateRequest.objects.filter(pk=request.pk).values_list("status", flat=True).first()
    )
    reply = _new_reply(
        request,
        template=template,
        subject=subject,
        body=body,
        by=by,
        opening=opening,
        messages_in=request.messages.filter(direction=Message.Direction.IN).count(),
        send_after=send_after(),
        status_before=status_before or "",
    )
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError as error:
        raise AlreadyAnswered(AlreadyAnswered.__doc__) from error
    if opening is None:
        # A failed earlier answer to this person is answered by this one: off the outbox.
        Reply.objects.filter(
            request__candidate_id=request.candidate_id,
            kind=Reply.Kind.ANSWER,
            status=Reply.Status.FAILED,
        ).update(status=Reply.Status.SUPERSEDED, next_attempt_at=None)
        CandidateRequest.objects.filter(pk=request.pk).update(
            status=CandidateRequest.Status.REPLIED, updated_at=timezone.now()
        )
    audit.record(
        action=audit.Action.QUEUED_REPLY,
        by=by,
        target=reply,
        description=_queued_description(reply, opening),
    )
    transaction.on_commit(lambda: enqueue_send(reply.pk, run_after=reply.send_after))
    return reply


def send_after() -> datetime | None:
    """When the worker may send a reply queued now: after the undo delay."""
    delay = undo_delay()
    return timezone.now() + delay if delay else None


def _new_reply(
    request: CandidateRequest,
    *,
    template: ReplyTemplate | None,
    subject: str,
    body: str,
    by,
    opening: Opening | None,
    messages_in: int,
    send_after: datetime | None,
    status_before: str,
) -> Reply:
    return Reply(
        request=request,
        candidate_id=request.candidate_id,
        template=template,
        to_email=request.candidate.email,
        to_name=request.candidate.name,
        # One header line, whatever the template made, and never "Re: Re: RE:".
        subject=replies.tidy_subject(subject),
        body=body.strip() + "\n",
        sent_by=by,
        message_id=mail_message_id(),
        round=max(1, messages_in),
        kind=Reply.Kind.ROLE_OPENED if opening else Reply.Kind.ANSWER,
        opening=opening,
        send_after=send_after,
        request_status_before=status_before,
    )


@dataclass(frozen=True)
class Outgoing:
    """One reply of a batch to queue (queue_replies)."""

    request: CandidateRequest
    template: ReplyTemplate | None
    subject: str
    body: str


# Refusals queue_reply raises; queue_replies returns them instead, one per refused item.
Refusal = AlreadyAnswered | Collision | candidates.DoNotContact


@transaction.atomic
def queue_replies(
    items: Sequence[Outgoing], *, by, since: datetime | None = None, opening: Opening | None = None
) -> list[Reply | Refusal]:
    """Queue many replies at once (a bulk action): for each item exactly what queue_reply
    would do, its checks asked of the whole batch in a few queries and the rows written in
    bulk. Each item's outcome, in order: its Reply, or the refusal queue_reply would have
    raised (DoNotContact, Collision, PersonAnswered, AlreadyAnswered).

    The people are locked first, as queue_reply does. A person twice in the batch, or a
    batch the database refuses (a unique constraint: someone got there first after all),
    goes through queue_reply one item at a time, so the outcome is always queue_reply's."""
    outcomes: list[Reply | Refusal | None] = [None] * len(items)
    lock_people({item.request.candidate_id for item in items})
    first, again, people = [], [], set()
    for index, item in enumerate(items):
        (again if item.request.candidate_id in people else first).append(index)
        people.add(item.request.candidate_id)
    refused = _refusals([items[i].request for i in first], since=since, opening=opening)
    ready = []
    for index in first:
        if (refusal := refused.get(items[index].request.pk)) is not None:
            outcomes[index] = refusal
        else:
            ready.append(index)
    try:
        with transaction.atomic():
            created = _create_replies([items[i] for i in ready], by=by, opening=opening)
    except IntegrityError:
        again += ready
    else:
        for index, reply in zip(ready, created, strict=True):
            outcomes[index] = reply
    for index in sorted(again):
        item = items[index]
        try:
            outcomes[index] = queue_reply(
                request=item.request,
                template=item.template,
                subject=item.subject,
                body=item.body,
                by=by,
                since=since,
                opening=opening,
            )
        except (AlreadyAnswered, Collision, candidates.DoNotContact) as refusal:
            outcomes[index] = refusal
    return outcomes


def _refusals(
    requests: list[CandidateRequest], *, since: datetime | None, opening: Opening | None
) -> dict[int, Refusal]:
    """queue_reply's checks, in its order, for requests of different people: {request id:
    the refusal} for those it would refuse. Three queries."""
    people = {request.candidate_id for request in requests}
    barred = set(
        Candidate.objects.filter(pk__in=people, do_not_contact=True).values_list("pk", flat=True)
    )
    others = replied_since(people, since=since) if since is not None else {}
    answers = answered_this_round_for(people) if opening is None else {}
    refused: dict[int, Refusal] = {}
    for request in requests:
        person = request.candidate_id
        if person in barred:
            refused[request.pk] = candidates.DoNotContact(candidates.DoNotContact.__doc__)
        elif person in others:
            refused[request.pk] = _collision(others[person], request)
        elif person in answers:
            refused[request.pk] = _person_answered(answers[person], request)
    return refused


def _create_replies(items: list[Outgoing], *, by, opening: Opening | None) -> list[Reply]:
    """queue_reply's writes for people who passed its checks: the replies in one insert,
    their requests marked replied and their people's failed answers superseded in one
    UPDATE each, and their sends enqueued in batches after the commit."""
    if not items:
        return []
    ids = [item.request.pk for item in items]
    statuses = dict(CandidateRequest.objects.filter(pk__in=ids).values_list("pk", "status"))
    messages_in = dict(
        Message.objects.filter(request_id__in=ids, direction=Message.Direction.IN)
        .values("request_id")
        .annotate(n=Count("pk"))
        .values_list("request_id", "n")
    )
    after = send_after()
    created = Reply.objects.bulk_create(
        _new_reply(
            item.request,
            template=item.template,
            subject=item.subject,
            body=item.body,
            by=by,
            opening=opening,
            messages_in=messages_in.get(item.request.pk, 0),
            send_after=after,
            status_before=statuses.get(item.request.pk) or "",
        )
        for item in items
    )
    if opening is None:
        people = {item.request.candidate_id for item in items}
        Reply.objects.filter(
            request__candidate_id__in=people,
            kind=Reply.Kind.ANSWER,
            status=Reply.Status.FAILED,
        ).update(status=Reply.Status.SUPERSEDED, next_attempt_at=None)
        CandidateRequest.objects.filter(pk__in=ids).update(
            status=CandidateRequest.Status.REPLIED, updated_at=timezone.now()
        )
    audit.record_each(
        action=audit.Action.QUEUED_REPLY,
        by=by,
        targets=created,
        describe=lambda reply: _queued_description(reply, opening),
    )
    reply_ids = [reply.pk for reply in created]
    transaction.on_commit(lambda: enqueue_sends(reply_ids, run_after=after))
    return created


def _queued_description(reply: Reply, opening: Opening | None) -> str:
    return f"Queued reply #{reply.pk} to request #{reply.request_id}" + (
        f" (a role opened: opening #{opening.pk})" if opening else ""
    )


class TooLateToUndo(Exception):
    """The reply has already left (or is leaving): it cannot be undone."""


@transaction.atomic
def undo_reply(*, reply: Reply, by) -> Reply:
    """Take back a queued reply before the worker sends it: it is never sent, its text stays
    as the request's draft, and the request returns to the status it had before."""
    undone = Reply.objects.filter(pk=reply.pk, status=Reply.Status.QUEUED, attempts=0).update(
        status=Reply.Status.UNDONE, next_attempt_at=None, error=f"Undone by {by}"
    )
    if not undone:
        raise TooLateToUndo("Too late to undo: the reply is already on its way or sent.")
    reply.refresh_from_db()
    if reply.kind == Reply.Kind.ANSWER and reply.request_status_before:
        CandidateRequest.objects.filter(
            pk=reply.request_id, status=CandidateRequest.Status.REPLIED
        ).update(status=reply.request_status_before, updated_at=timezone.now())
    return reply


def undoable(reply: Reply, *, now: datetime | None = None) -> bool:
    """Whether the page should still offer Undo: queued, never tried, within its delay."""
    now = now or timezone.now()
    return (
        reply.status == Reply.Status.QUEUED
        and reply.attempts == 0
        and reply.send_after is not None
        and reply.send_after > now
    )


def undo_draft(request: CandidateRequest, replies: list[Reply] | None = None) -> Reply | None:
    """The text of a reply undone since the person last wrote, to start the next draft from.
    `replies`: the request's, if the caller has them."""
    if replies is not None:
        kept = [r for r in replies if r.status != Reply.Status.SUPERSEDED]
        last = max(kept, key=lambda r: (r.created_at, r.pk)) if kept else None
    else:
        last = (
            request.replies.exclude(status=Reply.Status.SUPERSEDED).order_by("-created_at").first()
        )
    return last if last is not None and last.status == Reply.Status.UNDONE else None


def enqueue_send(reply_id: int, run_after: datetime | None = None) -> None:
    task = tasks.send_reply
    if run_after is not None and run_after > timezone.now():
        if not task.get_backend().supports_defer:
            # The immediate backend (tests) cannot wait: send_due_replies (the periodic sweep)
            # sends it once its time has come.
            return
        task = task.using(run_after=run_after)
    task.enqueue(reply_id)


def due_replies(*, now: datetime | None = None, grace: timedelta = timedelta(0)):
    """Queued replies whose time (undo delay, retry backoff) passed more than `grace` ago."""
    moment = (now or timezone.now()) - grace
    return Reply.objects.filter(status=Reply.Status.QUEUED, created_at__lte=moment).filter(
        Q(send_after__isnull=True) | Q(send_after__lte=moment),
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment),
    )


# Replies one task sends over one connection to the mail server. Several tasks let several
# workers share a big bulk; a task claims its replies SEND_CHUNK at a time, and a reply in
# two tasks is claimed by one of them only.
SEND_BATCH = 100


def enqueue_sends(reply_ids: Sequence[int], run_after: datetime | None = None) -> None:
    """Enqueue the sends of many replies due at the same time: one task per SEND_BATCH."""
    task = tasks.send_replies
    if run_after is not None and run_after > timezone.now():
        if not task.get_backend().supports_defer:
            return  # as in enqueue_send: the periodic sweep sends them when due
        task = task.using(run_after=run_after)
    for chunk in batched(reply_ids, SEND_BATCH):
        task.enqueue(list(chunk))


def send_due_replies(*, now: datetime | None = None, grace: timedelta = timedelta(0)) -> int:
    """Enqueue every queued reply that is due: after a worker died mid-drain, its tasks are
    gone but the rows are not. A reply enqueued twice is still sent once (send_reply claims)."""
    ids = list(due_replies(now=now, grace=grace).order_by("pk").values_list("pk", flat=True))
    enqueue_sends(ids)
    return len(ids)


def mail_message_id() -> str:
    return make_msgid(domain=settings.MESSAGE_ID_DOMAIN)


# Transient failures retry after 1, 2, 4, 8 minutes..., at most MAX_ATTEMPTS sends in all.
MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


# An email provider's HTTP answers that may pass later: a timeout, "too many requests".
TRANSIENT_HTTP_STATUSES = {408, 425, 429}


def is_transient(error: Exception) -> bool:
    """SMTP: 4xx replies, dropped connections and timeouts may pass later; 5xx and bad
    addresses not. An email provider's API is the other way round: 5xx and no answer at all
    (connection refused, timeout) may pass later; 4xx (bad request, unprocessable, bad key)
    and refused recipients will not, and a person has to look."""
    if isinstance(error, AnymailRecipientsRefused):
        return False
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        if status is None:
            return isinstance(error, (requests.ConnectionError, requests.Timeout))
        return status >= 500 or status in TRANSIENT_HTTP_STATUSES
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError))


CONFIG_RETRY = timedelta(minutes=5)


def is_configuration_error(error: Exception) -> bool:
    return isinstance(
        error,
        (
            smtplib.SMTPNotSupportedError,  # "STARTTLS extension not supported by server"
            smtplib.SMTPAuthenticationError,
            ssl.SSLError,  # TLS to a server that does not speak it, a certificate mismatch
            ImproperlyConfigured,
        ),
    )


def configuration_advice(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(error):
        return (
            "The SMTP server does not offer STARTTLS but EMAIL_USE_TLS is on (the default). "
            "Set EMAIL_USE_TLS=0 for a server without TLS, or use the port that offers it."
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "The SMTP server refused the login: check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD."
    if isinstance(error, ssl.SSLError):
        return "TLS to the SMTP server failed: check EMAIL_PORT, EMAIL_USE_TLS and the certificate."
    return "The mail settings are incomplete: see the README's settings table."


def describe(error: Exception) -> str:
    if isinstance(error, DeliveryUnknown):
        return describe(error.cause)
    if isinstance(error, AnymailRecipientsRefused):
        status = getattr(error.email_message, "anymail_status", None)
        refused = [
            f"{address}: {recipient.status}"
            for address, recipient in (status.recipients if status else {}).items()
        ]
        return f"The email provider refused the recipient ({'; '.join(refused) or error})"
    if isinstance(error, AnymailAPIError):
        # The provider's own words (status and JSON body), which say what to fix.
        return " ".join(str(error).split())[:1000]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        return f"{error.smtp_code} {message}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {message.decode('utf-8', 'replace')}"
            for address, (code, message) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def is_delivery_unknown(error: Exception) -> bool:
    """The message went out and the answer was lost: SMTP dropped after DATA, or an email
    provider's API that got the request and never answered (a read timeout)."""
    return isinstance(error, (DeliveryUnknown, requests.ReadTimeout))


def sweep_stuck_replies(*, now: datetime | None = None) -> int:
    """Replies stuck in "sending" longer than REPLY_SENDING_TIMEOUT_MINUTES become "unknown".

    A worker that died between handing the email over and recording it leaves the row in
    "sending": the email may have left. It is never sent again blindly; a recruiter checks
    with the candidate and presses "send it again". Runs every few minutes (run_periodic)
    and before each send. Each row is updated only if it is still the same stuck send, so a
    send that finishes meanwhile keeps its "sent"."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.REPLY_SENDING_TIMEOUT_MINUTES)
    stuck = Reply.objects.filter(status=Reply.Status.SENDING, sending_started_at__lt=cutoff)
    swept = 0
    for reply_id, started, attempts in stuck.values_list("pk", "sending_started_at", "attempts"):
        started_text = date_format(timezone.localtime(started), "DATETIME_FORMAT")
        swept += Reply.objects.filter(
            pk=reply_id, status=Reply.Status.SENDING, sending_started_at=started
        ).update(
            status=Reply.Status.UNKNOWN,
            next_attempt_at=None,
            error=(
                f"Sending started {started_text} (attempt {attempts}) and never finished: "
                "the worker stopped and the email may or may not have left; "
                "check with the candidate before resending."
            ),
        )
    if swept:
        log.warning("Marked %s replies stuck in sending as unknown", swept)
    return swept


def mailbox(name: str, address: str) -> str:
    """`Name <address>`, quoted where the name needs it, kept in Unicode: Django encodes it for
    SMTP, and a provider's JSON API takes it as it is (formataddr's =?utf-8?b?...?= would be
    shown to the candidate as is by some providers). Line breaks in a name are collapsed."""
    return str(Address(display_name=" ".join(name.split()), addr_spec=address))


# Email providers whose send API drops a second request with the same key (so a retry after a
# lost answer cannot send twice), and the header anymail passes it in. Brevo reads
# "idempotencyKey" from the message's headers (15 minutes). Postmark, Mailgun, SendGrid,
# Amazon SES and SparkPost take none: for them, and for SMTP, the reply's Message-ID is the
# same on every attempt, so a copy that did arrive threads as the same message.
IDEMPOTENCY_HEADERS = {"brevo": "idempotencyKey"}


def idempotency_headers(reply: Reply) -> dict[str, str]:
    backend = settings.MAILERS["default"]["BACKEND"]  # "anymail.backends.<provider>.EmailBackend"
    provider = backend.split(".")[2] if backend.startswith("anymail.backends.") else ""
    header = IDEMPOTENCY_HEADERS.get(provider)
    return {header: reply.message_id.strip("<>")} if header else {}


def build_message(reply: Reply, *, sender: dict | None = None) -> EmailMessage:
    sender = sender or sender_identity(reply.sent_by)
    message = EmailMultiAlternatives(
        subject=reply.subject,
        body=reply.body,
        from_email=mailbox(sender["name"], sender["from_email"]),
        to=[mailbox(reply.to_name, reply.to_email)],
        reply_to=[sender["reply_to"]] if sender["reply_to"] else None,
        headers={"Message-ID": reply.message_id, "Auto-Submitted": "no"},
    )
    message.extra_headers.update(idempotency_headers(reply))
    original = reply.request.message_id or ""
    if original and not original.endswith(f"@{NO_MESSAGE_ID_DOMAIN}>"):
        message.extra_headers.update({"In-Reply-To": original, "References": original})
    if settings.REPLY_HTML:
        # Plain first, HTML after: alternatives go from plainest to richest (RFC 2046).
        message.attach_alternative(replies.as_html(reply.body, title=reply.subject), "text/html")
    return message


def send_reply(reply_id: int) -> Reply | None:
    """Send one queued reply. Claims it first, so two workers cannot both send it; not before
    its undo delay (send_after) or retry time (next_attempt_at). None if it was not claimed."""
    return send_replies([reply_id])[0]


# Replies a worker claims at once, sends over its one connection and records together: two
# commits a chunk (the claim, the outcomes) instead of two a reply, and each query asked once
# for the chunk. A commit on PostgreSQL waits for the disk (about 7 ms on the benchmark's
# machine), so per reply they were most of the time. The chunk is also what a worker killed
# outright leaves ambiguous (see send_replies): kept small for that.
SEND_CHUNK = 25


def send_replies(reply_ids: Sequence[int]) -> list[Reply | None]:
    """Send queued replies over one connection to the mail server, SEND_CHUNK at a time: each
    chunk is claimed in one transaction, sent, and its outcomes recorded in one transaction.
    Returns, per id and in order, the reply as sent or failed; None if it was not claimed
    (not queued, not due, or another worker has it).

    A send that fails closes the connection and the next reply opens a new one, so a dropped
    connection costs only the reply that was on it (retried if the server did not have it,
    "unknown" if it did), never the replies before or after it. Failures are recorded as they
    happen; "sent" is recorded at the end of the chunk.

    What a worker that stops mid-chunk leaves: if it lives to see the stop (an exception, a
    second Ctrl-C or SIGTERM: SystemExit), the replies it sent are recorded sent, the one it
    was sending becomes "unknown" (the server may have taken it) and the ones it had not
    started go back to the queue, as if never claimed. A worker killed outright (SIGKILL, the
    OOM killer, a power cut) records nothing: its chunk stays "sending" and the sweeper makes
    it "unknown" after REPLY_SENDING_TIMEOUT_MINUTES, the replies already handed over and the
    ones never started alike, since nothing durable tells them apart. That is the price of
    recording per chunk (one reply per kill before, up to SEND_CHUNK now): more replies for a
    recruiter to check, never one sent twice."""
    sweep_stuck_replies()
    connection = mailers.default
    senders: dict[int | None, dict] = {}  # sender_identity per recruiter, asked once a batch
    outcomes: dict[int, Reply] = {}
    try:
        for chunk in batched(reply_ids, SEND_CHUNK):
            outcomes.update((reply.pk, reply) for reply in _send_chunk(chunk, connection, senders))
    finally:
        _close_quietly(connection)
    return [outcomes.get(reply_id) for reply_id in reply_ids]


def claim_replies(reply_ids: Sequence[int], *, now: datetime) -> list[Reply]:
    """Take the due, queued replies among `reply_ids` into "sending", in one transaction, and
    return them (oldest first) with what sending needs. Exclusive: PostgreSQL locks the rows
    as it reads them and another worker skips them (SKIP LOCKED) rather than waits; SQLite's
    IMMEDIATE transaction holds the database's write lock from the read to the commit. Read
    here, with the claim, do-not-contact is as fresh as the send."""
    with transaction.atomic():
        claimed = list(
            Reply.objects.filter(pk__in=list(reply_ids), status=Reply.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .filter(Q(send_after__isnull=True) | Q(send_after__lte=now))
            .select_related("request__candidate", "sent_by")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        Reply.objects.filter(pk__in=[reply.pk for reply in claimed]).update(
            status=Reply.Status.SENDING, sending_started_at=now, attempts=F("attempts") + 1
        )
    for reply in claimed:  # as the UPDATE left them
        reply.status, reply.sending_started_at = Reply.Status.SENDING, now
        reply.attempts += 1
    return claimed


def _send_chunk(reply_ids: Sequence[int], connection, senders: dict) -> list[Reply]:
    claimed = claim_replies(reply_ids, now=timezone.now())
    sent: list[Reply] = []
    finished = 0  # replies sent or recorded as failed, from the start of `claimed`
    in_flight: Reply | None = None
    try:
        for reply in claimed:
            in_flight = reply
            if _send_claimed(reply, connection, senders):
                sent.append(reply)
            in_flight = None
            finished += 1
    except BaseException as stop:
        try:
            _record_sent(sent)
        finally:
            started = finished + (in_flight is not None)
            _stopped_midway(in_flight, never_started=claimed[started:], reason=describe(stop))
        raise
    _record_sent(sent)
    return claimed


def _send_claimed(reply: Reply, connection, senders: dict) -> bool:
    """Send one claimed reply; True if the server took it (the caller records it, with the
    chunk), else its failure is recorded here and now."""
    try:
        if reply.request.candidate.do_not_contact:
            raise candidates.DoNotContact(candidates.DoNotContact.__doc__)
        if reply.sent_by_id not in senders:
            senders[reply.sent_by_id] = sender_identity(reply.sent_by)
        message = build_message(reply, sender=senders[reply.sent_by_id])
        _deliver(connection, message)
    except Exception as error:
        _record_failure(reply, error)
        reply.refresh_from_db()
        return False
    reply.status, reply.sent_at = Reply.Status.SENT, timezone.now()
    reply.error, reply.next_attempt_at = "", None
    reply.provider_message_id = provider_message_id(message)
    return True


def _record_sent(sent: list[Reply]) -> None:
    """The chunk's sent replies, in one transaction: their rows (whatever the sweeper made of
    them meanwhile: they did leave), their messages in the threads, their events."""
    if not sent:
        return
    provider_ids = {reply.pk: reply.provider_message_id for reply in sent}
    with transaction.atomic():
        # One UPDATE, what differs per reply in a CASE (bulk_update's CASE for every field
        # and row cost more than sending the emails).
        Reply.objects.filter(pk__in=[reply.pk for reply in sent]).update(
            status=Reply.Status.SENT,
            error="",
            next_attempt_at=None,
            sent_at=_per_row({reply.pk: reply.sent_at for reply in sent}, DateTimeField()),
            provider_message_id=(
                _per_row(provider_ids, CharField()) if any(provider_ids.values()) else ""
            ),
        )
        record_sent_all(sent)
        events.publish_all([events.make(events.REPLY_SENT, reply=r, kind=r.kind) for r in sent])


def _per_row(values: dict[int, object], field: Field) -> Case:
    """A column's value for each row, by primary key, for one UPDATE of many rows."""
    return Case(
        *(When(pk=pk, then=Value(value)) for pk, value in values.items()), output_field=field
    )


def _stopped_midway(in_flight: Reply | None, *, never_started: list[Reply], reason: str) -> None:
    """The worker stopped inside a chunk: the reply it was sending may have left ("unknown",
    as the sweeper would make it, without the wait); those it never started go back to the
    queue, their attempt not counted. Each only if still "sending" as this worker left it."""
    if in_flight is not None:
        Reply.objects.filter(pk=in_flight.pk, status=Reply.Status.SENDING).update(
            status=Reply.Status.UNKNOWN,
            next_attempt_at=None,
            error=(
                f"The worker stopped while sending ({reason}): the email may or may not have "
                "left; check with the candidate before resending."
            ),
        )
    if never_started:
        Reply.objects.filter(
            pk__in=[reply.pk for reply in never_started], status=Reply.Status.SENDING
        ).update(status=Reply.Status.QUEUED, attempts=F("attempts") - 1)
    log.warning(
        "Sending stopped (%s): reply %s unknown, %s back in the queue",
        reason,
        in_flight.pk if in_flight else None,
        len(never_started),
    )


def _deliver(connection, message: EmailMessage) -> None:
    """Hand one message over on the open connection (opening it if need be). On any error
    the connection is closed: after a drop, a 421 or a timeout it is no good for the next."""
    try:
        connection.open()
        connection.send_messages([message])
    except Exception:
        _close_quietly(connection)
        raise


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception as error:  # the messages are recorded; a failed QUIT changes nothing
        log.info("Closing the mail connection failed: %s", describe(error))


def _record_failure(reply: Reply, error: Exception) -> None:
    """Four outcomes: unknown (the message may have left), waiting on the configuration,
    retried later (transient, before the server had it), failed with the reason."""
    reason = describe(error)
    log.warning("Sending reply %s failed (attempt %s): %s", reply.pk, reply.attempts, reason)
    still_sending = Reply.objects.filter(pk=reply.pk, status=Reply.Status.SENDING)
    if is_delivery_unknown(error):
        still_sending.update(
            status=Reply.Status.UNKNOWN,
            next_attempt_at=None,
            error=(
                f"The connection was lost after the message was handed over ({reason}): "
                "the email may or may not have arrived; check with the candidate before resending."
            ),
        )
    elif is_configuration_error(error):
        retry_at = timezone.now() + CONFIG_RETRY
        # Not the reply's fault: the attempt is not counted, and it waits for the fix.
        still_sending.update(
            status=Reply.Status.QUEUED,
            attempts=F("attempts") - 1,
            next_attempt_at=retry_at,
            error=f"{WAITING_FOR_SETTINGS}{configuration_advice(error)} ({reason})",
        )
        transaction.on_commit(lambda: enqueue_send(reply.pk, run_after=retry_at))
    elif is_transient(error) and reply.attempts < MAX_ATTEMPTS:
        retry_at = timezone.now() + backoff(reply.attempts)
        still_sending.update(
            status=Reply.Status.QUEUED, next_attempt_at=retry_at, error=f"Retrying: {reason}"
        )
        transaction.on_commit(lambda: enqueue_send(reply.pk, run_after=retry_at))
    else:
        with transaction.atomic():
            failed = still_sending.update(
                status=Reply.Status.FAILED, error=reason, next_attempt_at=None
            )
            # Back in the inbox, so the failure is seen and the reply can be sent again.
            CandidateRequest.objects.filter(pk=reply.request_id).update(
                status=CandidateRequest.Status.NEW
            )
            if failed:
                events.publish(events.REPLY_FAILED, reply=reply, error=reason)


def provider_message_id(message: EmailMessage) -> str:
    """The email provider's id for a message anymail sent (to find it in the provider's logs
    and match its delivery events); blank for SMTP and files, where our Message-ID is it."""
    status = getattr(message, "anymail_status", None)
    return str(status.message_id or "") if status is not None else ""


@transaction.atomic
def retry_reply(*, reply: Reply, by, send_anyway: bool = False) -> Reply:
    """A recruiter sends a failed reply again, or confirms an "unknown" one did not arrive.

    The same row goes back to the queue (same Message-ID, so a copy that did arrive threads
    as a duplicate rather than a new email). AlreadyAnswered if another reply is live, or if
    the person was answered since (a later round's reply, another request's): a failed reply
    of an earlier round is never re-queued over it, unless `send_anyway`."""
    if reply.status not in (Reply.Status.FAILED, Reply.Status.UNKNOWN):
        raise AlreadyAnswered("Only failed or unknown replies can be sent again.")
    lock_people([reply.request.candidate_id])
    if reply.kind == Reply.Kind.ANSWER and not send_anyway:
        later = (
            Reply.objects.filter(
                request__candidate_id=reply.request.candidate_id,
                kind=Reply.Kind.ANSWER,
                status__in=Reply.LIVE_STATUSES,
                created_at__gt=reply.created_at,
            )
            .exclude(pk=reply.pk)
            .select_related("sent_by", "request")
            .first()
        )
        if later is not None:
            raise AlreadyAnswered(f"{answered_text(later)}: this older reply was not resent.")
    try:
        with transaction.atomic():
            updated = Reply.objects.filter(pk=reply.pk, status=reply.status).update(
                status=Reply.Status.QUEUED, attempts=0, next_attempt_at=None, error=""
            )
    except IntegrityError as error:
        raise AlreadyAnswered(AlreadyAnswered.__doc__) from error
    if not updated:
        raise AlreadyAnswered("Someone else already sent this reply again.")
    if reply.kind == Reply.Kind.ANSWER:
        CandidateRequest.objects.filter(pk=reply.request_id).update(
            status=CandidateRequest.Status.REPLIED, updated_at=timezone.now()
        )
    transaction.on_commit(lambda: enqueue_send(reply.pk))
    reply.refresh_from_db()
    return reply


def record_sent(reply: Reply) -> Message:
    return record_sent_all([reply])[0]


def record_sent_all(sent: Sequence[Reply]) -> list[Message]:
    """Our replies as messages in their requests' threads, so an answer to one finds its
    request; an answer also sets its request's first reply time if it is the first (or
    earlier). Two queries however many replies."""
    firsts: dict[int, datetime] = {}  # request id: its earliest answer among `sent`
    for reply in sent:
        if reply.kind == Reply.Kind.ANSWER and reply.sent_at is not None:
            earlier = firsts.get(reply.request_id, reply.sent_at)
            firsts[reply.request_id] = min(earlier, reply.sent_at)
    if firsts:
        first = _per_row(firsts, DateTimeField())
        CandidateRequest.objects.filter(pk__in=list(firsts)).filter(
            Q(first_replied_at__isnull=True) | Q(first_replied_at__gt=first)
        ).update(first_replied_at=first)
    return Message.objects.bulk_create(
        Message(
            request_id=reply.request_id,
            direction=Message.Direction.OUT,
            sender=settings.DEFAULT_FROM_EMAIL,
            subject=reply.subject,
            text=reply.body,
            received_at=reply.sent_at,
            message_id=reply.message_id,
        )
        for reply in sent
    )


def fill_first_replied_at(batch: int = 500) -> int:
    """Set each answered request's first reply time from its answers sent (what record_sent
    keeps up to date), for requests stored with their replies in bulk (the benchmark): one
    aggregate over the replies, written back a batch at a time. Migration 0030 did the same
    for the requests stored before the column. Returns how many requests it set."""
    firsts = (
        Reply.objects.filter(kind=Reply.Kind.ANSWER, sent_at__isnull=False)
        .values("request_id")
        .annotate(first=Min("sent_at"))
        .order_by("request_id")
    )
    done = 0
    for rows in batched(firsts.iterator(chunk_size=batch), batch):
        CandidateRequest.objects.bulk_update(
            [CandidateRequest(pk=row["request_id"], first_replied_at=row["first"]) for row in rows],
            ["first_replied_at"],
        )
        done += len(rows)
    return done
