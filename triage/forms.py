from datetime import datetime

from django import forms
from django.utils import timezone

from triage.models import Bucket, CandidateRequest, ReplyTemplate


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
