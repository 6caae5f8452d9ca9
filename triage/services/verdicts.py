"""The facts and the verdict of a request: what the rules read about it, what they decide,
and how a request records it. Intake, a follow-up, re-triage, the rule dry run, the request
page and the reply drafts all ask here, so they read a request the same way."""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db.models import Exists, OuterRef

from triage import concepts, flags, mail, reply_choice, rules, talent
from triage.models import Attachment, CandidateRequest, Message, Reply
from triage.services.rulebook import Action, Rulebook, apply_action


def _addresses(pairs: Iterable) -> tuple[rules.Address, ...]:
    if not pairs:  # most requests: nobody in copy
        return ()
    return tuple(rules.Address(name=name, email=email.lower()) for name, email in pairs)


def own_words(texts: Iterable[str]) -> str:
    """What the rules read of a request: the candidate's messages in order (just the body
    for a new request), each without the history it quotes. Working this out is the slow
    part of triage, so intake keeps it on the request (rules_text) for re-triage."""
    return "\n\n".join(mail.new_text(text) for text in texts)


# The line that introduces quoted history: "On Mon, 2 Mar 2026 at 10:14, Jo <jo@…> wrote:"
# (and its common translations, "à écrit" as it is often mistyped), which may wrap onto a
# second line; the author may come after the verb ("Am … schrieb Jo <jo@…>:", "Op …
# schreef …", "Den … skrev …") or the line start with the date ("pon., 2 mar 2026 o 10:14 Jo
# <jo@…> napisał(a):"). Or Outlook's quoted header, in the writer's language ("Von:", "De :").
QUOTE_ATTRIBUTION = re.compile(
    r"^[ \t>]*(?:From|Von|De|Van|Da|Från|Fra|Od|Lähettäjä|Kimden|От|发件人|差出人|보낸 사람)"
    r"[ \t]?[:：]"
    r"[^\n]{1,200}$|"
    r"^[ \t>]*(?:On|Am|Le|El|Op|Il|Den|Em|W dniu|Dne)\b[^\n]{0,200}(?:\n[^\n>]{0,120})?"
    r"\b(?:wrote|schrieb|[aà] écrit|escribió|schreef|ha scritto|skrev|escreveu|"
    r"pisze|napisał\(a\)|napisała?|napsal\(a\)|napsala?|kirjoitti)"
    r"(?:[ \t][^\n:]{0,200})?[ \t]*:[ \t]*$|"
    r"^[ \t>]*[^\n>]{0,200}@[^\n]{0,200}\b(?:napisał\(a\)|napisała?|napsal\(a\)|"
    r"kirjoitti|escreveu|pisze)[ \t]*:[ \t]*$",
    re.MULTILINE,
)


# One of these is in every attribution line: most messages have none, and are not searched.
ATTRIBUTION_WORDS = (
    "From:",
    "wrote",
    "schrieb",
    " écrit",  # "a écrit", and "à écrit" as it is often typed
    "escribió",
    "schreef",
    "scritto",
    "skrev",
    "escreveu",
    "napisa",
    "pisze",
    "napsal",
    "kirjoitti",
    "Von:",
    "De:",
    "De :",
    "Van:",
    "Da:",
    "Från:",
    "Fra:",
    "Od:",
    "Lähettäjä:",
    "Kimden:",
    "От:",
    "发件人",
    "差出人",
    "보낸 사람",
)


def quoted_authors(texts: Iterable[str]) -> tuple[str, ...]:
    """The attribution lines of the history the messages quote, whitespace tidied."""
    # Every attribution line has a colon (most messages have none); then a substring test
    # per word is several times quicker than one regex of them all.
    texts = [text for text in texts if text and (":" in text or "\uff1a" in text)]
    if not texts:
        return ()
    return tuple(
        dict.fromkeys(
            " ".join(match.group(0).split())
            for text in texts
            if any(map(text.__contains__, ATTRIBUTION_WORDS))
            for match in QUOTE_ATTRIBUTION.finditer(text)
        )
    )


def request_facts(
    *,
    sender_name: str,
    sender_email: str,
    subject: str,
    body: str,
    recipients_to: Iterable,
    recipients_cc: Iterable,
    files: Sequence[tuple[str, str]] = (),
    quoted: Iterable[str] = (),
    we_wrote_before: bool = False,
) -> rules.RequestFacts:
    """What the rules read about a request; `body` is its own_words(), `files` the (name,
    extracted text) of its attachments, `quoted` the full texts (quoted history and all)
    whose attribution lines say who wrote what they quote, `we_wrote_before` whether it
    answers a message we sent."""
    quoted = tuple(quoted)
    return rules.RequestFacts(
        quoted_authors=quoted_authors(quoted),
        forwarded=next(filter(None, map(mail.forwarded_note, filter(None, quoted))), ""),
        we_wrote_before=we_wrote_before,
        sender=rules.Address(name=sender_name, email=sender_email),
        subject=subject,
        body=body,
        to=_addresses(recipients_to),
        cc=_addresses(recipients_cc),
        # Most requests come with no file.
        attachment_names=tuple(name for name, _ in files) if files else (),
        attachment_text="\n\n".join(text for _, text in files if text) if files else "",
    )


def facts_for(
    request: CandidateRequest,
    texts: Iterable[str] | None = None,
    *,
    attachments: Sequence[Attachment] | None = None,
    words: str | None = None,
    we_wrote_before: bool | None = None,
) -> rules.RequestFacts:
    """What the rules read about a request: `texts` are the candidate's messages (default:
    the request's body); `attachments` default to the files stored on its messages, and a
    request being built passes the ones it is about to store. `words`: own_words() already
    worked out (the parse does it for new mail). `we_wrote_before`: answered_by_us() of it,
    when a batch already asked for many requests at once."""
    if attachments is None:
        attachments = Attachment.objects.filter(message__request=request) if request.pk else []
        attachments = list(attachments.only("filename", "text"))
    return request_facts(
        sender_name=request.candidate.name,
        sender_email=request.candidate.email,
        subject=request.subject,
        body=words if words is not None else own_words([request.body] if texts is None else texts),
        recipients_to=request.recipients_to,
        recipients_cc=request.recipients_cc,
        files=[(a.filename, a.text) for a in attachments],
        quoted=[request.body] if texts is None else texts,
        we_wrote_before=_we_wrote_before(request) if we_wrote_before is None else we_wrote_before,
    )


def _we_wrote_before(request: CandidateRequest) -> bool:
    """Whether the request's messages answer one of the replies we sent on it."""
    return bool(request.pk) and request.pk in answered_by_us([request.pk])


def answered_by_us(request_ids: Iterable[int]) -> set[int]:
    """Which of the requests have a message answering one of the replies we sent on them
    (its In-Reply-To is our reply's Message-ID), in one query."""
    ours = Reply.objects.filter(
        request_id=OuterRef("request_id"), message_id=OuterRef("in_reply_to")
    )
    return set(
        Message.objects.filter(request_id__in=list(request_ids), direction=Message.Direction.IN)
        .exclude(in_reply_to="")
        .filter(Exists(ours))
        .values_list("request_id", flat=True)
    )


def verdict_for(facts: rules.RequestFacts, profile: rules.Profile, book: Rulebook) -> rules.Verdict:
    """The rules' verdict on one request, with the rule set `book` (current_rulebook(),
    fetched once per batch). Every path that triages (intake, a follow-up, re-triage) asks
    here, so which rules decide is chosen in this one place."""
    return rules.classify(facts, profile, book.rule_set)


def recorded_flags(facts: rules.RequestFacts) -> dict:
    """The request's flags (triage.flags) as CandidateRequest.flags holds them."""
    return {flag.name.value: flag.as_dict() for flag in flags.flags_for(facts)}


def recorded_verdict(verdict: rules.Verdict, facts: rules.RequestFacts) -> dict:
    """The rules' verdict, and the flags beside it, as a request's fields hold them (but
    final_bucket: see below). Flags are worked out with every verdict, so a follow-up or
    a re-triage brings them up to date too."""
    return {
        # A Bucket is a StrEnum: its str is its value (read without the enum's property).
        "suggested_bucket": str(verdict.bucket),
        "suggested_rule": verdict.rule,
        "reasons": [{"text": r.text, "evidence": list(r.evidence)} for r in verdict.reasons],
        "also_matched": list(verdict.also_matched),
        "flags": recorded_flags(facts),
    }


def apply_verdict(
    request: CandidateRequest, verdict: rules.Verdict, facts: rules.RequestFacts
) -> None:
    """Record the rules' verdict and the flags on a request (saved or not; the caller
    saves it).

    A bucket a recruiter chose is never changed by the rules."""
    for name, value in recorded_verdict(verdict, facts).items():
        setattr(request, name, value)
    if request.final_bucket_set_by_id is None:
        request.final_bucket = verdict.bucket.value


def triage(
    request: CandidateRequest,
    *,
    profile: rules.Profile,
    book: Rulebook,
    facts: rules.RequestFacts | None = None,
) -> rules.Verdict:
    """Classify with the rule set `book` (services.rulebook.current_rulebook(), fetched once
    per batch) and record the verdict, the rule-set version and the deciding rule's action:
    its suggested template and assignee, the flags beside the bucket, and the words it read
    (rules_text, kept for re-triage). The caller saves."""
    facts = facts or facts_for(request)
    request.rules_text = facts.body
    verdict = verdict_for(facts, profile, book)
    apply_verdict(request, verdict, facts)
    apply_action(request, verdict, book)
    return verdict


def matching_openings(
    request: CandidateRequest,
    profile: rules.Profile,
    *,
    attachments: Sequence[Attachment] | None = None,
    we_wrote_before: bool | None = None,
    facts: rules.RequestFacts | None = None,
) -> list[rules.Opening]:
    """Open roles whose title or skills the candidate mentions, best match first, leaving
    out roles in another place than theirs: where a recruiter recorded them to be, else
    where their message says they are. Remote roles stay; so does everything when we do not
    know where they are, and a role they name by its title (the reply lists it with its
    place: they asked about it, so it is theirs to weigh). `attachments`, `we_wrote_before`:
    as facts_for takes them; `facts` when the caller has them (the request page)."""
    # rules_text is None on old rows: worked out.
    facts = facts or facts_for(
        request,
        words=request.rules_text,
        attachments=attachments,
        we_wrote_before=we_wrote_before,
    )
    where = request.candidate.location or talent.stated_location(facts.body)
    return [
        opening
        for opening in concepts.matching_openings(facts, profile)
        if talent.location_fits(location=where, role_location=opening.location)
        or reply_choice.title_named(opening.title, f"{facts.subject}\n{facts.body}")
    ]


NO_ACTION = Action()


def reviewed_row(row: dict, profile: rules.Profile, book: Rulebook) -> dict:
    """The fields to write for the rules' verdict today. Only untouched requests come here,
    so the final bucket is the suggested one. The deciding rule's template comes with it;
    its assignee does not: re-triage never hands old requests to anyone (nor emails them)."""
    body = row["rules_text"] if row["texts"] is None else own_words(row["texts"])
    facts = request_facts(
        sender_name=row["candidate__name"],
        sender_email=row["candidate__email"],
        subject=row["subject"],
        body=body,
        recipients_to=row["recipients_to"],
        recipients_cc=row["recipients_cc"],
        files=row["files"],
        quoted=row["texts"] or [row["body"]],
    )  # we_wrote_before stays False: re-triage leaves requests we replied to alone
    verdict = verdict_for(facts, profile, book)
    # The recorded fields, with these added in place (not copied into a new dict).
    fields = recorded_verdict(verdict, facts)
    fields["final_bucket"] = fields["suggested_bucket"]
    fields["rules_text"] = body
    fields["rule_set_version"] = book.version
    fields["suggested_template"] = book.actions.get(verdict.rule, NO_ACTION).template_id
    return fields


def reviewed_rows(rows: Iterable[dict], profile: rules.Profile, book: Rulebook) -> list[dict]:
    """reviewed_row for each row, with the cyclic garbage collector paused (collector_paused):
    re-triage's evaluation, in one process or in a worker."""
    with collector_paused():
        return [reviewed_row(row, profile, book) for row in rows]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the rules run over many requests (re-triage,
    the rule dry run), then as it was (still off if it was off).

    The rules make no reference cycles (tests/test_retriage.py holds it), so reference
    counting frees all they make and the collector has nothing to find there. Left running,
    its full passes walk everything the process holds, the answers the rules keep per piece
    of text among it: a fifth of re-triage's evaluation time at 100,000 requests (README,
    the thirteenth round). A process-wide switch: another thread's cycles wait until it is
    back on."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def thread_facts(requests: Sequence[CandidateRequest]) -> dict[int, rules.RequestFacts]:
    """The facts triage read for each request (saved, with its candidate), for many at once
    in two or three queries: the words of the whole thread that intake kept (rules_text),
    or, on requests stored before it was kept, every message the candidate wrote in the
    thread; and the files of all its messages."""
    ids = [request.pk for request in requests]
    missing = [request.pk for request in requests if request.rules_text is None]
    texts: dict[int, list[str]] = defaultdict(list)
    if missing:
        for request_id, text in (
            Message.objects.filter(request_id__in=missing, direction=Message.Direction.IN)
            .order_by("request_id", "received_at", "pk")
            .values_list("request_id", "text")
        ):
            texts[request_id].append(text)
    answered = answered_by_us(ids)
    files: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for request_id, filename, text in Attachment.objects.filter(
        message__request_id__in=ids
    ).values_list("message__request_id", "filename", "text"):
        files[request_id].append((filename, text))
    return {
        request.pk: request_facts(
            sender_name=request.candidate.name,
            sender_email=request.candidate.email,
            subject=request.subject,
            body=(
                request.rules_text
                if request.rules_text is not None
                else own_words(texts.get(request.pk) or [request.body])
            ),
            recipients_to=request.recipients_to,
            recipients_cc=request.recipients_cc,
            files=files.get(request.pk, ()),
            quoted=texts.get(request.pk) or [request.body],
            we_wrote_before=request.pk in answered,
        )
        for request in requests
    }
