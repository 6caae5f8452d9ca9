"""What the app stores. Models own their invariants: the rules that must never break
(one candidate per address, one live reply per request, one default template per bucket)
are database constraints, not hopes in view code."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.text import get_valid_filename

from triage import mail, replies, rules


class Bucket(models.TextChoices):
    FUNNEL = rules.Bucket.FUNNEL.value, rules.Bucket.FUNNEL.label
    NETWORK = rules.Bucket.NETWORK.value, rules.Bucket.NETWORK.label
    EXCEPTIONAL = rules.Bucket.EXCEPTIONAL.value, rules.Bucket.EXCEPTIONAL.label


class TriageProfile(models.Model):
    """The company as the rules see it. There is one row (pk=1); see `TriageProfile.load()`."""

    company = models.CharField(max_length=200)
    careers_url = models.URLField()
    recruiter_name = models.CharField(max_length=200)
    recruiter_email = models.EmailField()
    employee_domains = models.JSONField(
        default=list, blank=True, help_text='A JSON list, e.g. ["example.com"].'
    )
    hard_to_fill_skills = models.JSONField(default=list, blank=True, help_text="A JSON list.")
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
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    skills = models.JSONField(default=list, blank=True, help_text="A JSON list.")
    location = models.CharField(max_length=200, blank=True)
    is_open = models.BooleanField(default=True)
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
    skills = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A recruiter's "never write to this person again", with who said so and when.
    do_not_contact = models.BooleanField(default=False)
    do_not_contact_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    do_not_contact_set_at = models.DateTimeField(null=True, blank=True)
    # The talent pool. Null means "the default interval after the last contact".
    next_follow_up = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="candidate_email_lower"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


class CandidateRequest(models.Model):
    """One thing a candidate asked of us, as it arrived, with the rules' verdict."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        FORM = "form", "Web form"
        IMPORT = "import", "Import"

    class Status(models.TextChoices):
        NEW = "new", "New"
        REPLIED = "replied", "Replied"
        CLOSED = "closed", "Closed"

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
    final_bucket = models.CharField(max_length=12, choices=Bucket, db_index=True)
    # Null while the rules' suggestion stands; the recruiter who changed it otherwise.
    final_bucket_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    final_bucket_set_at = models.DateTimeField(null=True, blank=True)

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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["final_bucket", "status", "-received_at"])]

    def __str__(self):
        return self.subject or "(no subject)"

    @property
    def is_overridden(self) -> bool:
        return self.final_bucket != self.suggested_bucket

    @property
    def evidence(self) -> list[str]:
        return [item for reason in self.reasons for item in reason.get("evidence", [])]


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


class Reply(models.Model):
    """One email we send to a candidate. It is a row before it is sent, so nothing is lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # The worker stopped between "sending" and "sent": the email may or may not have left.
        UNKNOWN = "unknown", "Unknown: check before resending"

    # The statuses in which a reply counts as "the" answer to its request. "unknown" counts:
    # the candidate may have it, so nothing else goes out until a recruiter has checked.
    LIVE_STATUSES = (Status.QUEUED, Status.SENDING, Status.SENT, Status.UNKNOWN)

    request = models.ForeignKey(CandidateRequest, on_delete=models.CASCADE, related_name="replies")
    template = models.ForeignKey(ReplyTemplate, null=True, blank=True, on_delete=models.SET_NULL)
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
    sending_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "replies"
        indexes = [
            # Each send first looks for replies stuck in "sending": keep that look cheap.
            models.Index(
                fields=["sending_started_at"],
                condition=Q(status="sending"),
                name="reply_sending_started",
            ),
        ]
        constraints = [
            # A double click, a double submit or two recruiters at once: the second insert fails
            # here, so a request can never have two replies on their way or sent.
            # One live reply per round of the conversation: a double click, a double submit or
            # two recruiters at once reach the same round, so the second insert fails here. A
            # follow-up from the candidate starts a new round, which may be answered again.
            models.UniqueConstraint(
                fields=["request", "round"],
                condition=Q(status__in=["queued", "sending", "sent", "unknown"]),
                name="one_live_reply_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email}"


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
        return mail.split_reply(self.text)


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
