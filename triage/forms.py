from datetime import datetime
from pathlib import PurePath

from django import forms
from django.utils import timezone

from triage import documents, talent
from triage.models import Bucket, CandidateRequest, Opening, RecruiterProfile, ReplyTemplate


class InboxFilterForm(forms.Form):
    bucket = forms.ChoiceField(choices=Bucket.choices, required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CandidateRequest.Status.choices], required=False
    )
    q = forms.CharField(required=False, max_length=200, label="Search")


class OverrideForm(forms.Form):
    bucket = forms.ChoiceField(choices=Bucket.choices)


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.filter(is_active=True), required=False, empty_label=None
    )
    subject = forms.CharField(max_length=500)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}))
    # When the page was loaded (ISO 8601, to the microsecond): a send is stopped if someone
    # else answered the candidate after this.
    loaded_at = forms.CharField(required=False, widget=forms.HiddenInput)

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


class SkillsForm(forms.Form):
    skills = SkillsField(required=False, help_text="Comma-separated.")


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class PoolFilterForm(forms.Form):
    skill = forms.CharField(required=False, max_length=100)
    due = forms.ChoiceField(
        choices=[("", "Any time"), ("week", "Due this week"), ("today", "Due today")],
        required=False,
    )


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
        fields = ["display_name", "signature", "from_email", "reply_to"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 4})}
        labels = {"display_name": "Name", "from_email": "From address", "reply_to": "Reply-To"}

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
        if documents.sniff(upload.read()) is not claimed:
            raise forms.ValidationError(
                f"This file is named like a {claimed.label} file, but its content is not one. "
                "Save it again as PDF, Word (.docx) or plain text and upload that."
            )
        upload.seek(0)
        return upload
