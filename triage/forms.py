import re
from datetime import datetime
from pathlib import PurePath

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import format_html

from triage import access, documents, events, rule_conditions, talent
from triage.flags import FlagName
from triage.models import (
    Bucket,
    Candidate,
    CandidateRequest,
    HiringOutcome,
    Opening,
    RecruiterProfile,
    ReplyTemplate,
    SavedView,
    TriageRule,
    WebhookEndpoint,
)
from triage.selectors import dashboard


class InboxFilterForm(forms.Form):
    bucket = forms.ChoiceField(choices=Bucket.choices, required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CandidateRequest.Status.choices], required=False
    )
    q = forms.CharField(required=False, max_length=200, label="Search")
    flag = forms.ChoiceField(
        choices=[("", "Any flag"), *((n.value, n.label) for n in FlagName)], required=False
    )
    # A built-in view's narrowing (selectors.inbox_views.scope_filter): mine, unassigned...
    scope = forms.ChoiceField(
        choices=[("", "Everyone's"), *SavedView.Scope.choices], required=False
    )


class SaveViewForm(InboxFilterForm):
    """Save the inbox's filter (its hidden fields) under a name, private or shared."""

    name = forms.CharField(
        max_length=60,
        label="Name",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "e.g. Rust, this week"}
        ),
    )
    shared = forms.BooleanField(
        required=False,
        label="Share with every recruiter",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class OverrideForm(forms.Form):
    bucket = forms.ChoiceField(choices=Bucket.choices)
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Why (optional)",
        widget=forms.TextInput(
            attrs={
                "placeholder": "e.g. a referral the rules missed",
                "class": "form-control form-control-sm",
            }
        ),
    )


class PutAwayForm(forms.Form):
    """Close, archive or mark as spam without replying: the button says which."""

    status = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in CandidateRequest.Status.choices
            if value in CandidateRequest.PUT_AWAY
        ]
    )
    reason = forms.CharField(
        max_length=500,
        label="Why",
        widget=forms.TextInput(
            attrs={
                "placeholder": "e.g. answered by phone; a sales pitch",
                "class": "form-control form-control-sm",
                # Not id_reason: the override form on the same page has that one.
                "id": "id_put_away_reason",
            }
        ),
    )


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.filter(is_active=True), required=False, empty_label=None
    )
    subject = forms.CharField(max_length=500)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}))
    # When the page was loaded (ISO 8601, to the microsecond): a send is stopped if someone
    # else answered the candidate after this.
    loaded_at = forms.CharField(required=False, widget=forms.HiddenInput)
    # The recruiter was told the person already has an answer this round, and sends anyway.
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_loaded_at(self) -> datetime | None:
        value = self.cleaned_data["loaded_at"]
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("Reload the page and try again.") from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def clean_subject(self):
        # A subject is one header line: a pasted newline must not become a second header.
        return " ".join(self.cleaned_data["subject"].split())


# --- Openings, the candidate page, the talent pool ------------------------------------------


class SkillsField(forms.CharField):
    """Tags typed as "Rust, embedded C", stored as a JSON list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return talent.normalize_skills(super().to_python(value) or "")


class OpeningForm(forms.ModelForm):
    skills = SkillsField(required=False, help_text="Comma-separated, e.g. Rust, embedded C.")

    class Meta:
        model = Opening
        fields = ["title", "team", "location", "url", "skills", "hiring_manager", "is_open"]
        labels = {"url": "URL", "is_open": "Open"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The role's hiring manager is who its exceptional candidates are suggested to.
        self.fields["hiring_manager"].queryset = access.hiring_managers()


def _label_in_heading() -> FormHelper:
    """For a card whose heading already names its one field ("Skills" above "Skills"): the
    label stays for screen readers, and is not shown twice."""
    helper = FormHelper()
    helper.form_tag = False
    helper.label_class = "visually-hidden"
    return helper


class SkillsForm(forms.Form):
    skills = SkillsField(required=False, help_text="Comma-separated.")
    helper = _label_in_heading()


class LocationForm(forms.Form):
    location = forms.CharField(
        required=False, max_length=200, help_text='Where they are, e.g. "Denver, CO" or "Remote".'
    )
    helper = _label_in_heading()


def person_name(user) -> str:
    """A person as the pages name them: their full name, else their username."""
    return user.get_full_name() or user.username


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class PoolFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    skill = forms.CharField(required=False, max_length=100)
    location = forms.CharField(required=False, max_length=200)
    due = forms.ChoiceField(
        choices=[("", "Any time"), ("week", "Due this week"), ("today", "Due today")],
        required=False,
    )
    consent = forms.ChoiceField(
        choices=[("", "Any consent"), ("given", "Consent given"), ("none", "No consent")],
        required=False,
    )
    page = forms.IntegerField(required=False, min_value=1)


class PoolRowForm(forms.Form):
    """A person's skills and location, edited in their pool row."""

    skills = SkillsField(required=False, help_text="Comma-separated.")
    location = forms.CharField(required=False, max_length=200)


class SnoozeForm(forms.Form):
    period = forms.ChoiceField(choices=[(key, key) for key in talent.SNOOZE_CHOICES])


class ReplyTemplateForm(forms.ModelForm):
    """Errors from `replies.check` (model clean) land beside the subject or body field."""

    class Meta:
        model = ReplyTemplate
        fields = ["name", "bucket", "subject", "body", "is_active", "is_default"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        labels = {"is_active": "Active", "is_default": "Default for its bucket"}

    def validate_constraints(self):
        # Becoming the default takes the place of the old one (services.templates), so the
        # one-default-per-bucket constraint is kept by the save, not refused here.
        exclude = self._get_validation_exclusions() | {"is_default"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class RecruiterProfileForm(forms.ModelForm):
    class Meta:
        model = RecruiterProfile
        fields = ["display_name", "signature", "from_email", "reply_to", "notification_email"]
        widgets = {
            "signature": forms.Textarea(attrs={"rows": 4}),
            "notification_email": forms.RadioSelect,
        }
        labels = {"display_name": "Name", "from_email": "From address", "reply_to": "Reply-To"}

    def __init__(self, *args, fallbacks: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post (an older form, a script): the choice stays as it was.
        self.fields["notification_email"].required = False
        if fallbacks:
            self._show_fallbacks(fallbacks)

    def _show_fallbacks(self, fallbacks: dict[str, str]) -> None:
        """What each blank field gives (outbox.sender_fallbacks), in its help, so nobody
        has to guess how their replies are signed. Not as a placeholder: in the box, it
        would read as a value they had set."""
        fields = self.fields
        fields["display_name"].help_text = format_html(
            "Your name in replies and in the From line. Left blank: <strong>{}</strong> ({}).",
            fallbacks["name"] or "no name",
            fallbacks["name_from"],
        )
        first, _, second = fallbacks["signature"].partition("\n")
        fields["signature"].help_text = format_html(
            "The {} block. Left blank, two lines: <strong>{}</strong> and <strong>{}</strong>.",
            "{{ recruiter_signature }}",
            first,
            second,
        )
        fields["from_email"].help_text = format_html(
            "The From address. Left blank: <strong>{}</strong>, the app's default sender.",
            fallbacks["from_email"],
        )
        fields["reply_to"].help_text = format_html(
            "Where candidates' answers go. Left blank: <strong>{}</strong>, the team address.",
            fallbacks["reply_to"] or "none",
        )

    def clean_notification_email(self):
        return self.cleaned_data["notification_email"] or self.instance.notification_email

    def clean_display_name(self):
        # It goes into the From header: one line, nothing that could start a second header.
        return " ".join(self.cleaned_data["display_name"].split())


class BulkSelectionForm(forms.Form):
    """Which requests a bulk reply is for: the ticked ones, or all that match the filter."""

    ids = forms.ModelMultipleChoiceField(
        queryset=CandidateRequest.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    all = forms.BooleanField(required=False, widget=forms.HiddenInput)
    bucket = forms.ChoiceField(choices=Bucket.choices, required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[("", "Any"), *CandidateRequest.Status.choices],
        required=False,
        widget=forms.HiddenInput,
    )
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    flag = forms.ChoiceField(
        choices=[("", "Any"), *((n.value, n.label) for n in FlagName)],
        required=False,
        widget=forms.HiddenInput,
    )
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.filter(is_active=True),
        required=False,
        empty_label="Each request's bucket template",
    )

    def clean(self):
        data = super().clean()
        if not data.get("all") and not data.get("ids"):
            raise forms.ValidationError("Tick at least one request, or choose all that match.")
        if data.get("all") and not data.get("bucket"):
            raise forms.ValidationError("Choose a bucket to answer all of.")
        return data


# --- Rules ---------------------------------------------------------------------------------


class ConditionForm(forms.Form):
    """One condition of a custom rule. A row left on "—" is ignored (the blank rows at the
    end of the list are for adding conditions)."""

    on = forms.ChoiceField(
        label="Check",
        required=False,
        choices=[
            ("", "—"),
            ("Text", list(rule_conditions.TEXT_TARGETS.items())),
            ("Facts", list(rule_conditions.FLAG_TARGETS.items())),
        ],
    )
    test = forms.ChoiceField(label="Test", choices=rule_conditions.TESTS.items(), required=False)
    value = forms.CharField(
        label="Words or pattern",
        required=False,
        max_length=2000,
        help_text="Words or phrases separated by commas (whole words, any case), or a pattern.",
    )

    @classmethod
    def initial_for(cls, condition: dict) -> dict:
        value = condition.get("pattern") or ", ".join(condition.get("words", []))
        return {"on": condition.get("on", ""), "test": condition.get("test", "any"), "value": value}

    def clean(self):
        data = super().clean()
        on, test, value = data.get("on"), data.get("test") or "any", data.get("value", "")
        if not on:
            data["condition"] = None
            return data
        if test == "regex":
            condition = rule_conditions.Condition(on=on, test=test, pattern=value.strip())
        else:
            words = tuple(w.strip() for w in re.split(r"[,\n]", value) if w.strip())
            condition = rule_conditions.Condition(on=on, test=test, words=words)
        try:
            rule_conditions.compile_condition(condition)
        except rule_conditions.ConditionError as error:
            self.add_error("value", str(error))
        data["condition"] = condition
        return data


class BaseConditionFormSet(forms.BaseFormSet):
    def conditions(self) -> list[dict]:
        found = [form.cleaned_data.get("condition") for form in self.forms]
        return [c.as_dict() for c in found if c is not None]

    def clean(self):
        if not any(self.errors) and not self.conditions():
            raise forms.ValidationError("Add at least one condition.")


ConditionFormSet = forms.formset_factory(
    ConditionForm, formset=BaseConditionFormSet, extra=2, max_num=20
)


class CustomRuleForm(forms.ModelForm):
    class Meta:
        model = TriageRule
        fields = ["title", "match", "bucket", "template", "assignee", "enabled"]
        labels = {"match": "Combine", "bucket": "Send to bucket", "enabled": "On"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ReplyTemplate.objects.filter(is_active=True)
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["template"].empty_label = "The bucket's default template"
        self.fields["assignee"].empty_label = "Nobody"
        self.fields["assignee"].label_from_instance = person_name
        if "bucket" in self.fields:  # required: a new rule starts with none chosen
            self.fields["bucket"].choices = [("", "Choose a bucket"), *Bucket.choices]
            self.fields["bucket"].error_messages["required"] = (
                "Choose the bucket this rule sends requests to."
            )


class BuiltinRuleForm(CustomRuleForm):
    """A built-in rule's checks and bucket are code; its action and switch are not."""

    class Meta(CustomRuleForm.Meta):
        fields = ["template", "assignee", "enabled"]


# --- Hiring managers -------------------------------------------------------------------------


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None,
        label="Hiring manager",
        empty_label="Choose a hiring manager",
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm", "aria-label": "Hiring manager"}
        ),
    )

    def __init__(self, *args, managers=None, **kwargs):
        """`managers`: the hiring managers already read (the request page's), to list
        without asking again; the queryset still checks what is posted."""
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = access.hiring_managers()
        field.label_from_instance = person_name
        if managers is not None:
            field.choices = [("", field.empty_label)] + [
                (manager.pk, field.label_from_instance(manager)) for manager in managers
            ]


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(choices=HiringOutcome.Kind.choices, label="What happened")
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class RoleOpenedForm(forms.Form):
    """Who in the pool hears that a role opened, and in which words."""

    ids = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": "Tick at least one person."},
    )
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.filter(is_active=True),
        error_messages={"required": "Choose a template."},
    )


class RetriageForm(forms.Form):
    since = forms.DateField(
        required=False,
        label="Received on or after",
        help_text="Blank: every untouched request.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def since_moment(self) -> datetime | None:
        """The start of the chosen day, in the site's time zone."""
        day = self.cleaned_data.get("since")
        return timezone.make_aware(datetime.combine(day, datetime.min.time())) if day else None


class ConfigUploadForm(forms.Form):
    file = forms.FileField(
        label="Configuration file",
        help_text="A JSON or YAML (.yaml, .yml) file from “Download” or export_config.",
    )
    dry_run = forms.BooleanField(required=False, label="Only check the file; change nothing")

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; is it the right one?")
        return upload


# --- The public contact page -----------------------------------------------------------------


class ContactForm(forms.Form):
    """What a candidate sends us from the public contact page."""

    name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(max_length=254, label="Your email address")
    profile_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Profile or portfolio link (optional)",
        help_text="LinkedIn, GitHub, a personal site…",
    )
    message = forms.CharField(
        max_length=10_000,
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Who you are, what you do, and what you would like from us.",
    )
    resume = forms.FileField(required=False, label="Résumé (optional)")
    # The honeypot: hidden from people (CSS, not the hidden attribute bots look for), so only
    # a bot fills it in. The view answers those with the usual thank-you page.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, max_resume_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_resume_bytes = max_resume_bytes
        self.fields[
            "resume"
        ].help_text = (
            f"PDF, Word (.docx) or plain text (.txt), up to {max_resume_bytes // (1024 * 1024)} MB."
        )

    def refuse_unread(self, field: str, error: str) -> None:
        """Show `error` beside `field` on this unbound form: for a post too large to read,
        whose fields could not be bound (the form stays empty, with just this error)."""
        self.full_clean()  # an unbound form: an empty error list, nothing cleaned
        self.cleaned_data = {}
        self.add_error(field, error)

    def clean_name(self) -> str:
        # It goes into a From header: one line.
        return " ".join(self.cleaned_data["name"].split())

    def clean_resume(self):
        """A PDF, DOCX or TXT file by its content, not just its name, within the size cap."""
        upload = self.cleaned_data.get("resume")
        if not upload:
            return None
        if upload.size > self.max_resume_bytes:
            raise forms.ValidationError(
                f"This file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
                f"{self.max_resume_bytes // (1024 * 1024)} MB."
            )
        claimed = documents.EXTENSIONS.get(PurePath(upload.name.lower()).suffix)
        if claimed is None:
            raise forms.ValidationError("Upload a PDF, Word (.docx) or plain-text (.txt) file.")
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
        if documents.sniff(content) is not claimed:
            raise forms.ValidationError(
                f"This file is named like a {claimed.label} file, but its content is not one. "
                "Save it again as PDF, Word (.docx) or plain text and upload that."
            )
        # Read it now, so a file only a lenient reader would open is refused here, while the
        # candidate can still send another, rather than stored as a résumé nobody can read.
        unreadable = documents.extract_text(content, filename=upload.name, max_chars=1).error
        if unreadable:
            raise forms.ValidationError(
                f"This {claimed.label} file cannot be read ({unreadable.split(': ', 1)[-1]}). "
                "Save it again as PDF, Word (.docx) or plain text and upload that."
            )
        return upload


# --- API tokens, outgoing webhooks, the ATS ---------------------------------------------------


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="What it is for, e.g. “weekly report”."
    )


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, help_text="Blank: the URL's host.")
    url = forms.URLField(
        max_length=500,
        label="URL",
        assume_scheme="https",
        help_text="Where each event is posted (http or https).",
    )
    events = forms.MultipleChoiceField(
        choices=[(name, f"{name}: {text}") for name, text in events.CATALOGUE.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    format = forms.ChoiceField(
        choices=WebhookEndpoint.Format.choices,
        initial=WebhookEndpoint.Format.JSON,
        widget=forms.RadioSelect,
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Give an http:// or https:// URL.")
        return url


class AtsForm(forms.Form):
    job_id = forms.RegexField(
        regex=r"^[\w-]*$",
        required=False,
        max_length=30,
        label="Job ID in the ATS",
        help_text="Blank: send as a prospect, in no job's pipeline.",
        error_messages={
            "invalid": "Give the ATS's job id as it shows it (letters, digits, -), or nothing."
        },
    )
    request = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CodeForm(forms.Form):
    """The six digits an authenticator app shows (two-factor sign-in)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your app shows.")
        return code


class DashboardForm(forms.Form):
    """The dashboard's period: whole weeks up to this one."""

    weeks = forms.TypedChoiceField(
        label="Period",
        coerce=int,
        choices=[(str(n), label) for n, label in dashboard.RANGES.items()],
        error_messages={"invalid_choice": "Choose one of the periods in the list."},
    )
