import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from triage import access
from triage.models import Candidate, CandidateRequest, ReplyTemplate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True  # the role hook saves what it changes

    username = factory.Sequence(lambda n: f"recruiter{n}")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """A recruiter unless the test says otherwise: `role=access.HIRING_MANAGERS`, or
        `role=""` for a user with no role at all. The group is looked up by name, since a
        transactional test's flush removes what the data migration created."""
        if create and extracted != "":
            group, _ = Group.objects.get_or_create(name=extracted or access.RECRUITERS)
            self.groups.add(group)


def hiring_manager(username: str, **fields):
    """A hiring manager who is not a recruiter."""
    return UserFactory(username=username, role=access.HIRING_MANAGERS, **fields)


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
