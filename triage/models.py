"""What the app stores. Models own their invariants: the rules that must never break
(one candidate per address, one live reply per request, one default template per bucket)
are database constraints, not hopes in view code."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.text import get_valid_filename

from triage import mail, replies, rules, talent
from triage.flags import FlagName
from triage.fulltext import SearchDocumentField


class Bucket(models.TextChoices):
    FUNNEL = rules.Bucket.FUNNEL.value, rules.Bucket.FUNNEL.label
    NETWORK = rules.Bucket.NETWORK.value, rules.Bucket.NETWORK.label
    EXCEPTIONAL = rules.Bucket.EXCEPTIONAL.value, rules.Bucket.EXCEPTIONAL.label


class WebURLField(models.URLField):
    """A link people click: http(s) only (Django's URLField also takes ftp). Templates check
    again with the web_url filter, for rows stored before this field."""

    default_validators = [URLValidator(schemes=["http", "https"])]


def validate_other_names(value) -> None:
    """Other names of the skills: an object from each skill, as the profile writes it, to a
    list of names (strings with a letter or a digit in them)."""
    example = '{"cryo-EM": ["cryo-electron microscopy", "single-particle analysis"]}'
    if not isinstance(value, dict):
        raise ValidationError(
            "Enter an object of skills and their other names, e.g. %(example)s.",
            code="other_names",  # not "invalid": the field would put its own message
            params={"example": example},
        )
    problems = []
    for skill, names in value.items():
        if not skill.strip():
            problems.append("A skill with no name: write the skill as the profile lists it.")
        elif not isinstance(names, list):
            problems.append(f'"{skill}": expected a list of other names, e.g. {example}.')
        elif not all(isinstance(n, str) and re.search(r"\w", n) for n in names):
            problems.append(f'"{skill}": each other name must be text with a letter or a digit.')
    if problems:
        raise ValidationError(problems, code="other_names")


class TriageProfile(models.Model):
    """The company as the rules see it. There is one row (pk=1); see `TriageProfile.load()`."""

    company = models.CharField(max_length=200)
    careers_url = WebURLField()
    recruiter_name = models.CharField(max_length=200)
    recruiter_email = models.EmailField()
    employee_domains = models.JSONField(
        default=list, blank=True, help_text='A JSON list, e.g. ["example.com"].'
    )
    hard_to_fill_skills = models.JSONField(default=list, blank=True, help_text="A JSON list.")
    other_names = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_other_names],
        help_text=(
            "What practitioners also call a skill, so the rules recognise it however a "
            "candidate writes it: a JSON object from a skill, written exactly as above or in "
            "an opening, to a list of its other names, e.g. "
            '{"cryo-EM structure determination": ["cryo-electron microscopy", '
            '"single-particle analysis", "RELION"]}. Give specific terms (an abbreviation, '
            "the expansion, a method or tool that stands for the skill), not an everyday "
            'word ("design", "testing"). A name in capitals ("ORC") or of under four letters '
            "counts only written the same way."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="single_triage_profile")]

    def __str__(self):
        return f"Triage profile for {self.company}"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "TriageProfile | None":
        return cls.objects.filter(pk=1).first()


class Opening(models.Model):
    # What the profile importer matches a role by when the file is loaded again (its URL
    # unless the file gives an explicit `key`): the row is updated in place and keeps its
    # page, hiring manager and "already told about this role" history.
    key = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=200)
    url = WebURLField(max_length=500)
    skills = models.JSONField(default=list, blank=True, help_text="A JSON list.")
    location = models.CharField(max_length=200, blank=True)
    is_open = models.BooleanField(default=True)
    # Whether its OpeningFit rows are current (services/fits.py): false from a change of
    # its skills, place or state until its rebuild ran; the page ranks live meanwhile.
    fits_ready = models.BooleanField(default=False, editable=False)
    team = models.CharField(max_length=200, blank=True)
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_openings",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="unique_opening_key"
            ),
        ]

    def __str__(self):
        return self.title


class NotablePerson(models.Model):
    """Someone whose request always deserves a conversation."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "notable people"

    def __str__(self):
        return self.name


class KnownContact(models.Model):
    """Someone the team already knows: a former colleague, a person met at an event."""

    name = models.CharField(max_length=200)
    email = models.EmailField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_known_contact_email"),
        ]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    email = models.EmailField(unique=True, help_text="Lower-cased; one candidate per address.")
    name = models.CharField(max_length=200, blank=True)
    # Their skills are rows (CandidateSkill, `skill_rows`), looked up by key; `skills` lists them.
    # Where they are ("Denver, CO", "Remote"): as a recruiter wrote it, or as intake read it
    # from their words, with the phrase in `location_evidence` (blank when a recruiter set
    # it). Roles elsewhere are left out of their replies and rank lower for them.
    location = models.CharField(max_length=200, blank=True)
    location_evidence = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A recruiter's "never write to this person again", with who said so and when.
    do_not_contact = models.BooleanField(default=False)
    do_not_contact_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    do_not_contact_set_at = models.DateTimeField(null=True, blank=True)
    do_not_contact_reason = models.CharField(max_length=300, blank=True)
    # Consent to stay in the talent pool: given (through the link in the keep-in-touch reply,
    # or recorded by a recruiter) until it expires; the retention sweep erases people whose
    # consent lapsed or who never gave it (services/privacy.py).
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_expires_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The talent pool. Null means "the default interval after the last contact".
    next_follow_up = models.DateField(null=True, blank=True, db_index=True)
    # Kept by services/pool.refresh from the requests and replies, so the pool page filters
    # and orders in the database: in the pool (a network-later request), the day of the
    # last contact (their newest request or our newest sent reply), and when to follow up.
    in_pool = models.BooleanField(default=False, editable=False)
    last_contact_on = models.DateField(null=True, blank=True, editable=False)
    follow_up_due = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="candidate_email_lower"),
            # One current answer (services/consent.py): consent to keep in touch and
            # "don't contact me" never stand together.
            models.CheckConstraint(
                condition=Q(do_not_contact=False) | Q(consent_given_at__isnull=True),
                name="candidate_consent_or_do_not_contact",
            ),
        ]
        # Whole indexes led by in_pool, not partial ones: SQLite cannot use a partial index
        # for "in_pool = %s" with the value bound as a parameter, as Django binds it.
        indexes = [
            models.Index(
                fields=["in_pool", "follow_up_due", "email"], name="candidate_pool_follow_up"
            ),
            models.Index(fields=["in_pool", "location"], name="candidate_pool_location"),
            models.Index(fields=["in_pool", "email", "name"], name="candidate_pool_names"),
            # The dashboard's network path: the people who agreed (a few), found by index.
            models.Index(
                fields=["consent_given_at"],
                condition=Q(consent_given_at__isnull=False),
                name="candidate_consented",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def skills(self) -> list[str]:
        """Their skill tags, in order (prefetch `skill_rows` to read many people's)."""
        return [row.name for row in self.skill_rows.all()]


class CandidateSkill(models.Model):
    """One skill of a person, as a row the pool's filter and an opening's fits look up by
    `key` (its name lower-cased), with where it came from: a recruiter, or intake reading
    their message or résumé (`evidence`: the phrase it was read in)."""

    class Source(models.TextChoices):
        RECRUITER = "recruiter", "A recruiter"
        MESSAGE = "message", "Their message or résumé"

    # Looked up through unique_candidate_skill's index, which starts with the candidate.
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="skill_rows", db_index=False
    )
    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, editable=False)
    source = models.CharField(max_length=10, choices=Source, default=Source.RECRUITER)
    evidence = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "key"], name="unique_candidate_skill"),
            models.CheckConstraint(
                condition=Q(key=Lower("key")) & ~Q(key=""), name="candidate_skill_key_lower"
            ),
        ]
        indexes = [models.Index(fields=["key", "candidate"], name="candidate_skill_by_key")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = talent.skill_key(self.name)
        super().save(*args, **kwargs)


class OpeningFit(models.Model):
    """A pool person who fits an open role, with their score, worked out ahead
    (services/fits.py) when a person's skills, place or pool state change or the role does:
    the opening's page reads its best few off the index instead of ranking the whole pool."""

    # Looked up through unique_opening_fit's index, which starts with the opening; the
    # candidate's own index serves deleting a person's fits when they change.
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="+", db_index=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()  # 2 a shared skill, 1 for the place
    here = models.BooleanField()  # the place counted
    # The tie-break, copied so the index gives the page's order (an address never changes:
    # it is who the candidate is).
    email = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opening", "candidate"], name="unique_opening_fit"),
        ]
        indexes = [
            models.Index(fields=["opening", "-score", "email"], name="opening_fit_best_first"),
        ]

    def __str__(self):
        return f"{self.email} fits opening {self.opening_id} ({self.score})"


class CandidateRequest(models.Model):
    """One thing a candidate asked of us, as it arrived, with the rules' verdict."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        FORM = "form", "Web form"
        IMPORT = "import", "Import"

    class Status(models.TextChoices):
        NEW = "new", "New"
        REPLIED = "replied", "Replied"
        # Done without a reply (nothing to answer, handled elsewhere): leaves New.
        CLOSED = "closed", "Closed"
        # Kept, out of the way: leaves New, still found under "All" and its own filter.
        ARCHIVED = "archived", "Archived"
        # Not a real request: leaves the inbox, and its sender's next mail is set aside.
        SPAM = "spam", "Spam"

    # Put away by a recruiter without a reply; a follow-up from the person reopens it.
    PUT_AWAY = (Status.CLOSED, Status.ARCHIVED, Status.SPAM)

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="requests")
    channel = models.CharField(max_length=10, choices=Channel, default=Channel.EMAIL)
    subject = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True, help_text="Plain text as the candidate wrote it.")
    # To and Cc as [[name, address], ...]: the rules read them (introductions), so keep them.
    recipients_to = models.JSONField(default=list, blank=True)
    recipients_cc = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=998, null=True, blank=True, unique=True)
    received_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW, db_index=True)

    suggested_bucket = models.CharField(max_length=12, choices=Bucket)
    suggested_rule = models.CharField(max_length=100)
    reasons = models.JSONField(default=list, help_text='[{"text": ..., "evidence": [...]}]')
    also_matched = models.JSONField(default=list, blank=True)
    # Beside the bucket (triage.flags), set with the verdict: {"urgent": {"text", "evidence",
    # "action", "topic"}, "not-candidate": {...}}. Keyed by flag, so the inbox filters with
    # has_key on every database.
    flags = models.JSONField(default=dict, blank=True)
    final_bucket = models.CharField(max_length=12, choices=Bucket, db_index=True)
    # Null while the rules' suggestion stands; the recruiter who changed it otherwise.
    final_bucket_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_bucket_set_at = models.DateTimeField(null=True, blank=True)
    # The candidate's words as the rules read them (every message of theirs, quoted history
    # removed: intake.own_words). Kept so re-triage need not work them out again, the slow
    # part. Null (not "": a message can be empty) on requests stored before it was kept.
    rules_text = models.TextField(null=True, blank=True)  # noqa: DJ001

    # Who should act on it beyond a canned reply (a hiring manager for an exceptional
    # candidate), set by a recruiter or by a rule's action.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # The saved rule set that made the suggestion (null: before rules were editable), and
    # what the rule's action picked as the reply to start from.
    rule_set_version = models.ForeignKey(
        "RuleSetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_template = models.ForeignKey(
        "ReplyTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why a recruiter moved it, if they said: it is what tells whether a rule needs fixing.
    override_reason = models.TextField(blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who last closed, archived or marked it as spam, when and why (the status says which).
    # Kept when a follow-up reopens it: the record of what was decided stays.
    put_away_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    put_away_at = models.DateTimeField(null=True, blank=True)
    put_away_reason = models.CharField(max_length=500, blank=True)
    # When our first answer to it was sent (a bounced one was sent too): set by
    # outbox.record_sent in the transaction that records the send, so the dashboard's
    # time to first reply reads one column instead of joining and grouping the replies.
    first_replied_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The inbox's tabs (one status, or any) and a person's timeline, newest first,
            # ties by id: read in index order, never sorted (migration 0028).
            models.Index(
                fields=["final_bucket", "status", "-received_at", "-id"],
                name="request_bucket_status_newest",
            ),
            models.Index(
                fields=["final_bucket", "-received_at", "-id"], name="request_bucket_newest"
            ),
            models.Index(fields=["candidate", "-received_at", "-id"], name="request_person_newest"),
            # The dashboard counts a period's requests by bucket, rule and what recruiters did:
            # with every column it reads here, those counts never visit the table's rows.
            models.Index(
                fields=[
                    "received_at",
                    "final_bucket",
                    "suggested_rule",
                    "suggested_bucket",
                    "status",
                    "final_bucket_set_at",
                ],
                name="request_dashboard",
            ),
            # The dashboard's time to first reply: the period's answered requests, both
            # times in the index, the rows never visited.
            models.Index(
                fields=["received_at", "first_replied_at"],
                condition=Q(first_replied_at__isnull=False),
                name="request_first_reply",
            ),
            # The dashboard's network path: a bucket's people by arrival, and whether answered,
            # counted from the index alone.
            models.Index(
                fields=["final_bucket", "received_at", "candidate", "first_replied_at"],
                name="request_bucket_people",
            ),
            # The inbox's views (selectors.inbox_views) read only the requests someone
            # handled, from partial indexes that hold nothing else: "unassigned" is the kept
            # count less the assigned requests, "waiting on a hiring manager" reads those,
            # and "mine" one index per way a request becomes someone's. Partial, so that
            # the planners' statistics see the few users in them rather than a column of
            # nulls (SQLite then scanned the table for "mine").
            *(
                models.Index(
                    fields=[column, "status"],
                    condition=Q(**{f"{column}__isnull": False}),
                    name=name,
                )
                for column, name in (
                    ("assigned_to", "request_assigned"),
                    ("assigned_by", "request_assigned_by"),
                    ("final_bucket_set_by", "request_moved_by"),
                    ("put_away_by", "request_put_away_by"),
                )
            ),
            # The assigned requests by status and bucket, with their ids: "unassigned" counts
            # the assigned new ones and "waiting on a hiring manager" looks each assigned one
            # up among the outcomes, both from this index alone (an index-only scan), instead
            # of visiting each request's row, scattered over the table as it grows (on
            # PostgreSQL the waiting view's rows cost 27 pages at 10,000 requests, 431 at
            # 100,000; from here 4 and 3, plus 2 per outcome looked up).
            models.Index(
                fields=["status", "final_bucket", "id"],
                condition=Q(assigned_to__isnull=False),
                name="request_assigned_state",
            ),
        ]
        constraints = [
            # A flag is shown with what it rests on: none is stored without evidence.
            models.CheckConstraint(
                condition=Q(
                    *(
                        ~Q(flags__has_key=name.value)
                        | Q(**{f"flags__{name}__evidence__0__isnull": False})
                        for name in FlagName
                    )
                ),
                name="flag_has_evidence",
            ),
            # Nobody closes a conversation silently: a put-away request says when and why.
            models.CheckConstraint(
                condition=~Q(status__in=["closed", "archived", "spam"])
                | (Q(put_away_at__isnull=False) & ~Q(put_away_reason="")),
                name="put_away_request_says_when_and_why",
            ),
        ]

    def __str__(self):
        return self.subject or "(no subject)"

    @property
    def is_overridden(self) -> bool:
        return self.final_bucket != self.suggested_bucket

    @property
    def is_put_away(self) -> bool:
        return self.status in self.PUT_AWAY

    @property
    def evidence(self) -> list[str]:
        return [item for reason in self.reasons for item in reason.get("evidence", [])]

    @property
    def flag_list(self) -> list[dict]:
        """The flags in a fixed order, each with its name and label, for pages."""
        return [
            {"name": name.value, "label": name.label, **self.flags[name]}
            for name in FlagName
            if name in (self.flags or {})
        ]


class ReplyTemplate(models.Model):
    """A canned reply. Subject and body may use the placeholders in `triage.replies`."""

    name = models.CharField(max_length=200, unique=True)
    bucket = models.CharField(max_length=12, choices=Bucket)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    is_default = models.BooleanField(
        default=False, help_text="Suggested first for requests in this bucket."
    )
    is_active = models.BooleanField(default=True)
    # Suggested instead when a thread reopens: we answered before, and they wrote again.
    for_follow_ups = models.BooleanField(
        default=False, help_text="Suggested when the person writes again after our answer."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["bucket", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bucket"],
                condition=Q(is_default=True),
                name="one_default_template_per_bucket",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for field in ("subject", "body"):
            if problems := replies.check(getattr(self, field)):
                errors[field] = problems
        if errors:
            raise ValidationError(errors)


# The mail settings are wrong, not the reply: every reply would fail the same way. They stay
# queued, their error starting with this, and the Outbox page says what to fix, once.
WAITING_FOR_SETTINGS = "Waiting for the mail settings to be fixed: "


def error_start() -> models.Func:
    """A reply's error as far as WAITING_FOR_SETTINGS goes, as reply_outbox_waiting indexes
    it: the length is written into the SQL, not passed as a parameter, as SQLite only uses
    an index on an expression written the same way."""
    length = len(WAITING_FOR_SETTINGS)
    return models.Func(
        models.F("error"),
        template=f"SUBSTR(%(expressions)s, 1, {length})",
        output_field=models.TextField(),
    )


class Reply(models.Model):
    """One email we send to a candidate. It is a row before it is sent, so nothing is lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # The worker stopped between "sending" and "sent": the email may or may not have left.
        UNKNOWN = "unknown", "Unknown: check before resending"
        # Sent, and a bounce for it came back (intake): the candidate never got it.
        BOUNCED = "bounced", "Bounced"
        # Undone by the recruiter within the undo delay: never sent, the text kept as a draft.
        UNDONE = "undone", "Undone"
        # A failed reply that a later reply to the same person replaced: nothing left to do.
        SUPERSEDED = "superseded", "Replaced by a later reply"

    # The statuses in which a reply counts as "the" answer to its request. "unknown" counts:
    # the candidate may have it, so nothing else goes out until a recruiter has checked.
    LIVE_STATUSES = (Status.QUEUED, Status.SENDING, Status.SENT, Status.UNKNOWN)

    # The outbox's tabs and the statuses each shows: what needs a recruiter first, then what
    # is still on its way. Every other status (sent, undone, replaced) is in no tab.
    OUTBOX_TABS = {
        "unknown": (Status.UNKNOWN,),
        "failed": (Status.FAILED,),
        "bounced": (Status.BOUNCED,),  # sent, and a bounce came back
        "pending": (Status.QUEUED, Status.SENDING),
    }

    class Kind(models.TextChoices):
        # An answer to what the candidate wrote: one per round of the conversation.
        ANSWER = "answer", "Answer"
        # We write first: a role opened that fits someone in the pool. One per role and person.
        ROLE_OPENED = "role_opened", "A role opened"

    request = models.ForeignKey(CandidateRequest, on_delete=models.CASCADE, related_name="replies")
    # The request's candidate, copied onto the row by save(): a person may have several
    # requests, and the database can only promise "once per person" about a column it sees.
    # Looked up through reply_person_newest, which starts with the candidate.
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="replies", editable=False, db_index=False
    )
    template = models.ForeignKey(ReplyTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.ANSWER)
    opening = models.ForeignKey(
        Opening, null=True, blank=True, on_delete=models.SET_NULL, related_name="role_replies"
    )
    to_email = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    # Which of the candidate's messages this answers: how many they had sent in the request
    # when the reply was queued. See the constraint below.
    round = models.PositiveIntegerField(default=1)
    message_id = models.CharField(max_length=998, unique=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The durable outbox. Transient SMTP errors retry with backoff.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Undo send: the worker may not send before this (REPLY_UNDO_SECONDS after queueing).
    send_after = models.DateTimeField(null=True, blank=True)
    # The request's status before this reply marked it replied, for Undo to put it back.
    request_status_before = models.CharField(max_length=10, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    # The email provider's id for the sent message (anymail); blank for SMTP and .eml files.
    provider_message_id = models.CharField(max_length=255, blank=True)
    # The address a bounce said could not be reached (status "bounced").
    bounced_address = models.CharField(max_length=320, blank=True)
    # The outbox tab the reply is in (OUTBOX_TABS), NULL for the many in none: kept by the
    # database, so the outbox reads its own few rows from reply_outbox_tab_newest, which holds
    # only these (a tab of two statuses, or counting per tab, would otherwise read the rows
    # of every status, or SQLite would, taking a status for a fifth of all replies).
    outbox_tab = models.GeneratedField(
        expression=models.Case(
            *[
                models.When(status__in=statuses, then=models.Value(tab))
                for tab, statuses in OUTBOX_TABS.items()
            ],
            default=None,
        ),
        output_field=models.CharField(max_length=10, null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "replies"
        indexes = [
            # A status's replies by age: the sweep's queued replies whose task was lost.
            models.Index(fields=["status", "-created_at", "-id"], name="reply_status_newest"),
            # The outbox: one tab's replies newest first, and the tabs' counts, from an index
            # of the outbox's rows alone (partial: the sent replies are not in it).
            models.Index(
                fields=["outbox_tab", "-created_at", "-id"],
                condition=Q(outbox_tab__isnull=False),
                name="reply_outbox_tab_newest",
            ),
            # The outbox's replies waiting for the mail settings, found by their error's start
            # (error_start): a LIKE cannot use an index (SQLite's is case-insensitive), so
            # counting them read every reply on its way. Only the start: a whole error can be
            # longer than a PostgreSQL index entry may be.
            models.Index(
                "outbox_tab",
                error_start(),
                condition=Q(outbox_tab__isnull=False),
                name="reply_outbox_waiting",
            ),
            # A person's replies newest first: the request page's newest answer elsewhere since
            # they last wrote reads a few index entries, not every reply since then.
            models.Index(fields=["candidate", "-created_at", "-id"], name="reply_person_newest"),
            # The dashboard's network path: who was sent a reply of a kind (a role that opened).
            models.Index(fields=["kind", "status", "candidate"], name="reply_kind_people"),
            # The dashboard's replies per week, by status, from the index alone.
            models.Index(fields=["created_at", "status"], name="reply_created_status"),
            # Each send first looks for replies stuck in "sending": keep that look cheap.
            models.Index(
                fields=["sending_started_at"],
                condition=Q(status="sending"),
                name="reply_sending_started",
            ),
        ]
        constraints = [
            # One live reply per round of the conversation: a double click, a double submit or
            # two recruiters at once reach the same round, so the second insert fails here. A
            # follow-up from the candidate starts a new round, which may be answered again.
            models.UniqueConstraint(
                fields=["request", "round"],
                condition=Q(status__in=["queued", "sending", "sent", "unknown"], kind="answer"),
                name="one_live_reply_per_round",
            ),
            # "A role opened that fits you" goes once per role to a person, whichever of their
            # requests it answers and however often the bulk action is clicked. (An opening
            # deleted later leaves NULL, which never collides.)
            models.UniqueConstraint(
                fields=["candidate", "opening"],
                condition=Q(
                    status__in=["queued", "sending", "sent", "unknown"], kind="role_opened"
                ),
                name="one_role_opened_reply_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email}"

    def save(self, *args, **kwargs):
        if self.candidate_id is None:
            self.candidate_id = self.request.candidate_id
        super().save(*args, **kwargs)


# --- The talent pool, the candidate page and privacy ------------------------------------------


class CandidateNote(models.Model):
    """A recruiter's note on a person; the candidate page shows them in the timeline."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="timeline_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note on candidate {self.candidate_id}"


class ErasureRecord(models.Model):
    """What is left after a person is erased or their requests expire: counts, never who."""

    class Reason(models.TextChoices):
        REQUEST = "request", "Erased on request"
        RETENTION = "retention", "Retention period ended"
        CONSENT = "consent", "Talent pool consent lapsed or never given"

    reason = models.CharField(max_length=10, choices=Reason)
    candidates = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    requests_by_bucket = models.JSONField(default=dict, blank=True, help_text='{"funnel": 2, ...}')
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.requests} requests on {self.erased_at:%Y-%m-%d}"


class HiringOutcome(models.Model):
    """What a hiring manager did with a request assigned to them. A request may gather
    several ("talked", then "moved into the hiring process"); the newest is its state."""

    class Kind(models.TextChoices):
        TALKED = "talked", "Talked with them"
        PASSED = "passed", "Passed"
        HIRING = "hiring", "Moved into the hiring process"

    request = models.ForeignKey(CandidateRequest, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=10, choices=Kind)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # The dashboard's network path: the requests that reached a step.
            models.Index(fields=["kind", "request"], name="outcome_kind_request"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (request {self.request_id})"


# --- Sender identities and bulk replies ------------------------------------------------------


class RecruiterProfile(models.Model):
    """How one recruiter signs and sends. Blank fields fall back to the triage profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recruiter_profile"
    )
    display_name = models.CharField(
        max_length=200, blank=True, help_text="Your name in replies and in the From line."
    )
    signature = models.TextField(blank=True, help_text="The {{ recruiter_signature }} block.")
    from_email = models.EmailField(
        blank=True, help_text="The From address; blank uses the app's default sender."
    )
    reply_to = models.EmailField(
        blank=True, help_text="Where candidates' answers go; blank uses the team address."
    )

    # How they hear about their notifications beyond the bell in the nav.
    class NotificationEmail(models.TextChoices):
        IMMEDIATELY = "immediately", "Email me each one as it happens"
        OFF = "off", "No email: the bell in the app only"

    notification_email = models.CharField(
        max_length=12,
        choices=NotificationEmail,
        default=NotificationEmail.OFF,
        verbose_name="Notifications by email",
        help_text="New exceptional requests, candidates' answers, hiring managers' outcomes "
        "and failed or bounced replies.",
    )

    def __str__(self):
        return f"Sender settings for {self.user}"


class BulkSend(models.Model):
    """One bulk action: the requests a recruiter answered at once, and the replies it queued."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Null: each request's default template for its bucket.
    template = models.ForeignKey(ReplyTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    requests = models.ManyToManyField(CandidateRequest, related_name="bulk_sends")
    replies = models.ManyToManyField(Reply, related_name="bulk_sends")
    skipped = models.JSONField(
        default=list, blank=True, help_text='[{"request": id, "reason": "..."}]'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Bulk reply #{self.pk}"


# --- Threads, and what intake keeps aside ---------------------------------------------------


class Message(models.Model):
    """One email in a request's thread: the candidate's messages and our replies, in order.

    A request is the conversation; its messages are what was said. Threading puts a follow-up
    here instead of opening a second request."""

    class Direction(models.TextChoices):
        IN = "in", "From the candidate"
        OUT = "out", "From us"

    request = models.ForeignKey(CandidateRequest, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction, default=Direction.IN)
    sender = models.EmailField(max_length=320)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True, help_text="Plain text, as written.")
    # Only ever nh3-sanitized HTML (see mail.sanitize_html): safe to show as it is.
    html = models.TextField(blank=True)
    received_at = models.DateTimeField()
    # The real Message-ID, or a content hash in its place (intake.content_message_id): the
    # unique constraint is what makes an import run twice add nothing.
    message_id = models.CharField(max_length=998, unique=True)
    # SHA-256 of the raw message: tells a re-import of this message (a duplicate) from a
    # different message reusing its Message-ID (stored too). Blank for mail from a form.
    raw_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # The From header as written, kept when the address had to be picked out of a broken one.
    from_header = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["request", "received_at"])]

    def __str__(self):
        return self.subject or "(no subject)"

    @cached_property
    def reply_parts(self) -> mail.ReplyParts:
        """What was written this time, apart from the signature and the quoted history."""
        return mail.split_reply_remembered(self.text)


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """A folder of its own per file, so paths cannot be guessed or collide. The name on disk
    is a safe, short version of the sender's (which the row keeps as it was)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = filename, ""
    try:
        stem = get_valid_filename(stem)[:80]
    except SuspiciousFileOperation:  # nothing usable left, e.g. "<>"
        stem = "file"
    extension = re.sub(r"[^\w]", "", extension)[:10]
    return f"attachments/{uuid.uuid4().hex}/{stem}{'.' if extension else ''}{extension}"


class Attachment(models.Model):
    """A file that came with a message (a résumé, say), or the record of one we refused.

    A refused file (over the size cap) keeps its name, size and the reason, so a recruiter
    sees that something was sent; only its bytes are not kept."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255, help_text="As the sender named it.")
    content_type = models.CharField(max_length=255, help_text="As the sender declared it.")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    file = models.FileField(upload_to=attachment_path, max_length=500, blank=True)
    refused_reason = models.CharField(max_length=300, blank=True)
    # Read out of PDF, DOCX and text files (capped) so the rules can read a résumé.
    text = models.TextField(blank=True)
    extraction_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # Either the file is kept, or we say why not: never neither, never both.
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(refused_reason=""))
                | (~Q(file="") & Q(refused_reason="")),
                name="attachment_stored_or_refused",
            ),
        ]

    def __str__(self):
        return self.filename

    @property
    def is_stored(self) -> bool:
        return bool(self.file)


class QuarantinedMessage(models.Model):
    """A message kept aside instead of dropped: it failed to parse or store (kept with the
    error, to process again after a fix), it is machine mail (an auto-reply, a bounce, list
    mail: never answered, so we can never loop with a robot), or its sender is blocked."""

    class Kind(models.TextChoices):
        FAILED = "failed", "Failed"
        MACHINE = "machine", "Machine mail"
        BLOCKED = "blocked", "Blocked sender"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.FAILED, db_index=True)
    raw = models.BinaryField()
    raw_sha256 = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=1000, blank=True)
    error = models.TextField(help_text="Why it is here, in words a person can act on.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The Kept aside page: a tab's messages newest first, and the tabs' counts, from
            # the rows still kept aside alone (resolved ones pile up and are never listed).
            models.Index(
                fields=["kind", "-created_at", "-id"],
                condition=Q(resolved_at__isnull=True),
                name="quarantine_open_newest",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source}"


class BlockedSender(models.Model):
    """A sender the team ignores: an address, or `*@domain` for everyone there."""

    pattern = models.CharField(max_length=320, unique=True, help_text="a@b.example or *@b.example")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pattern=Lower("pattern")), name="blocked_sender_pattern_lower"
            ),
        ]

    def __str__(self):
        return self.pattern

    def clean(self):
        from django.core.exceptions import ValidationError

        self.pattern = self.pattern.strip().lower()
        local, at, domain = self.pattern.partition("@")
        if not at or not local or not domain or "@" in domain or ("*" in local and local != "*"):
            raise ValidationError({"pattern": "Give an address (a@b.example) or *@b.example."})


class MailboxState(models.Model):
    """How far intake has read one IMAP folder. UIDs only mean something together with the
    folder's UIDVALIDITY: when the server changes it, the old UIDs point at nothing, so the
    folder is read again from the start (Message-IDs keep that from adding duplicates)."""

    host = models.CharField(max_length=255)
    user = models.CharField(max_length=255)
    folder = models.CharField(max_length=255)
    uidvalidity = models.BigIntegerField()
    # Every message up to and including this UID is stored (or quarantined): never read twice.
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["host", "user", "folder"], name="one_state_per_folder"),
            models.CheckConstraint(
                condition=Q(last_uid__gte=0), name="mailbox_last_uid_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.user}@{self.host}/{self.folder} (UID {self.last_uid})"


# --- Periodic background work ------------------------------------------------------------------


class PeriodicJob(models.Model):
    """When a job of `triage.periodic.jobs()` is next due. A scheduler enqueues a job only
    after moving `next_run_at` on with a conditional UPDATE, so two schedulers running at
    once (two hosts, a restart overlapping the old process) cannot both enqueue one run."""

    name = models.CharField(max_length=100, unique=True)
    # How the job was scheduled when next_run_at was computed ("every 300s", "daily 07:00"):
    # when the schedule changes, next_run_at is computed again instead of waiting out the old one.
    schedule = models.CharField(max_length=100)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    # The task result of the last run we enqueued: a run still waiting is not queued twice.
    last_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.schedule}), next {self.next_run_at:%Y-%m-%d %H:%M}"


class RequestPresence(models.Model):
    """Who has a request open: the request page's heartbeat (every ~15s) upserts the row, and
    rows not refreshed for `services.presence.WINDOW` are ignored. One row per person and
    request, so a heartbeat is an UPDATE and the table stays small."""

    request = models.ForeignKey(CandidateRequest, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()
    # When they last focused or typed in the reply editor: "Sam is writing a reply".
    writing_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="one_presence_per_viewer")
        ]

    def __str__(self):
        return f"{self.user} on request {self.request_id}"


# --- The rules recruiters edit ---------------------------------------------------------------


class TriageRule(models.Model):
    """One line of the ordered rule list: a built-in rule (by its name in rules.py) or one a
    recruiter wrote (conditions as JSON, see rule_conditions.Condition). Every change is saved
    through services.rulebook, which records a new RuleSetVersion."""

    class Match(models.TextChoices):
        ALL = "all", "All conditions"
        ANY = "any", "Any condition"

    # What requests record as their deciding rule: the built-in's name, or a key made from a
    # custom rule's first title, kept when the title changes.
    key = models.CharField(max_length=100, unique=True)
    builtin = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    enabled = models.BooleanField(default=True)
    conditions = models.JSONField(default=list, blank=True)
    match = models.CharField(max_length=3, choices=Match, default=Match.ALL)
    bucket = models.CharField(max_length=12, choices=Bucket)
    template = models.ForeignKey(
        ReplyTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Suggested first when replying to the requests this rule decides.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who the requests this rule decides are assigned to.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class RuleSetVersion(models.Model):
    """One saved state of the rule list: who changed which rule, how (before and after), and
    the whole ordered list as it then was, which is what triage compiles and runs. The newest
    row is the rule set in force; its pk is the version number requests record."""

    rule = models.ForeignKey(
        TriageRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    change = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    snapshot = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"Rule set version {self.pk}"


# --- The assistant: a second opinion learned from recruiters' decisions ----------------------


class AssistantModel(models.Model):
    """One trained assistant (`manage.py train_assistant`). The newest row is the current one;
    older rows stay as a record of how it was trained and how well it did."""

    # The fitted scikit-learn pipeline, pickled by joblib (triage.assistant.dumps). Unpickling
    # runs code, which is safe only because these bytes are only ever written by our own
    # training service and loaded from our own database, never taken from an upload.
    pipeline = models.BinaryField()
    sklearn_version = models.CharField(max_length=20)
    trained_at = models.DateTimeField(auto_now_add=True, db_index=True)
    samples = models.PositiveIntegerField(help_text="Requests with a recruiter's decision.")
    bucket_counts = models.JSONField(default=dict, help_text='{"funnel": 40, ...}')
    # Null when there were too few decisions to cross-validate; `cv_note` says why.
    cv_accuracy = models.FloatField(null=True, blank=True)
    cv_folds = models.PositiveSmallIntegerField(null=True, blank=True)
    cv_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-trained_at", "-pk"]
        get_latest_by = ["trained_at", "pk"]

    def __str__(self):
        return f"Assistant trained {self.trained_at:%Y-%m-%d %H:%M} on {self.samples} decisions"


# --- Re-triage -------------------------------------------------------------------------------


class RetriageRun(models.Model):
    """A recruiter's "re-triage": the rules run again over untouched requests, in the worker.
    `result` holds the counts (services.retriage.RetriageSummary.as_dict), kept up to date
    while it runs so the page can show progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    since = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Re-triage #{self.pk} ({self.get_status_display()})"


# --- The team's other tools: API tokens, outgoing webhooks, the applicant tracking system ----


class ApiToken(models.Model):
    """A personal key to the REST API (triage/api/). Only its SHA-256 is stored: the key is
    shown once, when it is made, and a stolen database reveals no usable key. A token acts as
    its user, with the user's role (a hiring manager's sees only their assignments)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “reporting script”.")
    # The first characters of the key, to tell tokens apart on the settings page.
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(models.Model):
    """A URL the team wants told about some events (triage.events.CATALOGUE). Each event
    becomes a WebhookDelivery, signed with the endpoint's secret (services/outgoing_webhooks)."""

    class Format(models.TextChoices):
        JSON = "json", "JSON (signed)"
        SLACK = "slack", "Slack-compatible incoming webhook (text)"

    name = models.CharField(max_length=100)
    url = WebURLField(max_length=500)
    events = models.JSONField(default=list, help_text='["request.created", ...]')
    format = models.CharField(max_length=5, choices=Format, default=Format.JSON)
    # Kept as written: signing needs it. Shown once, when the endpoint is registered.
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Set when the app switched it off after too many failures in a row, with why.
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: written in the transaction that made the change,
    tried by the worker, retried with backoff, kept as the endpoint's delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Failed, will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_snippet = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class AtsExport(models.Model):
    """A person sent to the applicant tracking system (services/ats.py): pending while the
    worker talks to the ATS, then sent (with the ATS's id and link) or failed (with why)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        APPLICANT = "applicant", "Applicant for a job"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ats_exports")
    request = models.ForeignKey(
        CandidateRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.PROSPECT)
    job_id = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    ats_id = models.CharField(max_length=50, blank=True)
    ats_url = models.URLField(max_length=500, blank=True)
    # The note (messages and reasons) is a second call: a retry after the person was created
    # only attaches it, never creates them twice.
    note_attached = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One person, one live record in the ATS: a double click creates nobody twice.
            models.UniqueConstraint(
                fields=["candidate", "provider"],
                condition=Q(status__in=["pending", "sent"]),
                name="one_live_ats_export_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="prospect") | ~Q(job_id=""), name="ats_applicant_has_job"
            ),
        ]

    def __str__(self):
        return f"{self.candidate} → {self.provider} ({self.status})"


# --- The audit log ---------------------------------------------------------------------------


class AuditEntry(models.Model):
    """Who looked at or changed what, and when: reads (a request's or a candidate's page, an
    export, an attachment) recorded by the views, writes by the services that make them
    (services/audit.py). The description names things by id, never a candidate's name or
    address, so an erased person leaves nothing personal here. Kept AUDIT_RETENTION_DAYS."""

    class Action(models.TextChoices):
        VIEWED_REQUEST = "viewed_request", "Viewed a request"
        VIEWED_CANDIDATE = "viewed_candidate", "Viewed a candidate"
        DOWNLOADED_ATTACHMENT = "downloaded_attachment", "Downloaded an attachment"
        EXPORTED = "exported", "Exported data"
        ERASED = "erased", "Erased a person"
        CHANGED_BUCKET = "changed_bucket", "Changed a bucket"
        QUEUED_REPLY = "queued_reply", "Queued a reply"
        ASSIGNED = "assigned", "Assigned a request"
        CHANGED_RULES = "changed_rules", "Changed the rules"
        CHANGED_TEMPLATE = "changed_template", "Changed a reply template"
        CHANGED_API_TOKEN = "changed_api_token", "Made or revoked an API token"
        CHANGED_WEBHOOK = "changed_webhook", "Changed an outgoing webhook"
        SENT_TO_ATS = "sent_to_ats", "Sent a person to the ATS"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or 'system'}: {self.get_action_display()}"


# --- The inbox's saved views ------------------------------------------------------------------


class SavedView(models.Model):
    """A filter of the inbox a recruiter saved under a name: for themselves, or shared with
    every recruiter. The built-in views (mine, unassigned, ...) are code, not rows
    (triage.selectors.inbox_views)."""

    class Scope(models.TextChoices):
        MINE = "mine", "Mine"
        UNASSIGNED = "unassigned", "Unassigned"
        DUE = "due", "Due for follow-up"
        WAITING = "waiting", "Waiting on a hiring manager"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=60)
    shared = models.BooleanField(default=False, help_text="Every recruiter sees it.")
    # The inbox's filter, as its query string holds it; blank means "any".
    bucket = models.CharField(max_length=12, choices=Bucket, blank=True)
    status = models.CharField(max_length=10, choices=CandidateRequest.Status, blank=True)
    flag = models.CharField(
        max_length=20, blank=True, choices=[(n.value, n.label) for n in FlagName]
    )
    scope = models.CharField(max_length=12, choices=Scope, blank=True)
    query = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "owner", name="saved_view_name_unique_per_owner"
            ),
        ]

    def __str__(self):
        return self.name


# --- Notifications ---------------------------------------------------------------------------


class Notification(models.Model):
    """Something one user should hear about (services.notifications decides who): shown under
    the bell in the nav until read, and emailed too when the user chose so in My settings.
    Written in the transaction of the change it tells about (triage.events); a request's
    notifications go with it when it is erased."""

    class Kind(models.TextChoices):
        EXCEPTIONAL = "exceptional", "New exceptional request"
        ANSWERED = "answered", "A candidate answered"
        OUTCOME = "outcome", "A hiring manager recorded an outcome"
        REPLY_FAILED = "reply_failed", "A reply failed"
        REPLY_BOUNCED = "reply_bounced", "A reply bounced"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    request = models.ForeignKey(
        CandidateRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the list shows: a line written when it happened (the subject, who, what went wrong).
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The badge on every page counts a user's unread ones: a partial index keeps that
            # an index-only look at a few rows, however many read ones pile up.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["user", "-created_at"], name="notification_list"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


# --- Reads kept cheap at any size: the inbox's counts and full-text search -----------------


class InboxCount(models.Model):
    """How many requests there are per bucket, status and flag, kept by database triggers
    on CandidateRequest (migration 0028), in the transaction that made the change, so the
    inbox's tabs cost the same with a hundred requests or a million. On SQLite one row per
    key; on PostgreSQL each change adds a row (so concurrent writers never wait on, or
    deadlock over, a shared counter) and `services.counts.compact()` sums them up now and
    then. Read the sum of `n`: `selectors.requests.bucket_counts`."""

    final_bucket = models.CharField(max_length=12)
    status = models.CharField(max_length=10)
    urgent = models.BooleanField()
    not_candidate = models.BooleanField()
    n = models.BigIntegerField()

    class Meta:
        managed = False  # created by migration 0028 with its triggers; flush leaves it alone
        db_table = "triage_inboxcount"

    def __str__(self):
        return f"{self.final_bucket}/{self.status}: {self.n}"


class RuleFigures(models.Model):
    """How often a rule decided in the last 30 and 90 days and how often recruiters moved
    those requests, as of `computed_at`: worked out every few minutes by a task
    (services/rulebook.store_rule_stats), so the Rules page reads a row a rule instead of
    every request of the last 90 days."""

    rule = models.CharField(max_length=100, unique=True)  # a request's suggested_rule
    last_30 = models.PositiveIntegerField()
    last_90 = models.PositiveIntegerField()
    overridden = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.rule}: {self.last_30}/{self.last_90} as of {self.computed_at}"


class SearchEntry(models.Model):
    """A request as full-text search sees it (triage/fulltext.py): kept by database triggers
    on requests, candidates, messages and attachments (migration 0028). On PostgreSQL it also
    keeps each request's bucket, status and time received (migration 0039: columns only
    `selectors.search.read_matches` reads, by SQL, so not fields here). Only read through
    `selectors.search`."""

    request = models.OneToOneField(
        CandidateRequest,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    name = models.TextField()
    email = models.TextField()
    subject = models.TextField()
    body = models.TextField()
    attachments = models.TextField()
    document = SearchDocumentField(db_column="triage_search")

    class Meta:
        managed = False  # a virtual FTS5 table on SQLite: created by migration 0028
        db_table = "triage_search"

    def __str__(self):
        return f"Search entry of request {self.request_id}"


# --- The configuration's version -------------------------------------------------------------


class ConfigVersion(models.Model):
    """One row whose token changes, in the same transaction, with every write to the
    configuration that pages read on every view (the triage profile, its openings, notable
    people and contacts, reply templates, rules, the assistant model, the hiring managers):
    each process keeps those in memory and reloads them when the token it reads differs
    (services.config_cache). A token, not a counter: a rolled-back change's never returns."""

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self):
        return f"Configuration {self.token}"
