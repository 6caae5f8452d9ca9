from django import forms

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

    def clean_subject(self):
        # A subject is one header line: a pasted newline must not become a second header.
        return " ".join(self.cleaned_data["subject"].split())
