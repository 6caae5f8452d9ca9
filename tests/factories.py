import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from triage.models import Candidate, CandidateRequest, ReplyTemplate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"recruiter{n}")
    password = factory.django.Password("correct horse battery")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    email = factory.Sequence(lambda n: f"candidate{n}@mail.example")


class CandidateRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateRequest

    candidate = factory.SubFactory(CandidateFactory)
    received_at = factory.LazyFunction(timezone.now)
    suggested_bucket = "funnel"
    suggested_rule = "funnel_default"
    final_bucket = factory.SelfAttribute("suggested_bucket")
    reasons = factory.LazyFunction(list)


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    bucket = "funnel"
    subject = "Re: {{ original_subject }}"
    body = "Hi {{ first_name|default:'there' }}"
