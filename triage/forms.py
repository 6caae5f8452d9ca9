from django import forms

from triage import talent
from triage.models import Bucket, CandidateRequest, Opening, ReplyTemplate


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

    def clean_subject(self):
        # A subject is one header line: a pasted newline must not become a second header.
        return " ".join(self.cleaned_data["subject"].split())


# --- Issue 6: openings, the candidate page, the talent pool -----------------------------------


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
